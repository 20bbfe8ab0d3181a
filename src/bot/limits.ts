/**
 * Discord's size limits, and truncation that keeps every message inside them. Lengths are JS
 * string lengths (UTF-16 units), never fewer than the characters Discord counts, so a text that
 * fits here fits there; cuts never split a surrogate pair.
 */
import type { APIEmbed } from 'discord.js';

export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** All embeds of one message together. */
  total: 6000,
} as const;
export const MESSAGE_CONTENT_LIMIT = 2000;
export const AUTOCOMPLETE_LIMITS = { choices: 25, name: 100, value: 100 } as const;
export const CUSTOM_ID_LIMIT = 100;

const ELLIPSIS = '…';

/** `text` cut to at most `max` characters, ending in "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // do not leave half a surrogate pair
  return text.slice(0, cut).trimEnd() + ELLIPSIS;
}

/** Characters Discord counts towards the 6000 total of a message's embeds. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/**
 * The embed within every per-part limit and within `budget` characters in total. When over
 * budget it gives up, in order: fields from the end (a list is still readable shorter), then
 * description text, then footer and title.
 */
export function fitEmbed(embed: APIEmbed, budget: number = EMBED_LIMITS.total): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, EMBED_LIMITS.title);
  if (out.description !== undefined) out.description = truncate(out.description, EMBED_LIMITS.description);
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, EMBED_LIMITS.footer) };
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, EMBED_LIMITS.author) };
  if (out.fields) {
    out.fields = out.fields.slice(0, EMBED_LIMITS.fields).map((f) => ({
      ...f,
      name: truncate(f.name, EMBED_LIMITS.fieldName) || '\u200b',
      value: truncate(f.value, EMBED_LIMITS.fieldValue) || '\u200b',
    }));
  }
  let excess = embedLength(out) - budget;
  while (excess > 0 && out.fields && out.fields.length > 0) {
    const last = out.fields[out.fields.length - 1];
    const size = last.name.length + last.value.length;
    // Shorten the last field when that is enough, otherwise drop it.
    if (size - excess >= 40) {
      out.fields = [...out.fields.slice(0, -1), { ...last, value: truncate(last.value, last.value.length - excess) }];
    } else {
      out.fields = out.fields.slice(0, -1);
    }
    excess = embedLength(out) - budget;
  }
  if (excess > 0 && out.description) {
    out.description = truncate(out.description, Math.max(0, out.description.length - excess));
    excess = embedLength(out) - budget;
  }
  if (excess > 0 && out.footer) {
    out.footer = { ...out.footer, text: truncate(out.footer.text, Math.max(1, out.footer.text.length - excess)) };
    excess = embedLength(out) - budget;
  }
  if (excess > 0 && out.title) out.title = truncate(out.title, Math.max(1, out.title.length - excess));
  return out;
}

/** Several embeds for one message, sharing the 6000-character total fairly. */
export function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  const list = embeds.slice(0, 10).map((e) => fitEmbed(e));
  let total = list.reduce((n, e) => n + embedLength(e), 0);
  if (total <= EMBED_LIMITS.total) return list;
  const share = Math.floor(EMBED_LIMITS.total / list.length);
  // Embeds already under their share keep their size; the others share what is left.
  const small = list.filter((e) => embedLength(e) <= share);
  const spare = EMBED_LIMITS.total - small.reduce((n, e) => n + embedLength(e), 0);
  const bigBudget = Math.floor(spare / Math.max(1, list.length - small.length));
  const fitted = list.map((e) => (embedLength(e) <= share ? e : fitEmbed(e, bigBudget)));
  total = fitted.reduce((n, e) => n + embedLength(e), 0);
  return total <= EMBED_LIMITS.total ? fitted : fitted.map((e) => fitEmbed(e, share));
}
