import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKnowledgeText, KnowledgeFileError } from '../src/engine/parse.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { seedKnowledge, SEED_FILE, fixture } from './helpers.js';

const SHARED_SEED = join(PACKAGE_ROOT, '..', 'shared', 'seed', 'article.txt');

test('the bundled article keeps every paragraph of the seed word for word', () => {
  const md = readFileSync(SEED_FILE, 'utf8');
  const k = seedKnowledge();
  const doc = k.documents[0];
  assert.equal(doc.title, 'China Backs Away From Russia, Shows Support for Ukraine');
  assert.deepEqual(doc.sections, ['Chinese Officials Share Support for Ukraine', 'Will the West Reevaluate Dependency on China?']);
  assert.equal(doc.paragraphs.length, 6);
  for (const p of doc.paragraphs) {
    const text = md.slice(p.start, p.end);
    for (const s of p.sentences) assert.ok(p.start <= s.start && s.end <= p.end, 'sentence inside its paragraph');
    try {
      assert.ok(readFileSync(SHARED_SEED, 'utf8').includes(text), `paragraph ${p.number} is verbatim from the seed`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // shared/ may be absent outside CI
    }
  }
});

test('the plain-text seed parses like the Markdown version: title, sections, the same paragraphs', () => {
  const text = readFileSync(SEED_FILE, 'utf8').replace(/^---[\s\S]*?---\n\n# /, '').replace(/^## /gm, '');
  const parsed = parseKnowledgeText('article.txt', text);
  assert.equal(parsed.title, 'China Backs Away From Russia, Shows Support for Ukraine');
  assert.deepEqual(parsed.sections, seedKnowledge().documents[0].sections);
  assert.equal(parsed.paragraphs.length, 6);
});

test('front matter: fields, aliases, and the line of a broken entry', () => {
  const ok = parseKnowledgeText('a.md', '---\ntitle: "T"\ndate: 2026-01-01\naliases:\n  Jane Roe: Roe, the mayor\n---\nBody text here.\n');
  assert.equal(ok.title, 'T');
  assert.equal(ok.meta.date, '2026-01-01');
  assert.deepEqual(ok.aliases, { 'Jane Roe': ['Roe', 'the mayor'] });
  assert.throws(() => parseKnowledgeText('b.md', '---\ntitle: x\nthis is not a field\n---\nBody.\n'), (e: KnowledgeFileError) => e.file === 'b.md' && e.line === 3 && /key: value/.test(e.reason));
  assert.throws(() => parseKnowledgeText('c.md', '---\ntitle: x\nBody.\n'), /never closed/);
});

test('odd files: no paragraphs, headings only, Windows line endings, a single line', () => {
  assert.throws(() => parseKnowledgeText('h.md', '# Title\n\n## Section\n'), /no paragraphs/);
  const crlf = parseKnowledgeText('w.txt', 'Title\r\n\r\nFirst paragraph here.\r\n\r\nSecond one.\r\n');
  assert.equal(crlf.title, 'Title');
  assert.equal(crlf.paragraphs.length, 2);
  const one = parseKnowledgeText('o.md', 'Just one sentence without a title.');
  assert.equal(one.title, 'o');
  assert.equal(one.paragraphs.length, 1);
});

test('a plain .txt: first line title, short unpunctuated lines are sections', () => {
  const parsed = parseKnowledgeText('plain-notes.txt', fixture('articles/plain-notes.txt'));
  assert.equal(parsed.title, 'Library Budget Vote Delayed');
  assert.deepEqual(parsed.sections, ['Public Comment']);
  assert.equal(parsed.paragraphs.length, 4);
  assert.equal(parsed.paragraphs[0].section, -1);
  assert.equal(parsed.paragraphs[1].section, 0);
});

test('plain text without blank lines: one paragraph per sentence-ending line; hard-wrapped prose stays whole', () => {
  const text = 'Title Line\nFirst paragraph is here.\nSecond paragraph, with more.\nA Heading\nThird one after the heading.\n';
  const parsed = parseKnowledgeText('lines.txt', text);
  assert.equal(parsed.title, 'Title Line');
  assert.deepEqual(parsed.sections, ['A Heading']);
  assert.deepEqual(parsed.paragraphs.map((p) => [p.section, text.slice(p.start, p.end)]), [
    [-1, 'First paragraph is here.'],
    [-1, 'Second paragraph, with more.'],
    [0, 'Third one after the heading.'],
  ]);
  assert.equal(parseKnowledgeText('w.txt', 'Title\n\nThis is a hard wrapped\nparagraph that continues\nhere.\n').paragraphs.length, 1);
});
