/**
 * The one way this program replaces a file: a temporary file in the same folder, every byte
 * written and checked, fsync, the size verified, then a rename over the target. A crash leaves
 * the old or the new file whole, never a torn one; a full disk or any other I/O error leaves the
 * old file in place, no temporary file behind, and throws a FileWriteError that says why.
 * Used by every writer: knowledge files, their history, the index cache.
 */
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Temp files of writeFileAtomic: `.<name>.<pid>.<time>.tmp` (a crash mid-write leaves one). */
export const TEMP_FILE = /^\..+\.\d+\.\d+\.tmp$/;

/** A write that did not happen; `reason` is fit to show to the person who asked for it. */
export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly code?: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** Plain words for the errors a person can do something about. */
function describeWriteError(err: unknown): { reason: string; code?: string } {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOSPC':
      return { code, reason: 'the disk is full: the file could not be written, nothing was changed' };
    case 'EDQUOT':
      return { code, reason: 'the disk quota is exceeded: the file could not be written, nothing was changed' };
    case 'EROFS':
      return { code, reason: 'the folder is on a read-only file system: nothing was changed' };
    case 'EACCES':
    case 'EPERM':
      return { code, reason: 'no permission to write in the folder: nothing was changed' };
    default:
      return { code, reason: `the file could not be written (${code ?? (err instanceof Error ? err.message : String(err))}): nothing was changed` };
  }
}

let sequence = 0;

/** Writes `bytes` to `target` atomically; throws FileWriteError (the old file untouched). */
export function writeFileAtomic(target: string, bytes: Uint8Array): void {
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${Date.now()}${String(sequence++ % 1000).padStart(3, '0')}.tmp`);
  let fd: number | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(tmp, 'wx', 0o644);
    // writeSync may write fewer bytes than asked (a nearly full disk): loop, and never trust a count of 0.
    for (let at = 0; at < bytes.length; ) {
      const written = writeSync(fd, bytes, at, bytes.length - at);
      if (written <= 0) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      at += written;
    }
    fsyncSync(fd);
    const size = fstatSync(fd).size;
    if (size !== bytes.length) throw new Error(`wrote ${size} of ${bytes.length} bytes`);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing; the unlink below is what matters
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already gone
    }
    const { reason, code } = describeWriteError(err);
    throw new FileWriteError(basename(target), reason, code);
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // directory fsync is not supported everywhere; the rename is still atomic
  }
}
