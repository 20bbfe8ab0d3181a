/**
 * Replies as Discord messages: every part within Discord's limits however long the text, no
 * mention ever parsed, the no-answer reply never shows a passage, and the shared reply model
 * stays free of discord.js (the console does not load it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIEmbed } from 'discord.js';
import { answerQuestion, type Answer, type QuoteView } from '../src/engine/index.js';
import type { KnowledgeStatus } from '../src/knowledge/store.js';
import { parseButton } from '../src/bot/custom-ids.js';
import { EMBED_LIMITS, embedLength, fitEmbeds, truncate } from '../src/bot/limits.js';
import { messageEmbedLength, questionOfMessage, renderAnswerEmbed, renderReplyMessage, speakerChoices, type DiscordReply } from '../src/bot/render.js';
import { askReply, noAnswerReply, notice, quoteReply, type QuotesReply, type Reply } from '../src/app/replies.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { seedKnowledge } from './helpers.js';

function assertWithinLimits(embed: APIEmbed): void {
  assert.ok((embed.title?.length ?? 0) <= EMBED_LIMITS.title, `title ${embed.title?.length}`);
  assert.ok((embed.description?.length ?? 0) <= EMBED_LIMITS.description, `description ${embed.description?.length}`);
  assert.ok((embed.footer?.text.length ?? 0) <= EMBED_LIMITS.footer, 'footer');
  assert.ok((embed.author?.name.length ?? 0) <= EMBED_LIMITS.author, 'author');
  assert.ok((embed.fields?.length ?? 0) <= EMBED_LIMITS.fields, 'fields');
  for (const f of embed.fields ?? []) {
    assert.ok(f.name.length >= 1 && f.name.length <= EMBED_LIMITS.fieldName, 'field name');
    assert.ok(f.value.length >= 1 && f.value.length <= EMBED_LIMITS.fieldValue, `field value ${f.value.length}`);
  }
  assert.ok(embedLength(embed) <= EMBED_LIMITS.total, `total ${embedLength(embed)}`);
}

function assertMessage(message: DiscordReply): void {
  assert.deepEqual(message.allowedMentions, { parse: [] });
  for (const e of message.embeds) assertWithinLimits(e);
  assert.ok(messageEmbedLength(message) <= EMBED_LIMITS.total);
  assert.ok((message.content?.length ?? 0) <= 2000);
  for (const row of message.components) for (const b of row.components) assert.ok(!('custom_id' in b) || b.custom_id.length <= 100);
}

const LONG = 'The ambassador said “we will never attack” while **markets** fell. '.repeat(100).slice(0, 6000);

function longAnswer(overrides: Partial<Answer> = {}): Answer {
  return { passage: LONG, speaker: 'Fan Xianrong', role: 'Beijing’s ambassador to Ukraine', document: 'article.md', section: 'Section '.repeat(40), paragraph: 7, score: 0.9, start: 0, end: LONG.length, ...overrides };
}

test('an answer embed: passage quoted verbatim, speaker and role, where it stands; seed question', () => {
  const k = seedKnowledge();
  const question = 'Will China attack Ukraine?';
  const a = answerQuestion(k, question);
  assert.ok(a, 'the seed article answers this');
  assert.ok(k.documents[0].text.includes(a.passage), 'the passage is a slice of the article');
  assert.match(a.passage, /Fan Xianrong/);
  const message = renderReplyMessage(askReply(k, question));
  assertMessage(message);
  const [embed] = message.embeds;
  assert.equal(embed.title, question);
  assert.ok(embed.description!.startsWith(`> ${a.passage}`), embed.description);
  assert.ok(embed.description!.endsWith(`— ${a.speaker}${a.role ? `, ${a.role}` : ''}`));
  assert.equal(embed.footer?.text, `${a.document} · ${a.section} · paragraph ${a.paragraph}`);
  assert.equal(questionOfMessage(message.embeds), question, '"More" reads the question back');
  const ids = message.components.flatMap((row) => row.components.map((b) => ('custom_id' in b ? parseButton(b.custom_id) : null)));
  assert.deepEqual(
    ids.filter((x) => x?.kind === 'vote').map((x) => x && x.kind === 'vote' && [x.vote, x.start, x.end, x.version]),
    [
      ['up', a.start, a.end, k.version],
      ['down', a.start, a.end, k.version],
    ],
  );
});

test('a narration answer is attributed to the article', () => {
  const embed = renderAnswerEmbed(longAnswer({ passage: 'China shares a long border with Russia.', speaker: null, role: null, section: null }));
  assert.ok(embed.description!.endsWith('\n— the article'));
  assert.equal(embed.footer?.text, 'article.md · paragraph 7');
});

test('a 6000-character passage and a 500-character question stay within every embed limit', () => {
  const question = 'why '.repeat(125);
  const embed = renderAnswerEmbed(longAnswer(), { question, rank: 1 });
  assertWithinLimits(embed);
  assert.equal(embed.description!.length <= EMBED_LIMITS.description, true);
  assert.ok(embed.description!.includes('…'), 'the cut is marked');
  assert.ok(embed.description!.endsWith('— Fan Xianrong, Beijing’s ambassador to Ukraine'), 'the attribution survives the cut');
  assert.ok(embed.footer!.text.endsWith('paragraph 7') || embed.footer!.text.endsWith('…'));
  assert.ok(embed.title!.length <= 256);
  // Three such passages in one "More" message still fit the 6000 total.
  const more: Reply = { kind: 'answer', question, version: 'v', answers: [longAnswer(), longAnswer(), longAnswer()], firstRank: 2, hasMore: true };
  const message = renderReplyMessage(more);
  assert.equal(message.embeds.length, 3);
  assertMessage(message);
  assert.deepEqual(message.embeds.map((e) => e.author?.name), ['#2', '#3', '#4']);
});

test('quoted text and questions cannot ping: no mention is parsed on any reply', () => {
  const k = seedKnowledge();
  const replies: Reply[] = [
    askReply(k, 'Will China attack Ukraine? @everyone <@123456789012345678>'),
    noAnswerReply(k, '@here what about the weather?'),
    quoteReply(k, 'Wang Yi'),
    quoteReply(k, '@everyone'),
    notice('error', '@everyone sorry'),
    { kind: 'knowledge-status', shards: [] },
  ];
  for (const r of replies) assertMessage(renderReplyMessage(r));
});

test('the no-answer reply lists what the knowledge covers and who can be quoted, and no passage', () => {
  const k = seedKnowledge();
  const message = renderReplyMessage(noAnswerReply(k, 'What is the recipe for banana bread?'));
  assertMessage(message);
  assert.equal(message.components.length, 0, 'no More/feedback on a non-answer');
  const text = JSON.stringify(message.embeds);
  for (const d of k.documents) assert.ok(text.includes(d.title), `covers ${d.title}`);
  for (const s of k.speakers) assert.ok(text.includes(s.name), `lists ${s.name}`);
  // No sentence of the article appears: the bot never offers a random passage.
  for (const d of k.documents) {
    for (const p of d.paragraphs) {
      for (const s of p.sentences) {
        const sentence = d.text.slice(s.start, s.end);
        if (sentence.length > 40) assert.ok(!text.includes(sentence.slice(0, 40)), `no passage: ${sentence.slice(0, 40)}`);
      }
    }
  }
});

function quoteView(i: number, size: number): QuoteView {
  const text = `quoted words number ${i}`;
  return { text, passage: `${'Context before. '.repeat(size / 16)}“${text}”${' and after.'.repeat(size / 11)}`, kind: 'direct', document: 'a-long-document-name.md', section: 'A section heading '.repeat(20), paragraph: i };
}

test('a page of long quotes keeps every quote and stays within limits; pages have buttons', () => {
  const reply: QuotesReply = {
    kind: 'quotes',
    version: 'abc123',
    speakerIndex: 4,
    speaker: { name: 'N'.repeat(300), role: 'R'.repeat(2000), aliases: ['A'.repeat(500)], quotes: 12 },
    quotes: [1, 2, 3, 4, 5].map((i) => quoteView(i, 3000)),
    page: 1,
    pageCount: 3,
    firstNumber: 6,
    total: 12,
  };
  const message = renderReplyMessage(reply);
  assertMessage(message);
  const [embed] = message.embeds;
  assert.equal(embed.fields?.length, 5, 'no quote of the page is dropped');
  assert.match(embed.fields![0].name, /^6\. a-long-document-name\.md/);
  assert.match(embed.footer!.text, /12 quotes · page 2 of 3/);
  const pages = message.components.flatMap((row) => row.components.map((b) => ('custom_id' in b ? parseButton(b.custom_id) : null)));
  assert.deepEqual(pages, [
    { kind: 'quote-page', version: 'abc123', speaker: 4, page: 0 },
    { kind: 'quote-page', version: 'abc123', speaker: 4, page: 2 },
  ]);
});

test('/quote on the seed: the quotes with where they stand; an unknown name gets suggestions', () => {
  const k = seedKnowledge();
  const reply = quoteReply(k, 'Wang Yi');
  assert.equal(reply.kind, 'quotes');
  const [embed] = renderReplyMessage(reply).embeds;
  assert.equal(embed.title, 'Quotes of Wang Yi');
  assert.ok(embed.fields!.some((f) => f.value.includes('must not be affected') && f.name.includes('paragraph')));

  // A misspelling either finds the speaker or suggests them.
  const typo = quoteReply(k, 'Xianron');
  assert.ok(typo.kind === 'quotes' ? typo.speaker.name === 'Fan Xianrong' : typo.suggestions.includes('Fan Xianrong'));
  const nobody = renderReplyMessage(quoteReply(k, 'Zzyzx Qwerty'));
  assertMessage(nobody);
  assert.match(nobody.embeds[0].title!, /No one called “Zzyzx Qwerty” is quoted/);
  for (const s of k.speakers) assert.ok(nobody.embeds[0].description!.includes(s.name));
});

test('autocomplete: at most 25 choices of at most 100 characters; aliases find their speaker', () => {
  const k = seedKnowledge();
  const zian = speakerChoices(k, 'zian');
  assert.ok(zian.some((c) => c.value === 'Fan Xianrong'), 'the alias from the front matter finds Fan Xianrong');
  const many = {
    ...k,
    speakers: Array.from({ length: 60 }, (_, i) => ({ name: `Speaker ${i} ${'Longname'.repeat(20)}`, role: 'role '.repeat(30), aliases: [], quotes: [] })),
  };
  for (const typed of ['', 'spe', 'Speaker 1']) {
    const choices = speakerChoices(many, typed);
    assert.ok(choices.length >= 1 && choices.length <= 25, `${typed}: ${choices.length}`);
    for (const c of choices) assert.ok(c.name.length <= 100 && c.value.length <= 100 && c.name.length >= 1);
  }
});

const status: KnowledgeStatus = { version: 'abcdef0123456789', documents: 2, paragraphs: 40, speakers: 9, quotes: 30, loadedAt: '2024-03-18T10:00:00.000Z', loadedBy: 'mod (1)', refused: [{ file: 'bad.md', line: 3, reason: 'binary' }], history: 2 };

test('status lists every shard (at most 25 fields) with version, counts, who and when', () => {
  const one = renderReplyMessage({ kind: 'knowledge-status', shards: [{ shard: '0', status }] });
  assertMessage(one);
  const value = one.embeds[0].fields![0].value;
  for (const part of ['abcdef0123456789', '2 documents', '40 paragraphs', '9 speakers', 'mod (1)', '<t:1710756000:R>', 'bad.md:3: binary', '2 earlier versions']) assert.ok(value.includes(part), part);
  const many = renderReplyMessage({ kind: 'knowledge-status', shards: Array.from({ length: 40 }, (_, i) => ({ shard: String(i), status })) });
  assertMessage(many);
  assert.match(many.embeds[0].fields!.at(-1)!.name, /16 more shards/);
});

test('a refused refresh says which file, which line and why; nothing changed', () => {
  const message = renderReplyMessage({
    kind: 'knowledge-refresh',
    result: { ok: false, action: 'upload', by: 'mod (1)', before: 'v1', after: 'v1', refused: [{ file: 'notes.md', line: 12, reason: 'not UTF-8: save the file as UTF-8 text' }], message: 'refused: notes.md:12: not UTF-8. The knowledge in service is unchanged (version v1).' },
    shards: [{ shard: '0', status }],
  });
  assertMessage(message);
  const [embed] = message.embeds;
  assert.equal(embed.title, 'Upload refused');
  assert.ok(embed.fields!.some((f) => f.name === 'Refused' && f.value.includes('notes.md:12: not UTF-8')));
  assert.ok(embed.fields!.some((f) => f.name === 'Version' && f.value.includes('unchanged')));
});

test('notices are plain content within 2000 characters', () => {
  const message = renderReplyMessage(notice('error', 'x'.repeat(5000)));
  assertMessage(message);
  assert.equal(message.content!.length, 2000);
  assert.deepEqual(message.embeds, []);
});

test('limits helpers: truncation never splits a surrogate pair; several embeds share 6000', () => {
  const emoji = '😀'.repeat(10);
  for (let max = 1; max < 20; max++) {
    const cut = truncate(emoji, max);
    assert.ok(cut.length <= max);
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(cut), `max ${max}: ${cut}`);
  }
  const big = { title: 't'.repeat(256), description: 'd'.repeat(4096), footer: { text: 'f'.repeat(1000) } };
  const fitted = fitEmbeds([big, big, big]);
  assert.ok(fitted.reduce((n, e) => n + embedLength(e), 0) <= 6000);
});

test('the application core, the console and the CLI never import discord.js or src/bot', () => {
  const files = [...['src/app', 'src/console'].flatMap((dir) => readdirSync(join(PACKAGE_ROOT, dir)).map((f) => `${dir}/${f}`)), 'src/cli.ts'];
  assert.ok(files.includes('src/app/replies.ts') && files.includes('src/app/knowledge-service.ts') && files.includes('src/console/console.ts'));
  for (const file of files) {
    const source = readFileSync(join(PACKAGE_ROOT, file), 'utf8');
    assert.ok(!/from ['"]discord\.js['"]/.test(source), file);
    for (const m of source.matchAll(/from '(\.[^']+)'/g)) assert.ok(!/(^|\/)bot\//.test(m[1]) && !m[1].includes('commands/'), `${file} imports ${m[1]}`);
  }
});
