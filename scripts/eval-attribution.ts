/**
 * npm run eval (or: tsx scripts/eval-attribution.ts [--dir DIR] [--quiet])
 *
 * Attribution precision and recall on the labelled sets (test/fixtures/attribution-dev,
 * attribution-dev2 and attribution-dev3; --dir scores one), for direct quotes and reported speech separately, on the
 * dev and held-out articles separately. A
 * statement the engine found is right when its text overlaps a labelled statement of the same
 * kind by at least half of the longer of the two and its speaker matches the label (see
 * `sameSpeaker`). Lists every wrong and missed statement.
 */
import { pct } from './eval-set.js';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildKnowledge, type Knowledge } from '../src/engine/index.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { scriptArgs } from './args.js';

export const ATTRIBUTION_DIR = join(PACKAGE_ROOT, 'test', 'fixtures', 'attribution-dev');
/** Every labelled set `npm run eval` scores: the first, and a second of wire stories written blind later. */
const ATTRIBUTION_DIRS = [ATTRIBUTION_DIR, ...['attribution-dev2', 'attribution-dev3'].map((d) => join(PACKAGE_ROOT, 'test', 'fixtures', d))];

type Kind = 'direct' | 'indirect';
interface Label {
  article: string;
  paragraph: number;
  kind: Kind;
  text: string;
  speaker: string;
  role?: string;
}
interface Span {
  kind: Kind;
  start: number;
  end: number;
  text: string;
}
interface Found extends Span {
  /** Canonical name first, then aliases. */
  names: string[];
}
interface Expected extends Span {
  label: Label;
}

const MIN_OVERLAP = 0.5;
/** Words that open a name without being part of it: courtesy titles and the usual abbreviated titles. */
const TITLE = /^(?:mr|mrs|ms|miss|dr|prof|sen|rep|del|gov|gen|col|capt|lt|sgt|rev|judge|justice|mayor|president|chief|mister)\.?$/;

/** Lower case, curly quotes folded, articles, possessive determiners and titles off the front. */
function normalise(name: string): string[] {
  const words = name.toLowerCase().replace(/[’]/g, "'").replace(/[^\p{L}\p{N}'. -]/gu, ' ').split(/\s+/).filter(Boolean);
  while (words.length > 1 && (/^(?:the|a|an|one|his|her|its|their)$/.test(words[0]) || TITLE.test(words[0]))) words.shift();
  return words;
}

/**
 * Lenient name match: the same name once case and titles are set aside; the engine's name written
 * with fewer words of the label's full name ("Mickey Mantle" for "Mickey Charles Mantle", two words
 * or more); an alias of the engine's speaker that is the full name (so a surname alone counts only
 * when the engine linked it to the full name); for an unnamed label ("police", "trade ministry"),
 * an engine name ending in it ("Japan's trade ministry").
 */
export function sameSpeaker(label: string, names: string[]): boolean {
  const want = normalise(label).join(' ');
  const keys = names.map((n) => normalise(n).join(' '));
  if (keys.includes(want)) return true;
  const canonical = normalise(names[0] ?? '');
  const labelWords = want.split(' ');
  if (canonical.length >= 2) {
    let i = 0;
    for (const w of labelWords) if (w === canonical[i]) i++;
    if (i === canonical.length && canonical[canonical.length - 1] === labelWords[labelWords.length - 1]) return true;
  }
  const unnamed = !/\p{Lu}/u.test(label[0] ?? '');
  return unnamed && (` ${canonical.join(' ')}`.endsWith(` ${want}`));
}

function overlap(a: Span, b: Span): number {
  const shared = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  return shared > 0 ? shared / Math.max(a.end - a.start, b.end - b.start) : 0;
}

/** Character offsets of each paragraph (blank-line separated blocks after the title line). */
function paragraphOffsets(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const re = /[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out.slice(1);
}

function expectedSpans(text: string, labels: Label[]): Expected[] {
  const paragraphs = paragraphOffsets(text);
  return labels.map((label) => {
    const [ps, pe] = paragraphs[label.paragraph - 1] ?? [0, 0];
    const at = text.slice(ps, pe).indexOf(label.text);
    if (at < 0) throw new Error(`${label.article} paragraph ${label.paragraph}: label text not found: ${label.text}`);
    return { label, kind: label.kind, start: ps + at, end: ps + at + label.text.length, text: label.text };
  });
}

function foundSpans(k: Knowledge): Found[] {
  return k.quotes.map((q) => {
    const s = k.speakers[q.speaker];
    return { kind: q.kind, start: q.start, end: q.end, text: k.documents[q.doc].text.slice(q.start, q.end), names: [s.name, ...s.aliases] };
  });
}

interface Tally {
  labels: number;
  found: number;
  right: number;
}
export interface AttributionReport {
  split: string;
  byKind: Record<Kind, Tally>;
  wrong: string[];
  missed: string[];
}

const clip = (s: string, n = 90) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Scores one group of articles. Each article is built as its own knowledge base. */
function score(split: string, dir: string, articles: string[], labels: Label[]): AttributionReport {
  const r: AttributionReport = {
    split,
    byKind: { direct: { labels: 0, found: 0, right: 0 }, indirect: { labels: 0, found: 0, right: 0 } },
    wrong: [],
    missed: [],
  };
  for (const article of articles) {
    const text = readFileSync(join(dir, article), 'utf8');
    const expected = expectedSpans(text, labels.filter((l) => l.article === article));
    const found = foundSpans(buildKnowledge([{ name: article, text }]));
    const matched = new Set<Expected>();
    const where = (e: Span) => `${article} ¶${paragraphOffsets(text).findIndex(([s, end]) => e.start >= s && e.start < end) + 1}`;
    for (const f of found) {
      r.byKind[f.kind].found++;
      const candidates = expected.filter((e) => e.kind === f.kind && !matched.has(e) && overlap(e, f) >= MIN_OVERLAP);
      const right = candidates.filter((e) => sameSpeaker(e.label.speaker, f.names)).sort((a, b) => overlap(b, f) - overlap(a, f))[0];
      if (right) {
        matched.add(right);
        r.byKind[f.kind].right++;
        continue;
      }
      const near = candidates.sort((a, b) => overlap(b, f) - overlap(a, f))[0];
      const why = near ? `speaker ${f.names[0]}, expected ${near.label.speaker}` : `no such statement (${f.names[0]})`;
      r.wrong.push(`${where(f)} ${f.kind}: ${why}: "${clip(f.text)}"`);
    }
    for (const e of expected) {
      r.byKind[e.kind].labels++;
      if (!matched.has(e)) r.missed.push(`${where(e)} ${e.kind}: ${e.label.speaker}: "${clip(e.text)}"`);
    }
  }
  return r;
}

const pad6 = (n: number, d: number) => pct(n, d).padStart(6);

export function formatAttribution(r: AttributionReport, quiet = false): string {
  const row = (kind: Kind) => {
    const t = r.byKind[kind];
    return `  ${kind.padEnd(9)} precision ${pad6(t.right, t.found)} (${t.right}/${t.found})   recall ${pad6(t.right, t.labels)} (${t.right}/${t.labels})`;
  };
  return [
    `attribution ${r.split}`,
    row('direct'),
    row('indirect'),
    ...(quiet ? [] : [`  wrong (${r.wrong.length}):`, ...r.wrong.map((w) => `    ${w}`), `  missed (${r.missed.length}):`, ...r.missed.map((m) => `    ${m}`)]),
  ].join('\n');
}

/** Scores the dev and held-out articles of `dir`. */
export function evaluateAttribution(dir = ATTRIBUTION_DIR): AttributionReport[] {
  const { heldOut, labels } = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as { heldOut: string[]; labels: Label[] };
  const articles = [...new Set(labels.map((l) => l.article))].sort();
  return [
    score('dev', dir, articles.filter((a) => !heldOut.includes(a)), labels),
    score('held-out', dir, articles.filter((a) => heldOut.includes(a)), labels),
  ];
}

/** The report `npm run eval` prints: both labelled sets, each split into dev and held-out. */
export function attributionSection(quiet = false): string {
  return ATTRIBUTION_DIRS.filter((dir) => existsSync(dir))
    .flatMap((dir) => [`(${basename(dir)})`, ...evaluateAttribution(dir).map((r) => formatAttribution(r, quiet))])
    .join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = scriptArgs({ options: { dir: { type: 'string' }, quiet: { type: 'boolean' } } }, 'usage: npx tsx scripts/eval-attribution.ts [--dir DIR] [--quiet]');
  console.log(evaluateAttribution(values.dir ?? ATTRIBUTION_DIR).map((r) => formatAttribution(r, values.quiet)).join('\n'));
}
