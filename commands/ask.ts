/**
 * /ask question:<text> [private:<bool>] — the passage that answers, verbatim, with its speaker.
 * Answered straight away (the engine takes about a millisecond; no defer). Buttons: "More" (the
 * next best passages, ephemeral) and 👍/👎 (feedback, logged and counted).
 */
import {
  ApplicationCommandOptionType,
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { MAX_QUESTION_LENGTH } from '../src/app/limits.js';
import { recordFeedback } from '../src/app/feedback.js';
import { askReply, moreReply, notice } from '../src/app/replies.js';
import type { CommandContext, Outcome } from '../src/bot/context.js';
import { answeringStore } from '../src/bot/scope.js';
import { parseButton, type ButtonAction } from '../src/bot/custom-ids.js';
import { questionOfMessage, renderReplyMessage } from '../src/bot/render.js';

export const data = {
  name: 'ask',
  description: 'Ask about the article: get the passage that answers, verbatim, and who said it',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'question',
      description: 'Your question, e.g. "Will China attack Ukraine?"',
      required: true,
      max_length: MAX_QUESTION_LENGTH,
    },
    {
      type: ApplicationCommandOptionType.Boolean,
      name: 'private',
      description: 'Show the answer only to you',
      required: false,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<Outcome> {
  const question = interaction.options.getString('question', true);
  const isPrivate = interaction.options.getBoolean('private') ?? false;

  const wait = ctx.askCooldown.take(interaction.user.id);
  if (wait > 0) {
    await interaction.reply({ ...renderReplyMessage(notice('info', `You are asking fast: try again in ${wait} s.`)), flags: MessageFlags.Ephemeral });
    return { msg: 'cooldown on /ask', fields: { waitSeconds: wait }, cooldown: true };
  }

  const { store, deferred } = await answeringStore(interaction, ctx, isPrivate ? { flags: MessageFlags.Ephemeral } : {});
  const reply = askReply(store.knowledge, question, ctx.followUps);
  if (deferred) await interaction.editReply(renderReplyMessage(reply));
  else await interaction.reply({ ...renderReplyMessage(reply), ...(isPrivate ? { flags: MessageFlags.Ephemeral } : {}) });
  const answered = reply.kind === 'answer';
  const best = answered ? reply.answers[0] : null;
  return {
    msg: answered ? 'answered /ask' : 'no confident answer for /ask',
    fields: { answered, private: isPrivate, deferred, questionLength: question.length, ...(best && { score: best.score, document: best.document, paragraph: best.paragraph, speaker: best.speaker }) },
    question: { command: 'ask', answered },
  };
}

export const buttonPrefix = 'ask:';

export async function button(interaction: ButtonInteraction, ctx: CommandContext): Promise<Outcome> {
  const action = parseButton(interaction.customId);
  if (action?.kind === 'more') return more(interaction, ctx, action);
  if (action?.kind === 'vote') return vote(interaction, ctx, action);
  await interaction.reply({ ...renderReplyMessage(notice('warning', 'This button does not work any more; ask again.')), flags: MessageFlags.Ephemeral });
  return { msg: 'unknown /ask button', level: 'warn', fields: { customId: interaction.customId } };
}

/**
 * "More": the next passages, only to whoever pressed (the channel does not fill up). The whole
 * question comes from the core by the button's key; the message's title is the fallback for
 * buttons from before the key or past its TTL, and only when Discord did not cut it.
 */
async function more(interaction: ButtonInteraction, ctx: CommandContext, action: Extract<ButtonAction, { kind: 'more' }>): Promise<Outcome> {
  const kept = action.key ? ctx.followUps.recall(action.key) : null;
  const question = kept ?? questionOfMessage(interaction.message.embeds);
  if (!question) {
    await interaction.reply({ ...renderReplyMessage(notice('warning', 'I cannot find the question of this answer any more; please ask again.')), flags: MessageFlags.Ephemeral });
    return { msg: 'question of "More" not found', fields: { button: 'more', key: action.key ?? null } };
  }
  const { store, deferred } = await answeringStore(interaction, ctx, { flags: MessageFlags.Ephemeral });
  const k = store.knowledge;
  // Ranks from another version of the knowledge mean nothing now: start again from the best.
  const changed = action.version !== k.version;
  const followUp = kept ? action.key : ctx.followUps.remember(question);
  const reply = moreReply(k, question, changed ? 0 : action.shown, followUp);
  const body = renderReplyMessage(reply);
  if (changed && reply.kind === 'answer') body.content = 'The knowledge changed since that answer; these are the best passages now.';
  if (deferred) await interaction.editReply(body);
  else await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
  const passages = reply.kind === 'answer' ? reply.answers.length : 0;
  return {
    msg: 'answered "More"',
    fields: { button: 'more', shown: action.shown, versionChanged: changed, questionFrom: kept ? 'core' : 'title', passages },
    question: { command: 'more', answered: reply.kind === 'answer' },
  };
}

async function vote(interaction: ButtonInteraction, ctx: CommandContext, action: Extract<ButtonAction, { kind: 'vote' }>): Promise<Outcome> {
  const counted = recordFeedback(action.vote, `${interaction.message.id}:${interaction.user.id}`);
  const text = !counted ? 'You already rated this answer; thanks!' : action.vote === 'up' ? 'Thanks! Noted as helpful.' : 'Thanks! Noted as not helpful; it helps improve the answers.';
  await interaction.reply({ ...renderReplyMessage(notice('info', text)), flags: MessageFlags.Ephemeral });
  return {
    msg: 'answer feedback',
    fields: {
      button: 'vote',
      vote: action.vote,
      counted,
      version: action.version,
      start: action.start,
      end: action.end,
      where: interaction.message.embeds[0]?.footer?.text,
      question: questionOfMessage(interaction.message.embeds),
      messageId: interaction.message.id,
    },
  };
}
