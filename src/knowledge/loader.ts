/**
 * Reads knowledge from disk: one file, or every .md/.txt file under a folder (history and hidden
 * folders skipped). Each file is validated on its own: a bad file is refused with its reason and
 * the others still load.
 */
import { statSync } from 'node:fs';
import { KnowledgeFileError, type SourceDoc } from '../engine/index.js';
import { FileWriteError } from './atomic-write.js';
import { FsKnowledgeFolder } from './folder.js';
import type { RefusedFile, StoredFile } from './storage.js';
import { validateKnowledgeFile } from './validate.js';

export type { RefusedFile } from './storage.js';

export interface LoadedSources {
  sources: SourceDoc[];
  refused: RefusedFile[];
}

export function refusal(err: unknown, file: string): RefusedFile {
  if (err instanceof KnowledgeFileError) return { file: err.file, line: err.line, reason: err.reason };
  if (err instanceof FileWriteError) return { file, reason: err.reason };
  return { file, reason: err instanceof Error ? err.message : String(err) };
}

/** Validates listed files one by one: the good ones as sources, the rest refused with the reason. */
export function validateFiles(listed: { files: StoredFile[]; refused: RefusedFile[] }, onChecked: (done: number) => void = () => undefined): LoadedSources {
  const sources: SourceDoc[] = [];
  const refused: RefusedFile[] = [...listed.refused];
  for (const { name, bytes } of listed.files) {
    try {
      sources.push(validateKnowledgeFile(name, bytes));
    } catch (err) {
      refused.push(refusal(err, name));
    }
    onChecked(sources.length + refused.length - listed.refused.length);
  }
  return { sources, refused };
}

/** Loads a knowledge file or folder. Throws only when the path itself cannot be read. */
export function loadKnowledgeSources(path: string): LoadedSources {
  statSync(path); // a path that does not exist throws here, with its name
  return validateFiles(new FsKnowledgeFolder(path).listSync());
}

export function describeRefusal(r: RefusedFile): string {
  return `${r.file}${r.line ? `:${r.line}` : ''}: ${r.reason}`;
}
