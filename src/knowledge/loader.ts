/**
 * Reads knowledge from disk: one file, or every .md/.txt file under a folder (history and hidden
 * folders skipped). Each file is validated on its own: a bad file is refused with its reason and
 * the others still load.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { SourceDoc } from '../engine/types.js';
import { KnowledgeFileError } from '../engine/parse.js';
import { FileWriteError } from './atomic-write.js';
import { KNOWLEDGE_EXTENSIONS, validateKnowledgeFile } from './validate.js';

export interface RefusedFile {
  file: string;
  line?: number;
  reason: string;
}

export interface LoadedSources {
  sources: SourceDoc[];
  refused: RefusedFile[];
}

export function refusal(err: unknown, file: string): RefusedFile {
  if (err instanceof KnowledgeFileError) return { file: err.file, line: err.line, reason: err.reason };
  if (err instanceof FileWriteError) return { file, reason: err.reason };
  return { file, reason: err instanceof Error ? err.message : String(err) };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue; // .history, editor temp files
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile() && KNOWLEDGE_EXTENSIONS.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** Loads a knowledge file or folder. Throws only when the path itself cannot be read. */
export function loadKnowledgeSources(path: string): LoadedSources {
  const isDir = statSync(path).isDirectory();
  const files = isDir ? listFiles(path) : [path];
  const sources: SourceDoc[] = [];
  const refused: RefusedFile[] = [];
  for (const file of files) {
    const name = isDir ? relative(path, file).split('\\').join('/') : basename(file);
    try {
      sources.push(validateKnowledgeFile(name, readFileSync(file)));
    } catch (err) {
      refused.push(refusal(err, name));
    }
  }
  return { sources, refused };
}

export function describeRefusal(r: RefusedFile): string {
  return `${r.file}${r.line ? `:${r.line}` : ''}: ${r.reason}`;
}
