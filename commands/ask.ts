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
import { interactionFields, type CommandContext } from '../src/bot/context.js';
import { parseButton, type ButtonAction } from '../src/bot/custom-ids.js';
import { emitBotEvent } from '../src/app/events.js';
import { recordFeedback } from '../src/app/feedback.js';
import { questionOfMessage, renderReplyMessage } from '../src/bot/render.js';
import { MAX_QUESTION_LENGTH } from '../src/app/limits.js';
import { askReply, moreReply, notice } from '../src/app/replies.js';

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

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const started = performance.now();
  const fields = { command: 'ask', ...interactionFields(interaction) };
  const question = interaction.options.getString('question', true);
  const isPrivate = interaction.options.getBoolean('private') ?? false;

  const wait = ctx.askCooldown.take(interaction.user.id);
  if (wait > 0) {
    await interaction.reply({ ...renderReplyMessage(notice('info', `You are asking fast: try again in ${wait} s.`)), flags: MessageFlags.Ephemeral });
    emitBotEvent('cooldown', { command: 'ask', userId: interaction.user.id });
    ctx.logger.info({ ...fields, waitSeconds: wait }, 'cooldown on /ask');
    return;
  }

  const reply = askReply(ctx.store.knowledge, question);
  await interaction.reply({ ...renderReplyMessage(reply), ...(isPrivate ? { flags: MessageFlags.Ephemeral } : {}) });
  const latencyMs = Math.round(performance.now() - started);
  const answered = reply.kind === 'answer';
  emitBotEvent('question', { source: 'discord', command: 'ask', latencyMs, answered });
  const best = reply.kind === 'answer' ? reply.answers[0] : null;
  ctx.logger.info(
    { ...fields, latencyMs, answered, private: isPrivate, questionLength: question.length, ...(best && { score: best.score, document: best.document, paragraph: best.paragraph, speaker: best.speaker }) },
    answered ? 'answered /ask' : 'no confident answer for /ask',
  );
}

export const buttonPrefix = 'ask:';

export async function button(interaction: ButtonInteraction, ctx: CommandContext): Promise<void> {
  const action = parseButton(interaction.customId);
  if (action?.kind === 'more') return more(interaction, ctx, action);
  if (action?.kind === 'vote') return vote(interaction, ctx, action);
  ctx.logger.warn({ command: 'ask', ...interactionFields(interaction), customId: interaction.customId }, 'unknown /ask button');
  await interaction.reply({ ...renderReplyMessage(notice('warning', 'This button does not work any more; ask again.')), flags: MessageFlags.Ephemeral });
}

/** "More": the next passages, only to whoever pressed (the channel does not fill up). */
async function more(interaction: ButtonInteraction, ctx: CommandContext, action: Extract<ButtonAction, { kind: 'more' }>): Promise<void> {
  const started = performance.now();
  const question = questionOfMessage(interaction.message.embeds);
  if (!question) {
    await interaction.reply({ ...renderReplyMessage(notice('warning', 'I cannot find the question of this answer any more; please ask again.')), flags: MessageFlags.Ephemeral });
    return;
  }
  const k = ctx.store.knowledge;
  // Ranks from another version of the knowledge mean nothing now: start again from the best.
  const changed = action.version !== k.version;
  const reply = moreReply(k, question, changed ? 0 : action.shown);
  const body = renderReplyMessage(reply);
  if (changed && reply.kind === 'answer') body.content = 'The knowledge changed since that answer; these are the best passages now.';
  await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
  const latencyMs = Math.round(performance.now() - started);
  emitBotEvent('question', { source: 'discord', command: 'more', latencyMs, answered: reply.kind === 'answer' });
  ctx.logger.info({ command: 'ask', button: 'more', ...interactionFields(interaction), latencyMs, shown: action.shown, versionChanged: changed, passages: reply.kind === 'answer' ? reply.answers.length : 0 }, 'answered "More"');
}

async function vote(interaction: ButtonInteraction, ctx: CommandContext, action: Extract<ButtonAction, { kind: 'vote' }>): Promise<void> {
  const counted = recordFeedback(action.vote, `${interaction.message.id}:${interaction.user.id}`);
  ctx.logger.info(
    {
      command: 'ask',
      button: 'vote',
      ...interactionFields(interaction),
      vote: action.vote,
      counted,
      version: action.version,
      start: action.start,
      end: action.end,
      where: interaction.message.embeds[0]?.footer?.text,
      question: questionOfMessage(interaction.message.embeds),
      messageId: interaction.message.id,
    },
    'answer feedback',
  );
  const text = !counted ? 'You already rated this answer; thanks!' : action.vote === 'up' ? 'Thanks! Noted as helpful.' : 'Thanks! Noted as not helpful; it helps improve the answers.';
  await interaction.reply({ ...renderReplyMessage(notice('info', text)), flags: MessageFlags.Ephemeral });
}
