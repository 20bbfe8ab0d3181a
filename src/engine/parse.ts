/**
 * Knowledge file text -> document structure: front matter, title, sections and paragraphs, each
 * paragraph an exact [start, end) range of the file's text.
 *
 * Markdown (.md): optional `---` front matter, `# Title`, `## Section` headings.
 * Plain text (.txt): the first line is the title; a short line without end punctuation is a
 * section heading. In both, paragraphs are separated by blank lines.
 */

export class KnowledgeFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
    this.name = 'KnowledgeFileError';
  }
}

export interface ParsedBlock {
  kind: 'title' | 'heading' | 'paragraph';
  start: number;
  end: number;
}

export interface ParsedFile {
  meta: Record<string, string>;
  /** Speaker name -> extra aliases, from front matter `aliases:`. */
  aliases: Record<string, string[]>;
  title: string;
  sections: string[];
  paragraphs: { section: number; start: number; end: number }[];
}

const FRONT_MATTER_FENCE = /^---\s*$/;
/** Characters that end a line of prose (a sentence, a quote, a list item). */
const SENTENCE_END = '.!?:"”’)]…';
/** A heading in plain text: short, no sentence-ending punctuation, not a quote. */
const MAX_HEADING_CHARS = 90;

/**
 * Splits one front-matter line into key and value, or null when it is not `key: value`. Written
 * without backtracking patterns: a line is text an uploader controls, and a pattern such as
 * `\s*([^:]+?)\s*:` is cubic on a long run of spaces.
 */
function keyValue(raw: string): { key: string; value: string } | null {
  let s = raw.trimStart();
  if (s.startsWith('-')) s = s.slice(1).trimStart(); // a YAML list item: `- Name: alias`
  const colon = s.indexOf(':');
  if (colon < 0) return null;
  const key = s.slice(0, colon).trim();
  return key ? { key, value: s.slice(colon + 1).trim() } : null;
}

/** Reads `key: value` front matter; `aliases:` takes indented `Name: alias, alias` lines. */
function parseFrontMatter(file: string, lines: string[]): Pick<ParsedFile, 'meta' | 'aliases'> {
  const meta: Record<string, string> = {};
  const aliases: Record<string, string[]> = {};
  let inAliases = false;
  lines.forEach((raw, i) => {
    const lineNo = i + 2; // the opening fence is line 1
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const indented = isSpace(raw, 0);
    const kv = keyValue(raw);
    if (!kv) throw new KnowledgeFileError(file, `front matter line is not "key: value": ${JSON.stringify(shorten(trimmed))}`, lineNo);
    const { key, value } = kv;
    if (indented && inAliases) {
      const list = stripBrackets(unquote(value));
      const names = list.split(/[,;]/).map((s) => unquote(s.trim())).filter(Boolean);
      if (!names.length) throw new KnowledgeFileError(file, `aliases for "${shorten(key)}" are empty`, lineNo);
      aliases[unquote(key)] = names;
      return;
    }
    if (indented) throw new KnowledgeFileError(file, `unexpected indented line in front matter`, lineNo);
    inAliases = key.toLowerCase() === 'aliases' && value === '';
    if (!inAliases) meta[key.toLowerCase()] = unquote(value);
  });
  return { meta, aliases };
}

/** A refusal quotes at most this much of the offending line. */
function shorten(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function isSpace(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  // The fast path covers ASCII; the rest defers to the same definition as \s and trim().
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  return c > 0x7f && text[at].trim() === '';
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0] ? t.slice(1, -1) : t;
}

/** `[a, b]` -> `a, b` (a YAML flow list). */
function stripBrackets(s: string): string {
  const from = s.startsWith('[') ? 1 : 0;
  const to = s.endsWith(']') && s.length > from ? s.length - 1 : s.length;
  return s.slice(from, to);
}

function isPlainHeading(line: string): boolean {
  const t = line.trim();
  if (t.length === 0 || t.length > MAX_HEADING_CHARS) return false;
  if (/[.!:;,"”’)\]…]$/.test(t)) return false;
  if (!/^[\p{Lu}\p{N}]/u.test(t)) return false;
  const words = t.split(/\s+/);
  if (words.length > 14) return false;
  // A question is a heading only in title case ("Will the West Reevaluate Dependency on China?").
  if (t.endsWith('?')) {
    const long = words.filter((w) => w.length >= 4);
    return long.filter((w) => /^\p{Lu}/u.test(w)).length >= 0.6 * long.length;
  }
  return true;
}

/**
 * A plain-text block whose every line ends a sentence (or is a heading) is one paragraph per
 * line: text exported without blank lines. Hard-wrapped prose (lines ending mid-sentence) stays
 * one paragraph.
 */
function lineParagraphs(text: string, start: number, end: number): ParsedBlock[] {
  const lines: ParsedBlock[] = [];
  for (let at = start; at < end; ) {
    const nl = text.indexOf('\n', at);
    const lineEnd = nl < 0 || nl > end ? end : nl;
    let a = at;
    let b = lineEnd;
    while (a < b && isSpace(text, a)) a++;
    while (b > a && isSpace(text, b - 1)) b--;
    if (b > a) lines.push({ kind: 'paragraph', start: a, end: b });
    at = lineEnd + 1;
  }
  const endsSentence = (l: ParsedBlock) => SENTENCE_END.includes(text[l.end - 1]) || isPlainHeading(text.slice(l.start, l.end));
  return lines.length > 1 && lines.every(endsSentence) ? lines : [{ kind: 'paragraph', start, end }];
}

/** Runs of lines that are not blank, from `from` on, trimmed of surrounding whitespace. */
function nonBlankRuns(text: string, from: number): Array<{ start: number; end: number }> {
  const runs: Array<{ start: number; end: number }> = [];
  let runStart = -1;
  let runEnd = -1;
  for (let at = from; at <= text.length; ) {
    const nl = text.indexOf('\n', at);
    const lineEnd = nl < 0 ? text.length : nl;
    let a = at;
    while (a < lineEnd && isSpace(text, a)) a++;
    if (a < lineEnd) {
      let b = lineEnd;
      while (b > a && isSpace(text, b - 1)) b--;
      if (runStart < 0) runStart = a;
      runEnd = b;
    } else if (runStart >= 0) {
      runs.push({ start: runStart, end: runEnd });
      runStart = -1;
    }
    at = lineEnd + 1;
  }
  if (runStart >= 0) runs.push({ start: runStart, end: runEnd });
  return runs;
}

/** `## Heading ##` -> level 2, "Heading"; null when the line is not an ATX heading. */
function markdownHeading(line: string): { level: number; text: string } | null {
  let level = 0;
  while (line[level] === '#') level++;
  if (level < 1 || level > 6 || !isSpace(line, level)) return null;
  let text = line.slice(level).trim();
  // A closing run of #s, when space separates it from the text, is decoration.
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end > 0 && end < text.length && isSpace(text, end - 1)) text = text.slice(0, end).trimEnd();
  return text ? { level, text } : null;
}

/** Splits a file's text into title, sections and paragraphs. Throws KnowledgeFileError. */
export function parseKnowledgeText(file: string, text: string): ParsedFile {
  const markdown = /\.md$/i.test(file);
  let meta: Record<string, string> = {};
  let aliases: Record<string, string[]> = {};
  let bodyStart = 0;
  let bodyLine = 1;

  if (FRONT_MATTER_FENCE.test(text.slice(0, text.indexOf('\n') >>> 0))) {
    const lines = text.split('\n');
    const close = lines.findIndex((l, i) => i > 0 && FRONT_MATTER_FENCE.test(l));
    if (close < 0) throw new KnowledgeFileError(file, 'front matter opened with --- is never closed', 1);
    ({ meta, aliases } = parseFrontMatter(file, lines.slice(1, close)));
    bodyStart = lines.slice(0, close + 1).reduce((n, l) => n + l.length + 1, 0);
    bodyLine = close + 2;
  }

  // Blocks: runs of non-blank lines, with their offsets (a scan, not a pattern: see keyValue).
  const blocks: ParsedBlock[] = [];
  for (const { start, end } of nonBlankRuns(text, bodyStart)) {
    blocks.push(...(markdown ? [{ kind: 'paragraph' as const, start, end }] : lineParagraphs(text, start, end)));
  }

  let title = meta.title ?? '';
  const sections: string[] = [];
  const paragraphs: ParsedFile['paragraphs'] = [];
  let section = -1;
  blocks.forEach((b, i) => {
    const body = text.slice(b.start, b.end);
    if (markdown) {
      const h = body.includes('\n') ? null : markdownHeading(body);
      if (h) {
        // "# Title" names the document (front matter may already have), it opens no section.
        if (h.level === 1) title ||= h.text;
        else {
          sections.push(h.text);
          section = sections.length - 1;
        }
        return;
      }
    } else if (!body.includes('\n') && isPlainHeading(body)) {
      if (i === 0 && !title) title = body.trim();
      else {
        sections.push(body.trim());
        section = sections.length - 1;
      }
      return;
    } else if (i === 0 && !title && !markdown) {
      // The first line of a .txt is its title even when it reads like a sentence.
      const nl = body.indexOf('\n');
      if (nl < 0) {
        title = body.trim();
        return;
      }
      title = body.slice(0, nl).trim();
      paragraphs.push({ section, start: b.start + nl + 1, end: b.end });
      return;
    }
    paragraphs.push({ section, start: b.start, end: b.end });
  });

  if (!paragraphs.length) {
    throw new KnowledgeFileError(file, 'no paragraphs: the file has no text besides headings', bodyLine);
  }
  if (!title) title = file.replace(/\.(md|txt)$/i, '');
  return { meta, aliases, title, sections, paragraphs };
}
