/** Paths relative to the package root, valid from src/ (tsx) and from dist/src/ (compiled). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const DEFAULT_KNOWLEDGE_DIR = join(PACKAGE_ROOT, 'knowledge');
export const DEFAULT_CACHE_DIR = join(PACKAGE_ROOT, '.cache');
/** One folder per server with knowledge of its own: `data/servers/<server id>/`. */
export const DEFAULT_SERVERS_DIR = join(PACKAGE_ROOT, 'data', 'servers');
