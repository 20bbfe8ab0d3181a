/**
 * Attribution: who says what in a document. Rules over wink-nlp POS tags (the lite model has no
 * PERSON entity):
 *  - a direct quote is text between quote marks; it belongs to the speaker of a reporting verb in
 *    a sentence it overlaps, or, at the start of a sentence with no reporting verb, to the speaker
 *    just before it (a "floating" quote). Other quoted words are scare quotes, not speech.
 *  - reported speech is a sentence whose reporting verb has a named subject.
 *  - the subject is the proper-noun run before the verb (`X said`, `X, <appositive>, said`,
 *    `Title X said`), after it (`", said X`, `Said X: ‘…’`), in a source phrase ("according to
 *    X", "in the words of X", "as X put it"), a he/she that carries the previous named speaker
 *    (or, before a quotation, the one person just named), or "the <role>" that matches an
 *    earlier speaker's role.
 * Precision before recall: when a rule is unsure it attributes nothing.
 *
 * This module walks a document sentence by sentence and assigns its quotes; statements.ts finds
 * the statements of one sentence, subjects.ts their speakers, clauses.ts their reported clauses,
 * names.ts reads names, tokens.ts and types.ts hold what they share.
 */
import type { Token, TokenizedSentence } from '../nlp.js';
import type { Mention, Subject, Statement, DocState, AttributionInput, AttributionContext } from './types.js';
import { findQuoteSpans, isPunct, isNameToken, QUOTE_THEN_DASH } from './tokens.js';
import { readNameRun, isCompanyName, namesAnotherPerson, onlyPersonNamed, withNames, nameWords, nameRuns, completeSurnames } from './names.js';
import { narrationSubject } from './subjects.js';
import { sentenceStatements } from './statements.js';

export type { AttributionInput, Mention } from './types.js';

/** Words a reported clause needs outside its quotes to be a statement beside the direct quote ("that" aside). */
const MIN_UNQUOTED_WORDS = 2;
/** The words of text [from, to) outside the quotes, "that" aside. */
function unquotedWords(text: string, quotes: Array<[number, number]>, from: number, to: number): number {
  let rest = '';
  let at = from;
  for (const [qs, qe] of quotes) {
    if (qe <= from || qs >= to) continue;
    rest += text.slice(at, Math.max(at, qs)) + ' ';
    at = Math.max(at, qe);
  }
  rest += text.slice(at, to);
  return rest.split(/\s+/).filter((w) => /\p{L}/u.test(w) && !/^that$/i.test(w)).length;
}

const MIN_FLOATING_QUOTE_WORDS = 3;

const MAX_SCARE_QUOTE_WORDS = 3;
const TITLE_FUNCTION_WORDS = new Set(['a', 'an', 'the', 'of', 'and', 'in', 'on', 'for', 'to', 'at', 'by', 'with', "'n'", 'n', 'or']);

/**
 * Quoted words that are no one's speech: a title ("The Platter", “Lucia”), or a few words held at
 * a distance in the middle of a sentence, before or away from any reporting verb ("the
 * “guerrillas” admitted"). A short quote counts only after a reporting verb of its sentence
 * ('called the plan “a turning point”', 'declaring the camaraderie “rock solid”').
 */
function isSpeech(text: string, qs: number, qe: number, sentence: TokenizedSentence, found: Statement[]): boolean {
  const quoted = text.slice(qs, qe).replace(/[\s,.;:]+$/, '');
  const words = quoted.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  const opensSentence = /^[\s\p{P}]*$/u.test(text.slice(sentence.start, qs));
  const content = words.filter((w) => !TITLE_FUNCTION_WORDS.has(w.toLowerCase()));
  const title = !opensSentence && !/[.!?]$/.test(quoted) && content.length > 0 && content.length <= 8 && content.every((w) => /^\p{Lu}/u.test(w));
  if (title) return false;
  if (words.length > MAX_SCARE_QUOTE_WORDS) return true;
  return opensSentence || found.some((s) => sentence.tokens[s.verb].start < qs);
}

/** Dash attribution after a closing quote: "“We were here first.” ― Pat Doe". */
function dashSpeaker(ctx: AttributionContext, sentences: TokenizedSentence[], named: Token[][], qe: number): Subject | null {
  const after = ctx.text.slice(qe, qe + 8);
  const m = QUOTE_THEN_DASH.exec(after);
  if (!m) return null;
  const from = qe + m[0].length;
  const at = sentences.findIndex((x) => x.start <= from && x.end > from);
  if (at < 0) return null;
  const tokens = named[at];
  let i = tokens.findIndex((t) => t.start >= from);
  if (i < 0 || !isNameToken(tokens[i])) return null;
  while (isNameToken(tokens[i + 1])) i++;
  return readNameRun(ctx, tokens, i);
}

/**
 * Attributes every sentence of one document. `paragraphs[p]` holds the tokenized sentences of
 * paragraph p, offsets into `ctx.text`.
 */
export function attributeDocument(input: AttributionInput, paragraphs: TokenizedSentence[][]): Mention[] {
  const mentions: Mention[] = [];
  const ctx: AttributionContext = { text: input.text, midSentenceCapitals: new Set([...input.names.flatMap((n) => n.split(/\s+/)), ...nameWords(paragraphs)]) };
  const named = paragraphs.map((ss) => ss.map((s) => withNames(ctx, s.tokens)));
  let allRuns: ReturnType<typeof nameRuns> | null = null;
  const runs = () => (allRuns ??= nameRuns(ctx, named));
  // People with a role, for "the mayor said".
  let people: Array<{ name: string; role: string; offset: number }> | null = null;
  let companies: Array<{ name: string; offset: number }> | null = null;
  const st: DocState = {
    last: null,
    lastParagraph: -10,
    people: () => (people ??= runs().flatMap((r) => (r.role ? [{ name: r.name, role: r.role, offset: r.offset }] : []))),
    bodies: [],
    companies: () => (companies ??= runs().filter((r) => isCompanyName(r.name))),
    mentioned: null,
  };
  const spoke = (subject: Subject, offset: number, p: number) => {
    st.last = subject;
    st.lastParagraph = p;
    if (subject.named) st.bodies.push({ name: subject.name, offset });
    if (subject.named && subject.role) st.people().push({ name: subject.name, role: subject.role, offset });
  };

  paragraphs.forEach((sentences, p) => {
    if (!sentences.length) return;
    // The carried speaker does not cross more than one paragraph that is not theirs.
    if (p - st.lastParagraph > 2) st.last = null;
    const pStart = sentences[0].start;
    const pEnd = sentences[sentences.length - 1].end;
    const quotes = findQuoteSpans(ctx.text, pStart, pEnd);
    const inQuote = (t: Token) => quotes.some(([s, e]) => t.start >= s && t.end <= e);
    const narrators: Array<Subject | null> = [];
    const statements = sentences.map((s, si) => {
      const tokens = named[p][si];
      const quoteBefore = quotes.some(([, qe]) => qe <= s.start && /^[\s\p{P}]*$/u.test(ctx.text.slice(qe, s.start)));
      const found = sentenceStatements(ctx, tokens, (t) => !inQuote(t), st, quoteBefore);
      let narrator: Subject | null = null;
      if (found.length) found.forEach((f) => spoke(f.subject, s.start, p));
      else {
        // "Councilwoman Dana Hill backed the budget. “…,” she said": she is Dana Hill.
        const subject = narrationSubject(ctx, tokens, (t) => !inQuote(t), st);
        narrator = subject === 'ambiguous' ? null : subject;
        if (narrator) {
          st.last = narrator;
          st.lastParagraph = p;
        } else if (subject === 'ambiguous' || (st.last && namesAnotherPerson(tokens, st.last, inQuote))) st.last = null;
      }
      // "… was explained by Thurman Arnold, in The Folklore of Capitalism. He wrote: “…”"
      st.mentioned = found.length || narrator ? null : onlyPersonNamed(ctx, tokens, inQuote);
      narrators.push(narrator);
      return found;
    });
    const subjects = statements.map((found) => found[0]?.subject ?? null);

    for (const [qs, qe] of splitAtInversions(ctx.text, quotes, sentences, statements)) {
      const covering = sentences.map((s, i) => (s.start < qe && s.end > qs ? i : -1)).filter((i) => i >= 0);
      if (!covering.length) continue;
      const first = covering[0];
      const lastCovering = covering[covering.length - 1];
      if (!isSpeech(ctx.text, qs, qe, sentences[first], statements[first])) continue;
      let subject = covering.map((i) => subjects[i]).find(Boolean) ?? dashSpeaker(ctx, sentences, named[p], qe);
      // "“See that kid?” He said, pointing …": an attribution with nothing of its own right after the quote.
      const next = statements[lastCovering + 1]?.[0];
      if (!subject && next && !next.clause && /^[\s\p{P}]*$/u.test(ctx.text.slice(qe, sentences[lastCovering + 1].start))) subject = next.subject;
      if (!subject) {
        // A floating quote opens its sentence and carries the speaker just before it.
        const opensSentence = sentences[first].tokens.every((t) => t.start >= qs - 2 || isPunct(t));
        const words = ctx.text.slice(qs, qe).split(/\s+/).filter(Boolean).length;
        // "Her neighbour, Carl Young, disagreed. “…”": the person the sentence before is about.
        const previous =
          (first > 0 ? subjects[first - 1] ?? narrators[first - 1] : null) ??
          subjects.slice(0, first).reverse().find(Boolean) ??
          (first === 0 && st.lastParagraph === p - 1 ? st.last : null);
        if (opensSentence && words >= MIN_FLOATING_QUOTE_WORDS && previous) subject = previous;
      }
      if (!subject) continue;
      let end = qe;
      while (end > qs && /[\s,.;:]/.test(ctx.text[end - 1])) end--;
      mentions.push({ ...mention(subject), kind: 'direct', paragraph: p, sentence: first, start: qs, end });
      spoke(subject, qs, p);
    }

    statements.forEach((found, i) => {
      const tokens = sentences[i].tokens;
      for (const s of found) {
        if (!s.clause) continue;
        let from = tokens[s.clause[0]].start;
        let to = tokens[s.clause[1]].end;
        while (to > from && (s.direct ? /[\s.!?;:,'’”"]/ : /[\s.!?;:,]/).test(ctx.text[to - 1])) to--;
        while (from < to && /[\s,:]/.test(ctx.text[from])) from++;
        if (to <= from) continue;
        // A clause that is all one quote is the direct quote already; 'ministers were “monitoring
        // the situation closely”' is a statement of its own, the quote inside it.
        if (unquotedWords(ctx.text, quotes, from, to) < MIN_UNQUOTED_WORDS) continue;
        mentions.push({ ...mention(s.subject), kind: s.direct ? 'direct' : 'indirect', paragraph: p, sentence: i, start: from, end: to });
      }
    });
  });
  mentions.sort((a, b) => a.start - b.start);
  completeSurnames(ctx, runs, mentions);
  return mentions;
}

/**
 * A quoted passage that holds its own attribution ("“The outlook is grim. Said Secretary Hodges:
 * ' It's a tough …") is two quotes: the words before that sentence, and the speaker's words from
 * the colon on.
 */
function splitAtInversions(text: string, quotes: Array<[number, number]>, sentences: TokenizedSentence[], statements: Statement[][]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const [qs, qe] of quotes) {
    let from = qs;
    sentences.forEach((s, i) => {
      const own = statements[i].find((x) => x.direct);
      if (!own?.clause || s.tokens[own.verb].start < from || s.tokens[own.verb].start >= qe) return;
      if (/\p{L}/u.test(text.slice(from, s.start))) spans.push([from, s.start]);
      from = s.tokens[own.clause[0]].start;
    });
    spans.push([from, qe]);
  }
  return spans;
}

function mention(subject: Subject): Pick<Mention, 'name' | 'members' | 'role' | 'written'> {
  return { name: subject.name, members: subject.members, role: subject.role, ...(subject.written ? { written: subject.written } : {}) };
}
