/** Small text helpers shared by the engine. */

/** Folds curly quotes and apostrophes to straight ones, collapses white space, lower-cases. */
export function fold(s: string): string {
  return s
    .replace(/[‘’‛`´]/g, "'")
    .replace(/[“”„«»]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Letters of the Latin extensions with no combining accent to strip, by their look-alike. */
const LOOK_ALIKES: Record<string, string> = { ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ı: 'i', ħ: 'h', Ħ: 'H', ŧ: 't', Ŧ: 'T', œ: 'o', Œ: 'O', ĳ: 'i', Ĳ: 'I', ſ: 's', ƒ: 'f' };
/** Letters beyond Latin-1 (U+0100–U+024F, U+1E00–U+1EFF). */
const LATIN_EXTENDED = /[\u0100-\u024f\u1e00-\u1eff]/g;
const plainLetters = new Map<string, string>();

/**
 * A plain letter of the same length for a letter of the Latin extensions: its base letter ("č" ->
 * "c", "ế" -> "e"), or a look-alike ("ł" -> "l"), or "x" keeping its case.
 */
function plainLetter(c: string): string {
  let p = plainLetters.get(c);
  if (p === undefined) {
    const base = c.normalize('NFD')[0];
    p = /^[A-Za-z]$/.test(base) ? base : (LOOK_ALIKES[c] ?? (c !== c.toLowerCase() ? 'X' : 'x'));
    plainLetters.set(c, p);
  }
  return p;
}

/** `s` with each letter of the Latin extensions as its plain letter: same length, same offsets ("Vučić" -> "Vucic"). */
export function withPlainLetters(s: string): string {
  return s.replace(LATIN_EXTENDED, plainLetter);
}

/** Latin-1 letters that are not an accented plain letter. */
const LATIN1_PLAIN: Record<string, string> = { ø: 'o', Ø: 'O', ß: 'ss', æ: 'ae', Æ: 'Ae', ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th' };

/** Without accents: "Ibáñez" = "Ibanez", "Skłodowska" = "Sklodowska", "Søren" = "Soren". */
export function withoutAccents(s: string): string {
  return withPlainLetters(s.normalize('NFD').replace(/[\u0300-\u036f]/g, '')).replace(/[øØßæÆðÐþÞ]/g, (c) => LATIN1_PLAIN[c]);
}

/** A word without its possessive ending ("Ghana's" -> "Ghana"). */
export function withoutPossessive(word: string): string {
  return word.replace(/['’]s$/, '');
}

/** A speaker-name key: folded, accents and initials' dots off ("Ibáñez" = "Ibanez", "F.A.O." = "FAO"), without a possessive or punctuation at the ends. */
export function nameKey(s: string): string {
  return withoutPossessive(fold(withoutAccents(s)))
    .replace(/(?<![\p{L}\p{N}])(?:\p{L}\.){2,}/gu, (initials) => initials.replace(/\./g, ''))
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** Which of the letters a-z a word has, one bit each: a cheap bound on its edit distance to another (see lettersApart). */
export function letterMask(word: string): number {
  let m = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i) - 97;
    if (c >= 0 && c < 26) m |= 1 << c;
  }
  return m;
}

/** How many letters one of two words has and the other lacks, by their letter masks. One edit changes it by at most two: words further apart than 2 × budget cannot be within budget edits. */
export function lettersApart(a: number, b: number): number {
  let x = a ^ b;
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

// Reused rows: edit distances run in tight loops over candidate lists.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), giving up and
 * returning max + 1 as soon as the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  if (rowA.length <= n) {
    rowA = new Int32Array(n + 1);
    rowB = new Int32Array(n + 1);
    rowC = new Int32Array(n + 1);
  }
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = prev[j - 1] + (ai === bj ? 0 : 1);
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj && prev2[j - 2] + 1 < v) v = prev2[j - 2] + 1;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n];
}

/** How many typos a word of this length may carry and still be recognised. */
export function typoBudget(word: string): number {
  return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0;
}
