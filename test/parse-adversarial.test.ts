/**
 * Parsing must be linear in the input: a knowledge file is text anyone with Manage Server can
 * upload. Each adversarial input below is about 1 MB; a linear parser reads all of them in well
 * under a second, while a backtracking pattern on any of them runs for minutes to hours. The
 * parse runs in a worker that is terminated at a generous deadline, so a regression fails the test
 * instead of freezing the test run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';

const MB = 1 << 20;
/** Generous: 20x what the whole set takes on a slow machine, far below what a quadratic parse needs. */
const DEADLINE_MS = 20_000;

const adversarial: Record<string, [name: string, text: string]> = {
  'a long run of spaces in a front-matter line': ['a.md', `---\ntitle: x\n${' '.repeat(MB)}\n---\nBody.\n`],
  'spaces then a word in a front-matter line': ['a.md', `---\n${' '.repeat(MB)}a\n---\nBody.\n`],
  'a front-matter key made of spaces, then a colon far away': ['a.md', `---\na${' '.repeat(MB)}b: c\n---\nBody.\n`],
  'thousands of colons in front matter': ['a.md', `---\n${'a:'.repeat(MB / 2)}\n${':'.repeat(MB / 4)}\n---\nBody.\n`],
  'an indented alias line of spaces': ['a.md', `---\naliases:\n ${' '.repeat(MB)}x\n---\nBody.\n`],
  'a whitespace-only body line': ['a.md', `# T\n\nBody.\n${' '.repeat(MB)}\n`],
  'a whitespace-only body line in plain text': ['a.txt', `Title\n\nBody.\n${' \t'.repeat(MB / 2)}\n`],
  'a 1 MB single line of words': ['a.md', 'word '.repeat(MB / 5)],
  'a heading with a long run of spaces inside': ['a.md', `# a${' '.repeat(MB)}b\n\nBody.\n`],
  'a heading of hashes and spaces': ['a.md', `## ${'# '.repeat(MB / 2)}x\n\nBody.\n`],
  'lines of single spaces': ['a.md', `# T\n\nBody.\n${' \n'.repeat(MB / 2)}`],
  'a million blank lines': ['a.md', `# T\n\n${'\n'.repeat(MB)}Body.\n`],
  'carriage returns and spaces': ['a.txt', `Title\n\nBody.\n${'\r \r\n'.repeat(MB / 4)}x`],
};

/** Parses every input in a worker; resolves with each outcome, rejects after `deadlineMs`. */
function parseAllInWorker(inputs: Array<[string, string]>, deadlineMs: number): Promise<string[]> {
  const url = new URL('../src/engine/parse.ts', import.meta.url).href;
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); }).then(({ parseKnowledgeText }) => {
      const out = workerData.map(([name, text]) => {
        try { const p = parseKnowledgeText(name, text); return 'parsed ' + p.paragraphs.length + ' paragraph(s)'; }
        catch (err) { return 'refused: ' + err.message.slice(0, 80); }
      });
      parentPort.postMessage(out);
    });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: inputs });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`parsing ${inputs.length} adversarial inputs took longer than ${deadlineMs / 1000} s: not linear`));
    }, deadlineMs);
    worker.once('message', (out: string[]) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(out);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

test('parsing is linear: ~1 MB adversarial inputs (whitespace runs, colons, one long line) parse or are refused quickly', { timeout: DEADLINE_MS + 10_000 }, async () => {
  const names = Object.keys(adversarial);
  for (const name of names) assert.ok(adversarial[name][1].length >= MB / 2, `${name}: the input is big enough to tell linear from quadratic`);
  const outcomes = await parseAllInWorker(Object.values(adversarial), DEADLINE_MS);
  assert.equal(outcomes.length, names.length);
  // Every input gets an outcome; the ones with a body parse it, broken front matter is refused with a reason.
  for (const [i, outcome] of outcomes.entries()) assert.match(outcome, /^(parsed [1-9]|refused: a\.(md|txt):)/, names[i]);
});
