/**
 * Replies as Discord messages: embeds, buttons and autocomplete choices, always inside Discord's
 * limits (src/bot/limits.ts) and never able to ping anyone (allowedMentions: { parse: [] } on
 * every payload, whatever the quoted text or the question contains).
 */
import {
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
  type APIActionRowComponent,
  type APIApplicationCommandOptionChoice,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import type { Answer, Knowledge, QuoteView } from '../engine/index.js';
import { suggestSpeakers } from '../engine/index.js';
import { describeRefusal } from '../knowledge/loader.js';
import { attributionText, COVERS_LABEL, NO_ANSWER_HINT, NO_ANSWER_TEXT, QUOTABLE_LABEL, speakerLabel, whereText } from '../app/wording.js';
import { encodeButton } from './custom-ids.js';
import { AUTOCOMPLETE_LIMITS, EMBED_LIMITS, MESSAGE_CONTENT_LIMIT, embedLength, fitEmbed, fitEmbeds, truncate } from './limits.js';
import type {
  AnswerReply,
  KnowledgeStatusReply,
  NoAnswerReply,
  QuotesReply,
  RefreshReply,
  Reply,
  ShardKnowledge,
  UnknownSpeakerReply,
} from '../app/replies.js';

/** Mentions nobody: quoted text and questions must never ping (@everyone, users, roles). */
export const NO_MENTIONS: { parse: [] } = { parse: [] };

export const COLORS = { answer: 0x5865f2, noAnswer: 0xfee75c, ok: 0x57f287, refused: 0xed4245, info: 0x99aab5 } as const;

type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A message body for reply/editReply/update/followUp (add `flags` for ephemeral replies). */
export interface DiscordReply {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  allowedMentions: { parse: [] };
}

// ---------------------------------------------------------------- text helpers

/** Text as a Markdown block quote, every line of it. */
function blockQuote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** As many items as fit in `max` characters, one per line, then "… and N more". */
function listWithin(items: string[], max: number): string {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    const rest = items.length - i - 1;
    const reserve = rest > 0 ? 24 : 0; // room for the "… and N more" line
    if (used + items[i].length + 1 + reserve > max) {
      out.push(`… and ${items.length - i} more`);
      break;
    }
    out.push(items[i]);
    used += items[i].length + 1;
  }
  return truncate(out.join('\n'), max) || '—';
}

// ---------------------------------------------------------------- embeds

/**
 * One answer: the passage verbatim as a quote in the description, then "— Speaker, role" (or
 * "— the article"); the footer says where it stands. `question` becomes the title (cut at 256
 * characters: "More" finds the whole question in the core by its key); `rank` > 1 marks a
 * further passage.
 */
export function renderAnswerEmbed(answer: Answer, options: { question?: string; rank?: number } = {}): APIEmbed {
  const title = options.question ? truncate(options.question, EMBED_LIMITS.title) : undefined;
  const footer = truncate(whereText(answer), EMBED_LIMITS.footer);
  const author = options.rank && options.rank > 1 ? `#${options.rank}` : undefined;
  const attribution = truncate(escapeMarkdown(attributionText(answer.speaker, answer.role)), 512);
  // The passage gives way first: the attribution and the location always show whole.
  const room = Math.min(EMBED_LIMITS.description, EMBED_LIMITS.total - (title?.length ?? 0) - footer.length - (author?.length ?? 0));
  const quote = truncate(blockQuote(escapeMarkdown(answer.passage)), Math.max(0, room - attribution.length - 1));
  return fitEmbed({
    color: COLORS.answer,
    ...(author ? { author: { name: author } } : {}),
    ...(title ? { title } : {}),
    description: `${quote}\n${attribution}`,
    footer: { text: footer },
  });
}

/** No confident answer: what the knowledge covers and who can be quoted; never a passage. */
export function renderNoAnswerEmbed(reply: NoAnswerReply): APIEmbed {
  return fitEmbed({
    color: COLORS.noAnswer,
    ...(reply.question ? { title: truncate(reply.question, EMBED_LIMITS.title) } : {}),
    description: NO_ANSWER_TEXT,
    fields: [
      { name: COVERS_LABEL, value: listWithin(reply.documents.map((d) => `• ${escapeMarkdown(d)}`), EMBED_LIMITS.fieldValue) },
      {
        name: QUOTABLE_LABEL,
        value: reply.speakers.length ? listWithin(reply.speakers.map((s) => `• ${escapeMarkdown(speakerLabel(s.name, s.role))}`), EMBED_LIMITS.fieldValue) : 'Nobody is quoted in it.',
      },
    ],
    footer: { text: NO_ANSWER_HINT },
  });
}

/** The passage with the quoted words in bold, as a block quote; just the words if too long. */
function quoteValue(q: QuoteView, max: number): string {
  const at = q.passage.indexOf(q.text);
  const words = q.kind === 'direct' ? `“${q.text}”` : q.text;
  if (at >= 0 && q.text.trim()) {
    const marked = `${escapeMarkdown(q.passage.slice(0, at))}**${escapeMarkdown(q.text)}**${escapeMarkdown(q.passage.slice(at + q.text.length))}`;
    const full = blockQuote(marked);
    if (full.length <= max) return full;
  }
  return truncate(blockQuote(escapeMarkdown(words)), max);
}

/** One page of a speaker's quotes, each with where it stands. */
export function renderQuotesEmbed(reply: QuotesReply): APIEmbed {
  const { speaker } = reply;
  const title = truncate(`Quotes of ${speaker.name}`, EMBED_LIMITS.title);
  const about = [speaker.role && `*${escapeMarkdown(speaker.role)}*`, speaker.aliases.length && `Also called: ${escapeMarkdown(speaker.aliases.join(', '))}`].filter(Boolean).join('\n');
  const description = truncate(about || '\u200b', 1024);
  const footer =
    reply.pageCount > 1
      ? `${reply.total} quotes · page ${reply.page + 1} of ${reply.pageCount}`
      : `${reply.total} quote${reply.total === 1 ? '' : 's'}`;
  const names = reply.quotes.map((q, i) => truncate(`${reply.firstNumber + i}. ${whereText(q)}`, EMBED_LIMITS.fieldName));
  // Share what the 6000 total leaves between this page's quotes so none is dropped.
  const room = EMBED_LIMITS.total - title.length - description.length - footer.length - names.reduce((n, s) => n + s.length, 0);
  const perQuote = Math.min(EMBED_LIMITS.fieldValue, Math.floor(room / Math.max(1, reply.quotes.length)));
  const fields: APIEmbedField[] = reply.quotes.map((q, i) => ({ name: names[i], value: quoteValue(q, perQuote) }));
  return fitEmbed({
    color: COLORS.answer,
    title,
    description,
    fields: fields.length ? fields : [{ name: 'No quotes', value: 'This speaker is named but has no attributed words.' }],
    footer: { text: footer },
  });
}

export function renderUnknownSpeakerEmbed(reply: UnknownSpeakerReply): APIEmbed {
  const query = reply.query ? `No one called “${reply.query}” is quoted` : 'Name someone to quote';
  const body = reply.suggestions.length
    ? `Did you mean: ${reply.suggestions.map((s) => `**${escapeMarkdown(s)}**`).join(', ')}?`
    : reply.speakers.length
      ? `${QUOTABLE_LABEL}:\n${listWithin(reply.speakers.map((s) => `• ${escapeMarkdown(s)}`), 3500)}`
      : 'Nobody is quoted in the knowledge.';
  return fitEmbed({ color: COLORS.noAnswer, title: truncate(query, EMBED_LIMITS.title), description: body });
}

function shardName(s: ShardKnowledge): string {
  if (s.shard === 'console') return 'Console';
  if (s.shard === 'others') return 'Other shards';
  return s.shard.includes(',') ? `Shards ${s.shard}` : `Shard ${s.shard}`;
}

function shardStatusValue(s: ShardKnowledge): string {
  if (!s.status) return `unavailable${s.error ? `: ${s.error}` : ''}`;
  const st = s.status;
  const loadedAt = Date.parse(st.loadedAt);
  const when = Number.isFinite(loadedAt) ? `<t:${Math.floor(loadedAt / 1000)}:R>` : st.loadedAt;
  const lines = [
    `version \`${st.version}\``,
    `${st.documents} document${st.documents === 1 ? '' : 's'} · ${st.paragraphs} paragraphs · ${st.speakers} speakers · ${st.quotes} quotes`,
    `loaded ${when} by ${escapeMarkdown(st.loadedBy)}`,
    `history: ${st.history} earlier version${st.history === 1 ? '' : 's'} (rollback restores the latest)`,
  ];
  if (st.refused.length) lines.push(`refused: ${st.refused.map((r) => escapeMarkdown(describeRefusal(r))).join('; ')}`);
  return lines.join('\n');
}

/** Shards as fields, at most 25 (the last one summarising the rest). */
function shardFields(shards: ShardKnowledge[]): APIEmbedField[] {
  const shown = shards.length > EMBED_LIMITS.fields ? shards.slice(0, EMBED_LIMITS.fields - 1) : shards;
  const fields = shown.map((s) => ({ name: shardName(s), value: shardStatusValue(s) }));
  if (shown.length < shards.length) {
    const rest = shards.slice(shown.length);
    fields.push({ name: `${rest.length} more shards`, value: rest.map((s) => `${s.shard}: ${s.status?.version ?? 'unavailable'}`).join('\n') });
  }
  return fields;
}

export function renderStatusEmbed(reply: KnowledgeStatusReply): APIEmbed {
  const versions = new Set(reply.shards.map((s) => s.status?.version).filter(Boolean));
  const agreement =
    reply.shards.length > 1 ? (versions.size === 1 ? 'Every shard serves the same version.' : '**Shards disagree on the version**: a refresh is still spreading, or a shard missed it (run /knowledge reload).') : undefined;
  const description = [reply.scope ? `Showing ${escapeMarkdown(reply.scope)}.` : undefined, agreement].filter(Boolean).join('\n');
  return fitEmbed({ color: COLORS.info, title: 'Knowledge status', ...(description ? { description } : {}), fields: shardFields(reply.shards) });
}

const REFRESH_TITLES: Record<RefreshReply['result']['action'], [ok: string, refused: string]> = {
  load: ['Knowledge loaded', 'Knowledge load refused'],
  reload: ['Knowledge reloaded', 'Reload refused'],
  upload: ['Upload applied', 'Upload refused'],
  rollback: ['Rolled back', 'Nothing rolled back'],
  watch: ['Knowledge reloaded from disk', 'Change on disk refused'],
};

export function renderRefreshEmbed(reply: RefreshReply): APIEmbed {
  const { result } = reply;
  const changed = result.before !== result.after;
  const title = REFRESH_TITLES[result.action][result.ok ? 0 : 1] + (result.ok && !changed ? ' (no change)' : '');
  const fields: APIEmbedField[] = [{ name: 'Version', value: changed ? `\`${result.before}\` → \`${result.after}\`` : `\`${result.after}\` (unchanged)` }];
  if (result.refused.length) fields.push({ name: 'Refused', value: listWithin(result.refused.map((r) => `• ${escapeMarkdown(describeRefusal(r))}`), EMBED_LIMITS.fieldValue) });
  const here = reply.shards[0]?.status;
  if (here) fields.push({ name: 'Now', value: `${here.documents} document${here.documents === 1 ? '' : 's'} · ${here.paragraphs} paragraphs · ${here.speakers} speakers · ${here.quotes} quotes` });
  if (reply.shards.length > 1) {
    fields.push({ name: 'Shards', value: listWithin(reply.shards.map((s) => `${shardName(s)}: ${s.status ? `\`${s.status.version}\`` : `unavailable${s.error ? ` (${s.error})` : ''}`}`), EMBED_LIMITS.fieldValue) });
  }
  if (reply.scope) fields.push({ name: 'Knowledge', value: escapeMarkdown(reply.scope) });
  return fitEmbed({ color: result.ok ? COLORS.ok : COLORS.refused, title, description: escapeMarkdown(result.message), fields });
}

// ---------------------------------------------------------------- buttons

function button(customId: string, label: string, style: ButtonStyle, emoji?: string): APIButtonComponent {
  return { type: ComponentType.Button, custom_id: customId, label, style, ...(emoji ? { emoji: { name: emoji } } : {}) } as APIButtonComponent;
}

/** "More" when further passages exist; 👍/👎 on the best answer. */
function answerButtons(reply: AnswerReply): ButtonRow[] {
  const buttons: APIButtonComponent[] = [];
  const shown = reply.firstRank - 1 + reply.answers.length;
  if (reply.hasMore) buttons.push(button(encodeButton({ kind: 'more', version: reply.version, shown, key: reply.followUp }), 'More', ButtonStyle.Secondary));
  if (reply.firstRank === 1) {
    const { start, end } = reply.answers[0];
    buttons.push(button(encodeButton({ kind: 'vote', vote: 'up', version: reply.version, start, end }), 'Helpful', ButtonStyle.Secondary, '👍'));
    buttons.push(button(encodeButton({ kind: 'vote', vote: 'down', version: reply.version, start, end }), 'Not helpful', ButtonStyle.Secondary, '👎'));
  }
  return buttons.length ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}

function quotePageButtons(reply: QuotesReply): ButtonRow[] {
  const page = (p: number, label: string) => button(encodeButton({ kind: 'quote-page', version: reply.version, speaker: reply.speakerIndex, page: p }), label, ButtonStyle.Secondary);
  const buttons: APIButtonComponent[] = [];
  if (reply.page > 0) buttons.push(page(reply.page - 1, '◀ Previous'));
  if (reply.page < reply.pageCount - 1) buttons.push(page(reply.page + 1, 'Next ▶'));
  return buttons.length ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}

// ---------------------------------------------------------------- messages

/** Any reply as a message body; add `flags: MessageFlags.Ephemeral` for an ephemeral reply. */
export function renderReplyMessage(reply: Reply): DiscordReply {
  const message = (embeds: APIEmbed[], components: ButtonRow[] = []): DiscordReply => ({ embeds: fitEmbeds(embeds), components, allowedMentions: NO_MENTIONS });
  switch (reply.kind) {
    case 'answer':
      return message(
        reply.answers.map((a, i) => renderAnswerEmbed(a, { question: i === 0 ? reply.question : undefined, rank: reply.firstRank + i })),
        answerButtons(reply),
      );
    case 'no-answer':
      return message([renderNoAnswerEmbed(reply)]);
    case 'quotes':
      return message([renderQuotesEmbed(reply)], quotePageButtons(reply));
    case 'unknown-speaker':
      return message([renderUnknownSpeakerEmbed(reply)]);
    case 'knowledge-status':
      return message([renderStatusEmbed(reply)]);
    case 'knowledge-refresh':
      return message([renderRefreshEmbed(reply)]);
    case 'notice':
      return { content: truncate(reply.text, MESSAGE_CONTENT_LIMIT), embeds: [], components: [], allowedMentions: NO_MENTIONS };
  }
}

/**
 * The question an answer message was for, read from its first embed's title: null when there is
 * none, or when the title may have been cut (it ends in "…"): a cut question is a different
 * question, and "More" must not answer that instead.
 */
export function questionOfMessage(embeds: ReadonlyArray<{ title?: string | null }>): string | null {
  const title = embeds[0]?.title;
  return title && !title.endsWith('…') ? title : null;
}

/** Total characters of a message's embeds (what Discord holds to 6000). */
export function messageEmbedLength(reply: DiscordReply): number {
  return reply.embeds.reduce((n, e) => n + embedLength(e), 0);
}

// ---------------------------------------------------------------- autocomplete

/**
 * Speakers for /quote's autocomplete: fuzzy on names and aliases, at most 25 choices of at most
 * 100 characters. The label shows the alias that matched and the role; the value is the name.
 */
export function speakerChoices(k: Knowledge, typed: string): APIApplicationCommandOptionChoice<string>[] {
  const t = typed.trim().toLowerCase();
  const seen = new Set<string>();
  const choices: APIApplicationCommandOptionChoice<string>[] = [];
  for (const i of suggestSpeakers(k, typed, AUTOCOMPLETE_LIMITS.choices)) {
    const s = k.speakers[i];
    const value = truncate(s.name, AUTOCOMPLETE_LIMITS.value);
    if (seen.has(value)) continue;
    seen.add(value);
    const alias = t && !s.name.toLowerCase().includes(t) ? s.aliases.find((a) => a.toLowerCase().includes(t)) : undefined;
    const label = `${s.name}${alias ? ` (${alias})` : ''}${s.role ? ` — ${s.role}` : ''}`;
    choices.push({ name: truncate(label, AUTOCOMPLETE_LIMITS.name), value });
  }
  return choices.slice(0, AUTOCOMPLETE_LIMITS.choices);
}
