/**
 * A full disk never tears a file: on a small tmpfs (mounted by the test, as root; skipped with the
 * reason when mounting is not permitted), a write that does not fit is refused with a clear
 * reason, leaves no temporary file, and the old file stays in place and in service.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { FileWriteError, writeFileAtomic } from '../src/knowledge/atomic-write.js';
import { KnowledgeStore } from '../src/knowledge/store.js';
import { SEED_FILE } from './helpers.js';

const silent = pino({ level: 'silent' });

/** Mounts a tmpfs of `kb` KiB; returns its path, or the reason it could not. */
function smallDisk(kb: number): { dir: string } | { skip: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aqb-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `cannot mount a small tmpfs to fill (needs root): ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}` };
  }
  after(() => {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir };
}

/** Fills the disk until about `leaveKb` KiB are free. */
function fill(dir: string, leaveKb: number): void {
  const free = Number(execFileSync('df', ['--output=avail', '-k', dir]).toString().trim().split('\n').pop());
  writeFileSync(join(dir, 'filler.bin'), Buffer.alloc(Math.max(0, free - leaveKb) * 1024));
}

const tempFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'));

test('a write that does not fit is refused as a full disk; the old file stays whole; no temp file is left', (t) => {
  const disk = smallDisk(256);
  if ('skip' in disk) return t.skip(disk.skip);
  const target = join(disk.dir, 'article.md');
  writeFileSync(target, 'the old version\n');
  fill(disk.dir, 64);
  assert.throws(
    () => writeFileAtomic(target, Buffer.alloc(150 * 1024, 0x61)),
    (err: unknown) => err instanceof FileWriteError && err.code === 'ENOSPC' && /disk is full/.test(err.message),
  );
  assert.equal(readFileSync(target, 'utf8'), 'the old version\n');
  assert.deepEqual(tempFiles(disk.dir), []);
  writeFileAtomic(target, Buffer.from('fits\n'));
  assert.equal(readFileSync(target, 'utf8'), 'fits\n', 'a write that fits still works');
});

test('an upload onto a full disk is refused with the reason; the knowledge in service and on disk is unchanged', async (t) => {
  const disk = smallDisk(256);
  if ('skip' in disk) return t.skip(disk.skip);
  const dir = join(disk.dir, 'knowledge');
  mkdirSync(dir);
  writeFileSync(join(dir, 'article.md'), readFileSync(SEED_FILE));
  const store = await KnowledgeStore.open({ dir, logger: silent, cacheDir: null, worker: false });
  const before = store.status().version;
  fill(disk.dir, 64);
  const paragraphs = Array.from({ length: 2000 }, (_, i) => `The harbor master said on day ${i} that the port would stay open.`);
  const big = Buffer.from(`# Harbor log\n\n${paragraphs.join('\n\n')}\n`);
  assert.ok(big.length > 100 * 1024);
  const result = await store.upload('harbor.md', big, 'tester');
  assert.equal(result.ok, false, 'not "done": the file did not fit');
  assert.match(result.message, /harbor\.md: the disk is full/);
  assert.equal(store.status().version, before, 'the old knowledge stays in service');
  assert.ok(!existsSync(join(dir, 'harbor.md')), 'no torn file in the folder');
  assert.deepEqual(tempFiles(disk.dir), []);
  const reread = await store.reload('tester');
  assert.equal(reread.after, before, 'a reload (or restart) finds the old knowledge');
  assert.equal((await store.rollback('tester')).ok, false, 'the refused upload left nothing to roll back');
});
