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
/** A heading in plain text: short, no sentence-ending punctuation, not a quote. */
const MAX_HEADING_CHARS = 90;

/** Reads `key: value` front matter; `aliases:` takes indented `Name: alias, alias` lines. */
function parseFrontMatter(file: string, lines: string[]): Pick<ParsedFile, 'meta' | 'aliases'> {
  const meta: Record<string, string> = {};
  const aliases: Record<string, string[]> = {};
  let inAliases = false;
  lines.forEach((raw, i) => {
    const lineNo = i + 2; // the opening fence is line 1
    if (raw.trim() === '' || raw.trim().startsWith('#')) return;
    const indented = /^\s+/.test(raw);
    const m = /^\s*(?:-\s*)?([^:]+?)\s*:\s*(.*)$/.exec(raw);
    if (!m) throw new KnowledgeFileError(file, `front matter line is not "key: value": ${JSON.stringify(raw.trim())}`, lineNo);
    const [, key, value] = m;
    if (indented && inAliases) {
      const list = unquote(value).replace(/^\[|\]$/g, '');
      const names = list.split(/[,;]/).map((s) => unquote(s.trim())).filter(Boolean);
      if (!names.length) throw new KnowledgeFileError(file, `aliases for "${key}" are empty`, lineNo);
      aliases[unquote(key)] = names;
      return;
    }
    if (indented) throw new KnowledgeFileError(file, `unexpected indented line in front matter`, lineNo);
    inAliases = key.toLowerCase() === 'aliases' && value.trim() === '';
    if (!inAliases) meta[key.toLowerCase()] = unquote(value.trim());
  });
  return { meta, aliases };
}

function unquote(s: string): string {
  const t = s.trim();
  return /^(["']).*\1$/.test(t) ? t.slice(1, -1) : t;
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
    while (a < b && /\s/.test(text[a])) a++;
    while (b > a && /\s/.test(text[b - 1])) b--;
    if (b > a) lines.push({ kind: 'paragraph', start: a, end: b });
    at = lineEnd + 1;
  }
  const endsSentence = (l: ParsedBlock) => /[.!?:"”’)\]…]$/.test(text.slice(l.start, l.end)) || isPlainHeading(text.slice(l.start, l.end));
  return lines.length > 1 && lines.every(endsSentence) ? lines : [{ kind: 'paragraph', start, end }];
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

  // Blocks: runs of non-blank lines, with their offsets.
  const blocks: ParsedBlock[] = [];
  const blockRe = /[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*/g;
  blockRe.lastIndex = bodyStart;
  for (let m = blockRe.exec(text); m; m = blockRe.exec(text)) {
    let start = m.index;
    let end = m.index + m[0].length;
    while (/\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    blocks.push(...(markdown ? [{ kind: 'paragraph' as const, start, end }] : lineParagraphs(text, start, end)));
  }

  let title = meta.title ?? '';
  const sections: string[] = [];
  const paragraphs: ParsedFile['paragraphs'] = [];
  let section = -1;
  blocks.forEach((b, i) => {
    const body = text.slice(b.start, b.end);
    if (markdown) {
      const h = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(body);
      if (h && !body.includes('\n')) {
        // "# Title" names the document (front matter may already have), it opens no section.
        if (h[1].length === 1) title ||= h[2];
        else {
          sections.push(h[2]);
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
