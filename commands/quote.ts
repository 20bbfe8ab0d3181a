/**
 * /quote speaker:<name> — what one person in the knowledge said, and where, page by page.
 * Autocomplete offers speakers and aliases (fuzzy); a name nobody has gets suggestions.
 */
import {
  ApplicationCommandOptionType,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandContext, Outcome } from '../src/bot/context.js';
import { answeringStore, serverOf } from '../src/bot/scope.js';
import { parseButton } from '../src/bot/custom-ids.js';
import { renderReplyMessage, speakerChoices } from '../src/bot/render.js';
import { notice, quotePageReply, quoteReply } from '../src/app/replies.js';

export const data = {
  name: 'quote',
  description: 'What a person in the article said, verbatim, and where',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'speaker',
      description: 'Who? Start typing a name',
      required: true,
      autocomplete: true,
      max_length: 100,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<Outcome> {
  const query = interaction.options.getString('speaker', true);
  const { store, deferred } = await answeringStore(interaction, ctx);
  const reply = quoteReply(store.knowledge, query);
  const found = reply.kind === 'quotes';
  // A name nobody has is the asker's business: the suggestions go to them only (after a
  // deferral the reply is public already: the suggestions go privately as a follow-up).
  if (!deferred) await interaction.reply({ ...renderReplyMessage(reply), ...(found ? {} : { flags: MessageFlags.Ephemeral }) });
  else if (found) await interaction.editReply(renderReplyMessage(reply));
  else {
    await interaction.deleteReply();
    await interaction.followUp({ ...renderReplyMessage(reply), flags: MessageFlags.Ephemeral });
  }
  return {
    msg: found ? 'answered /quote' : 'unknown speaker for /quote',
    fields: { found, ...(found ? { speaker: reply.speaker.name, quotes: reply.total } : { suggestions: reply.suggestions.length }) },
  };
}

/** Must answer within 3 s and cannot be deferred: suggestSpeakers is a scan of the speaker list. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const typed = String(interaction.options.getFocused() ?? '');
  const server = serverOf(interaction);
  const store = ctx.servers.peek(server);
  if (!store) {
    // Not in memory: load it for the next keystroke; this one gets no suggestions rather than a late answer.
    void ctx.servers.answering(server).catch(() => undefined);
    await interaction.respond([]);
    return;
  }
  await interaction.respond(speakerChoices(store.knowledge, typed));
}

export const buttonPrefix = 'quote:';

/** Previous/next page: the message itself is updated. */
export async function button(interaction: ButtonInteraction, ctx: CommandContext): Promise<Outcome> {
  const action = parseButton(interaction.customId);
  const server = serverOf(interaction);
  const k = (ctx.servers.peek(server) ?? (await ctx.servers.answering(server))).knowledge;
  if (action?.kind !== 'quote-page' || action.version !== k.version || action.speaker >= k.speakers.length) {
    const text = action?.kind === 'quote-page' ? 'The knowledge changed since this list; run /quote again.' : 'This button does not work any more.';
    await interaction.reply({ ...renderReplyMessage(notice('info', text)), flags: MessageFlags.Ephemeral });
    return { msg: 'stale /quote button', fields: { button: 'page', customId: interaction.customId } };
  }
  await interaction.update(renderReplyMessage(quotePageReply(k, action.speaker, action.page)));
  return { msg: 'turned a /quote page', fields: { button: 'page', speaker: k.speakers[action.speaker].name, page: action.page } };
}
