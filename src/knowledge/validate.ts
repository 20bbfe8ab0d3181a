/**
 * Checks one knowledge file before anything reads it as an article: extension, size, binary,
 * UTF-8, and that it parses (front matter, paragraphs). A refused file gets a reason naming the
 * file and, where it helps, the line.
 */
import { KnowledgeFileError, parseKnowledgeText, type SourceDoc } from '../engine/index.js';
import { KNOWLEDGE_EXTENSIONS, NOT_A_KNOWLEDGE_FILE } from './names.js';

export const MAX_KNOWLEDGE_FILE_BYTES = 5 * 1024 * 1024;

const EMPTY_FILE = 'empty: the file has no text';

/**
 * Why a knowledge file of `size` bytes is refused on its size alone (too large, or empty), or
 * null. Shared by the check of the file itself and by the check of an upload before it is read.
 */
export function sizeProblem(size: number): string | null {
  if (size > MAX_KNOWLEDGE_FILE_BYTES) return `too large: ${size} bytes, the limit is ${MAX_KNOWLEDGE_FILE_BYTES} bytes (5 MB)`;
  if (size === 0) return EMPTY_FILE;
  return null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Line number (1-based) of byte offset `at`. */
function lineOf(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = 0; i < at && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Returns the file as a SourceDoc, or throws KnowledgeFileError with the reason. */
export function validateKnowledgeFile(name: string, bytes: Uint8Array): SourceDoc {
  if (!KNOWLEDGE_EXTENSIONS.test(name)) throw new KnowledgeFileError(name, NOT_A_KNOWLEDGE_FILE);
  const bySize = sizeProblem(bytes.length);
  if (bySize) throw new KnowledgeFileError(name, bySize);
  if (bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) throw new KnowledgeFileError(name, EMPTY_FILE);
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new KnowledgeFileError(name, 'binary: the file contains NUL bytes, it is not text', lineOf(bytes, nul));
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    // Find the first offending byte for the line number.
    let bad = 0;
    for (let lo = 0, hi = bytes.length; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      try {
        utf8.decode(bytes.subarray(0, mid));
        lo = mid + 1;
        bad = mid;
      } catch {
        hi = mid;
      }
    }
    throw new KnowledgeFileError(name, 'not UTF-8: save the file as UTF-8 text', lineOf(bytes, bad));
  }
  const controls = text.match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g)?.length ?? 0;
  if (controls > 0 && controls / text.length > 0.01) throw new KnowledgeFileError(name, 'binary: too many control characters for text');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM is encoding, not a word
  // Throws on broken front matter or no paragraphs; the build reuses the result (parsed once).
  return { name, text, parsed: parseKnowledgeText(name, text) };
}
