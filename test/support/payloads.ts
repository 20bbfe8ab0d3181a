/**
 * Assertions on what the bot sends Discord, as the stand-in captured it: no mentions ever,
 * ephemeral flags, Discord's size limits, autocomplete limits.
 */
import assert from 'node:assert/strict';
import { InteractionResponseType, MessageFlags, type APIEmbed } from 'discord.js';
import type { CapturedCallback, SentMessageBody } from './fake-discord.js';

/**
 * Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits),
 * restated here on purpose rather than imported from src/bot/limits.ts: the tests hold the bot to
 * Discord's numbers, not to its own.
 */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  customId: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

export function isEphemeral(body: SentMessageBody): boolean {
  return ((body.flags ?? 0) & MessageFlags.Ephemeral) === MessageFlags.Ephemeral;
}

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, field) => n + field.name.length + field.value.length, 0)
  );
}

/** A message body within every limit Discord enforces, and pinging nobody. */
export function assertMessage(body: SentMessageBody): void {
  assert.deepEqual(body.allowed_mentions, { parse: [] }, 'every message carries allowed_mentions { parse: [] }');
  assert.ok((body.content ?? '').length <= LIMITS.content, `content ${body.content?.length} > ${LIMITS.content}`);
  const embeds = body.embeds ?? [];
  assert.ok(embeds.length <= LIMITS.embeds);
  for (const embed of embeds) {
    assert.ok((embed.title ?? '').length <= LIMITS.title, `title ${embed.title?.length} > ${LIMITS.title}`);
    assert.ok((embed.description ?? '').length <= LIMITS.description, `description ${embed.description?.length} > ${LIMITS.description}`);
    assert.ok((embed.footer?.text ?? '').length <= LIMITS.footer);
    assert.ok((embed.author?.name ?? '').length <= LIMITS.author);
    const fields = embed.fields ?? [];
    assert.ok(fields.length <= LIMITS.fields, `${fields.length} fields > ${LIMITS.fields}`);
    for (const field of fields) {
      assert.ok(field.name.length > 0 && field.name.length <= LIMITS.fieldName, `field name ${field.name.length}`);
      assert.ok(field.value.length > 0 && field.value.length <= LIMITS.fieldValue, `field value ${field.value.length} > ${LIMITS.fieldValue}`);
    }
  }
  const total = embeds.reduce((n, embed) => n + embedLength(embed), 0);
  assert.ok(total <= LIMITS.embedTotal, `embeds total ${total} > ${LIMITS.embedTotal}`);
  for (const id of customIds(body)) assert.ok(id.length >= 1 && id.length <= LIMITS.customId, `custom_id ${id}`);
  assert.ok((body.content ?? '').length > 0 || embeds.length > 0, 'a message says something');
}

/** An immediate message reply (callback type 4), public or ephemeral as expected; its body. */
export function assertReply(callback: CapturedCallback, expected: { ephemeral: boolean }): SentMessageBody {
  assert.equal(callback.type, InteractionResponseType.ChannelMessageWithSource, 'answered straight away, not deferred');
  assertMessage(callback.data);
  assert.equal(isEphemeral(callback.data), expected.ephemeral, expected.ephemeral ? 'ephemeral (flags 64)' : 'public (no flags 64)');
  return callback.data;
}

/** An ephemeral text notice (apology, refusal, cooldown, thanks) containing `text`. */
export function assertNotice(callback: CapturedCallback, text: RegExp): void {
  const body = assertReply(callback, { ephemeral: true });
  assert.match(body.content ?? '', text);
  assert.deepEqual(body.embeds ?? [], []);
}

/** Autocomplete result within Discord's limits; its choices. */
export function assertChoices(callback: CapturedCallback): Array<{ name: string; value: string }> {
  assert.equal(callback.type, InteractionResponseType.ApplicationCommandAutocompleteResult);
  const choices = (callback.data.choices ?? []) as Array<{ name: string; value: string }>;
  assert.ok(choices.length <= LIMITS.choices, `${choices.length} choices > ${LIMITS.choices}`);
  for (const choice of choices) {
    assert.ok(choice.name.length >= 1 && choice.name.length <= LIMITS.choiceName, `choice name "${choice.name}" (${choice.name.length})`);
    assert.equal(typeof choice.value, 'string');
    assert.ok(choice.value.length >= 1 && choice.value.length <= LIMITS.choiceValue);
  }
  return choices;
}

/** The one answer embed of an /ask reply: passage, attribution line, where. */
export interface AnswerView {
  title: string;
  passage: string;
  attribution: string;
  footer: string;
}

export function answerOf(body: SentMessageBody): AnswerView {
  assert.equal(body.embeds?.length, 1, 'one embed');
  const [embed] = body.embeds!;
  const lines = (embed.description ?? '').split('\n');
  const attribution = lines.pop() ?? '';
  assert.ok(lines.length > 0 && lines.every((line) => line.startsWith('> ')), `passage as a block quote: ${embed.description}`);
  assert.match(attribution, /^— /, 'attribution line "— Speaker, role" or "— the article"');
  return {
    title: embed.title ?? '',
    passage: lines.map((line) => line.slice(2)).join('\n'),
    attribution,
    footer: embed.footer?.text ?? '',
  };
}

/** custom_ids of the buttons on a message. */
export function customIds(body: SentMessageBody): string[] {
  const rows = (body.components ?? []) as Array<{ components?: Array<{ custom_id?: string }> }>;
  return rows.flatMap((row) => row.components ?? []).flatMap((component) => (component.custom_id === undefined ? [] : [component.custom_id]));
}
