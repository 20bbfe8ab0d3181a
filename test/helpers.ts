/** Shared test helpers: the bundled knowledge, built once per test file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKnowledge, type Knowledge } from '../src/engine/index.js';
import { PACKAGE_ROOT } from '../src/paths.js';

export const SEED_FILE = join(PACKAGE_ROOT, 'knowledge', 'article.md');
export const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures');

let seed: Knowledge | undefined;
/** The bundled seed article, built once. */
export function seedKnowledge(): Knowledge {
  seed ??= buildKnowledge([{ name: 'article.md', text: readFileSync(SEED_FILE, 'utf8') }]);
  return seed;
}

export function knowledgeOf(files: Record<string, string>): Knowledge {
  return buildKnowledge(Object.entries(files).map(([name, text]) => ({ name, text })));
}

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}
