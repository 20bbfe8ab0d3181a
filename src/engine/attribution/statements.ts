/**
 * The statements of one sentence: which verbs report speech there, their speakers (left, right,
 * shared, "quoted as saying"), their reported clauses, and the forms with no reporting verb:
 * source phrases ("according to X", "as X put it") and colon inversions ("Said Hodges: ' …").
 */
import { isHyphenJoin, type Token } from '../nlp.js';
import { ADDRESSEE_VERBS, FINDING_SOURCES, FINDING_VERBS, NEEDS_SPEECH_COMPLEMENT, QUOTE_ONLY_VERBS, REPORTING_VERBS } from '../lexicon.js';
import type { Subject, Statement, DocState, AttributionContext } from './types.js';
import { OPENING, QUOTE_OPENERS, CLOSING_TOKENS, POSSESSIVES, MAX_ROLE_PREFIX_TOKENS, isPunct, isComma, isCapitalised, NOT_NAMES, isNameToken, span, DETERMINERS, isSpeakerNoun, isDash, isParticipleForm, SOURCE_PHRASES, wordsAt, WH_WORDS, REFLEXIVES } from './tokens.js';
import { cleanRole, readNameRun, nameHead } from './names.js';
import { SUBORDINATORS, clauseAfterVerb, TIME_WORDS, clauseStart, opensWithQuantity } from './clauses.js';
import { unnamedSubject, isAppositive, leftSubject, rightSubject } from './subjects.js';

/** Words that negate the verb after them ("did not confirm", "never said"). */
const VERB_NEGATIONS = new Set(['not', "n't", 'never']);

/** Where a sentence starts after its dateline ("LONDON —", "SAN JUAN, P.R. --", "VILNIUS, Lithuania –"): 0 without one. */
function afterDateline(tokens: Token[]): number {
  const dash = tokens.findIndex((x, k) => k < 8 && isDash(x));
  // The city in capitals, then perhaps its state or country: "ACCRA, Ghana —".
  const dateline = dash > 0 && /^\p{Lu}[\p{Lu}.]+$/u.test(tokens[0].value) && tokens.slice(1, dash).every((x) => isPunct(x) || isCapitalised(x));
  return dateline ? dash + 1 : 0;
}

/** A source phrase anywhere in the sentence ("according to X", "in the words of X", "as X put it"): its subject, and the phrase's first token as the verb. */
function sourcePhrase(ctx: AttributionContext, tokens: Token[], st: DocState, outsideQuote: (t: Token) => boolean, hasQuote: boolean): Statement | null {
  // "in the words of X" and "to quote X" stand apart from the clause: first, or after a comma or "or".
  const standsApart = (i: number) => i === 0 || isPunct(tokens[i - 1]) || tokens[i - 1].pos === 'CCONJ';
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (!outsideQuote(tokens[i])) continue;
    if (hasQuote && tokens[i].lower === 'as' && standsApart(i)) {
      const put = putIt(ctx, tokens, i, st);
      if (put) return put;
    }
    const phrase = SOURCE_PHRASES.find(({ words }) => wordsAt(tokens, words, i));
    if (!phrase) continue;
    const from = i + phrase.words.length;
    if (phrase.quoteOnly && (!hasQuote || !standsApart(i))) continue;
    let end = from;
    // (hyphenated words are one: "according to ship-tracking data")
    while (end + 1 < tokens.length && ((!isPunct(tokens[end + 1]) && tokens[end + 1].pos !== 'ADP' && tokens[end + 1].pos !== 'VERB') || isHyphenJoin(tokens, end + 1) || isHyphenJoin(tokens, end))) end++;
    let subject: Subject | null = null;
    if (isNameToken(tokens[end])) subject = readNameRun(ctx, tokens, end);
    else if (isSpeakerNoun(tokens[end])) subject = unnamedSubject(ctx, tokens, end, end, st);
    if (!subject || subject.at < from) return null;
    subject.at = i;
    subject.end = end;
    if (phrase.quoteOnly) return isPunct(tokens[end + 1]) || end === tokens.length - 1 ? { subject, verb: i, clause: null, clauseStart: -1 } : null;
    // "According to X, <clause>." or "<clause>, according to X."
    const last = lastWord(tokens);
    // "According to Dr. Paul Grant, a cardiologist at the clinic, the drug …": a role in commas, then the clause.
    const role = i === 0 && isComma(tokens[end + 1]) ? roleInCommas(tokens, end + 2) : -1;
    if (role > 0) subject.role = cleanRole(span(ctx.text, tokens, end + 2, role - 1)) ?? subject.role;
    const clauseFrom = role > 0 ? role + 1 : end + 2;
    let clause: [number, number] | null =
      i === 0
        ? isComma(tokens[end + 1]) && clauseFrom <= last ? [clauseFrom, last] : null
        : isComma(tokens[i - 1]) && i >= 2 && !tokens.slice(end + 1, last + 1).some(isComma) ? [afterDateline(tokens), i - 2] : null; // not "Anybody should, according to X, get off"
    // "According to The Chicago Tribune News Service, State Atty.": no clause without a verb.
    if (clause && !tokens.slice(clause[0], clause[1] + 1).some((x) => x.pos === 'VERB' || x.pos === 'AUX')) clause = null;
    return { subject, verb: i, clause, clauseStart: -1 };
  }
  return null;
}

/**
 * A role between commas from token `from` ("a cardiologist at the clinic,", "the mayor,"): an
 * appositive (isAppositive) that opens with a determiner and a person noun. The closing comma's index, or -1.
 */
function roleInCommas(tokens: Token[], from: number): number {
  if (!DETERMINERS.has(tokens[from]?.lower ?? '')) return -1;
  const comma = tokens.findIndex((x, m) => m > from && isComma(x));
  if (comma < 0) return -1;
  const segment = tokens.slice(from, comma);
  const noun = segment.find((x) => x.pos === 'NOUN' || x.pos === 'PROPN');
  return isSpeakerNoun(noun) && isAppositive(segment) ? comma : -1;
}

/** "as X put it," / "as one critic once put it:" from token `as`, or null. */
function putIt(ctx: AttributionContext, tokens: Token[], as: number, st: DocState): Statement | null {
  let put = as + 2;
  while (put < tokens.length && put - as <= MAX_ROLE_PREFIX_TOKENS && !/^puts?$/.test(tokens[put].lower)) put++;
  if (!/^puts?$/.test(tokens[put]?.lower ?? '') || tokens[put + 1]?.lower !== 'it' || !isPunct(tokens[put + 2])) return null;
  let end = put - 1;
  while (end > as && tokens[end].pos === 'ADV') end--; // "once"
  const subject = isNameToken(tokens[end]) ? readNameRun(ctx, tokens, end) : isSpeakerNoun(tokens[end]) ? unnamedSubject(ctx, tokens, end, end, st) : null;
  if (!subject || subject.at !== as + 1) return null;
  return { subject: { ...subject, at: as, end: put + 1 }, verb: as, clause: null, clauseStart: -1 };
}

const lastWord = (tokens: Token[]): number => {
  let k = tokens.length - 1;
  while (k > 0 && isPunct(tokens[k]) && !CLOSING_TOKENS.has(tokens[k].value)) k--;
  return k;
};

const CONJUNCTIONS = new Set(['and', 'but', 'though', 'although', 'while', 'whereas']);

/** Is token `v` a reporting verb here? */
function reports(tokens: Token[], v: number, hasQuote: boolean): boolean {
  const t = tokens[v];
  if (t.pos !== 'VERB' && t.pos !== 'AUX' && !(v === 0 && t.lower === 'said')) return false;
  if (tokens[v - 1]?.lower === 'to') return false; // "led Khrushchev to believe": not a statement
  // "he said to himself", "she told herself": a thought, not a statement.
  if (REFLEXIVES.has(tokens[v + (tokens[v + 1]?.lower === 'to' ? 2 : 1)]?.lower ?? '')) return false;
  // "cannot deny that he has chosen": the writer's claim, not the subject's ("did not confirm whether" stays).
  const negated = VERB_NEGATIONS.has(tokens[v - 1]?.lower ?? '') || (tokens[v - 1]?.pos === 'ADV' && VERB_NEGATIONS.has(tokens[v - 2]?.lower ?? ''));
  if (negated && tokens.slice(v + 1, v + 4).some((x) => x.lower === 'that')) return false;
  return (
    (REPORTING_VERBS.has(t.lemma) && (!NEEDS_SPEECH_COMPLEMENT.has(t.lemma) || hasQuote || speechFollows(tokens, v))) ||
    (hasQuote && QUOTE_ONLY_VERBS.has(t.lemma)) ||
    (FINDING_VERBS.has(t.lemma) && tokens[v + 1]?.lower === 'that')
  );
}

/**
 * An inverted attribution opening the sentence, then a colon and a quote mark: "Said Secretary
 * Hodges: ' It's a tough combination …", "Added the mayor: “…”". The words after the colon are
 * the speaker's, a direct statement, also in single quote marks the quote finder leaves alone,
 * and also when the sentence stands inside a quoted passage ("“Said …"). Not "Said to be …".
 */
function colonInversion(ctx: AttributionContext, tokens: Token[], st: DocState): Statement | null {
  let v = 0;
  while (isPunct(tokens[v])) v++;
  const t = tokens[v];
  if (!t || !isCapitalised(t) || !REPORTING_VERBS.has(t.lemma) || !reports(tokens, v, true)) return null;
  const subject = rightSubject(ctx, tokens, v, st);
  const colon = subject ? subject.end + 1 : -1;
  if (!subject || tokens[colon]?.value !== ':' || !QUOTE_OPENERS.has(tokens[colon + 1]?.value ?? '')) return null;
  const last = lastWord(tokens);
  return colon + 2 <= last ? { subject, verb: v, clause: [colon + 2, last], clauseStart: colon + 2, direct: true } : null;
}

/** Every statement of a sentence: each reporting verb outside quotes that has a speaker, with its clause. */
export function sentenceStatements(ctx: AttributionContext, tokens: Token[], outsideQuote: (t: Token) => boolean, st: DocState, quoteBefore: boolean): Statement[] {
  const inversion = colonInversion(ctx, tokens, st);
  if (inversion) return [inversion];
  // "“What do you talk about?” A reporter asked Maris.": the quote just before counts.
  const hasQuote = quoteBefore || tokens.some((t) => !outsideQuote(t));
  const found: Statement[] = [];
  for (let v = 0; v < tokens.length; v++) {
    if (!outsideQuote(tokens[v]) || !reports(tokens, v, hasQuote)) continue;
    const previous = found[found.length - 1];
    if (previous && v <= previous.subject.end) continue;
    let subject = leftSubject(ctx, tokens, v, st, true) ?? rightSubject(ctx, tokens, v, st) ?? quotedAsSaying(ctx, tokens, v, st);
    // "told reporters that … and then added that …": the same speaker again.
    let c = v - 1;
    while (c > 0 && tokens[c].pos === 'ADV') c--;
    const introduces = tokens[v + 1]?.lower === 'that' || tokens[v + 1]?.value === ':';
    if (!subject && previous && tokens[c]?.pos === 'CCONJ' && c > previous.verb + 1 && introduces) subject = { ...previous.subject, at: c, end: v };
    // "Cardiologists welcomed the results but said ...": the subject of the verb the reporting verb is joined to.
    if (!subject && !previous && tokens[c]?.pos === 'CCONJ') subject = sharedSubject(ctx, tokens, c, st, outsideQuote);
    // ", adding that ...", ", declaring ..." take the subject of the main clause.
    if (!subject && tokens[v].lower.endsWith('ing') && isComma(tokens[v - 1])) {
      const main = previous?.subject ?? null;
      if (main) subject = { ...main, at: v - 1, end: v };
      for (let m = v - 2; m >= 0 && !subject; m--) {
        if (tokens[m].pos === 'VERB') subject = leftSubject(ctx, tokens, m, st, true);
        if (subject) subject = { ...subject, at: v - 1, end: v };
      }
    }
    if (!subject) continue;
    // "The council called the plan a “fresh start”": words held at a distance, unless a named person calls them.
    if (!subject.named && QUOTE_ONLY_VERBS.has(tokens[v].lemma)) continue;
    // "The study found that": a finding is a study's, a survey's, figures'; "he found that" is a discovery.
    if (FINDING_VERBS.has(tokens[v].lemma) && !FINDING_SOURCES.has(nameHead(subject.name))) continue;
    // A verb inside what was said is part of it ("Smith said she would not complain", "Pfohl said
    // that Baldrige told about plans"), unless a comma starts a statement of its own (", though
    // she warned that", ", adding that").
    const a = subject.at;
    const ownStatement = isComma(tokens[a]) || isComma(tokens[a - 1]) || tokens[a].pos === 'CCONJ' || (CONJUNCTIONS.has(tokens[a - 1]?.lower ?? '') && isComma(tokens[a - 2]));
    if (previous && previous.clauseStart >= 0 && a >= previous.clauseStart && !ownStatement) continue;
    found.push({ subject, verb: v, clause: null, clauseStart: subject.at === v ? -1 : clauseAfterVerb(tokens, v, tokens.length - 1) });
    if (subject.named) st.last = subject; // "…, though she warned that": she is the speaker just found
  }
  if (!found.length) {
    const source = sourcePhrase(ctx, tokens, st, outsideQuote, hasQuote);
    return source ? [source] : [];
  }
  const last = lastWord(tokens);
  found.forEach((s, i) => {
    const next = found[i + 1];
    let to = next ? next.subject.at - 1 : last;
    // "Although X has argued that …, the main clause …": the statement ends with its subordinate clause.
    if (SUBORDINATORS.has(tokens[0].lower)) {
      const comma = tokens.findIndex((x, m) => m > s.verb && m <= to && isComma(x));
      if (comma > 0) to = comma - 1;
    }
    while (to > s.verb && (isComma(tokens[to]) || CONJUNCTIONS.has(tokens[to].lower))) to--;
    const before = tokens[s.subject.at - 1];
    const afterQuote = s.subject.at > 0 && (CLOSING_TOKENS.has(before.value) || (isComma(before) && CLOSING_TOKENS.has(tokens[s.subject.at - 2]?.value ?? '')));
    const midSentence = s.subject.at > 0 && (isComma(before) || afterQuote);
    const inverted = s.subject.at === s.verb;
    // 'called the plan “a turning point”': the quoted words only, no reported clause.
    if (QUOTE_ONLY_VERBS.has(tokens[s.verb].lemma)) return;
    const after = inverted ? -1 : clauseAfterVerb(tokens, s.verb, to);
    const introduced = after > 0 && (tokens[after - 1].lower === 'that' || tokens[after - 1].value === ':');
    // "“…,” Sato told a news conference": the quote is what was said, unless "that" follows.
    // "Most were small, he said, but a few …": the clause is before the attribution.
    if (after >= 0 && (introduced || (!afterQuote && !(midSentence && CONJUNCTIONS.has(tokens[after].lower))))) {
      s.clause = [after, to];
      return;
    }
    if (afterQuote) return;
    // Attribution after the clause: "The plan still favours the rich, the group said." Not an
    // interruption ("What Herter presented, said Gore, was …").
    const prev = found[i - 1];
    const from = prev ? (prev.clause ? prev.clause[1] + 1 : prev.subject.end + 1) : afterDateline(tokens);
    const end = s.subject.at - 1;
    const verbIn = (a: number, b: number) => tokens.slice(a, b).some((x) => x.pos === 'VERB' || x.pos === 'AUX');
    const rest = Math.max(s.subject.end, s.verb) + 1;
    // "Tracing the blues …, he stressed the close relationship": an object follows, the verb's own.
    let o = s.verb + 1;
    while (tokens[o]?.pos === 'ADV') o++;
    const hasObject = !inverted && !ADDRESSEE_VERBS.has(tokens[s.verb].lemma) && ['DET', 'NOUN', 'PROPN', 'ADJ', 'PRON'].includes(tokens[o]?.pos ?? '') && !TIME_WORDS.has(tokens[o].lower) && !NOT_NAMES.has(tokens[o].lower);
    if (hasObject) return;
    // (", the company said on Monday, sending its shares up 38%": a participle after the attribution goes with it)
    const firstVerb = tokens.findIndex((x, m) => m >= rest && m <= (next?.subject.at ?? last) && (x.pos === 'VERB' || x.pos === 'AUX'));
    const participle = firstVerb > 0 && tokens[firstVerb].lower.endsWith('ing') && isComma(tokens[firstVerb - 1]);
    const interrupts = !CONJUNCTIONS.has(tokens[rest + 1]?.lower ?? '') && verbIn(rest, (next?.subject.at ?? last) + 1) && !participle;
    // It starts like a clause, not "However, when pressed on this issue, X did not …".
    // Nor a participle phrase about the speaker: "Asked whether he would resign, the mayor said".
    const adjunct = !!tokens[from] && isParticipleForm(tokens[from]) && (['ADP', 'SCONJ'].includes(tokens[from + 1]?.pos ?? '') || WH_WORDS.has(tokens[from + 1]?.lower ?? ''));
    // ("About 60,000 people were sleeping in mosques, the agency said": a quantity opens a clause)
    const clauseLike = (!['ADV', 'SCONJ', 'ADP', 'CCONJ', 'PUNCT'].includes(tokens[from]?.pos ?? 'PUNCT') && !adjunct) || OPENING.has(tokens[from]?.value ?? '') || opensWithQuantity(tokens, from);
    if (end > from && clauseLike && isComma(tokens[end]) && !interrupts && verbIn(from, end)) s.clause = [from, end - 1];
    // "The plan, he said, would cost more", "Moreover, he said, …": the attribution set in commas
    // inside what was said. The statement is the whole sentence, the attribution with it (a
    // passage is one slice).
    else if (end > from && isComma(tokens[end]) && interrupts && attributionCloses(tokens, rest, to)) s.clause = [from, to];
  });
  return found;
}

/**
 * The subject of a passive "quoted as saying": "Ana Silva was quoted as saying …", "Mark Lee was
 * quoted by Reuters as saying that …" (`v` is "saying"). Not the outlet after "by".
 */
function quotedAsSaying(ctx: AttributionContext, tokens: Token[], v: number, st: DocState): Subject | null {
  if (tokens[v - 1]?.lower !== 'as') return null;
  let q = v - 2;
  let by = q;
  while (by > 0 && isNameToken(tokens[by])) by--;
  if (by < q && tokens[by].lower === 'by') q = by - 1;
  if (tokens[q]?.lemma !== 'quote' && tokens[q]?.lemma !== 'cite') return null;
  let aux = q;
  while (aux > 0 && tokens[aux - 1].pos === 'AUX') aux--;
  if (aux === q) return null; // "quoted" with no "was": an active verb, whose subject is the quoting one
  const subject = leftSubject(ctx, tokens, aux, st, true);
  return subject && { ...subject, end: v };
}

/**
 * A comma soon after the attribution closes it, with no verb before it (", he said on Monday, the
 * …"), and the statement goes on (not a quotation: 'and said, “…”' is a direct quote's).
 */
function attributionCloses(tokens: Token[], rest: number, to: number): boolean {
  for (let k = rest; k < to && k - rest <= MAX_ATTRIBUTION_TAIL; k++) {
    if (isComma(tokens[k])) return !OPENING.has(tokens[k + 1].value);
    if (tokens[k].pos === 'VERB' || tokens[k].pos === 'AUX' || isPunct(tokens[k])) return false;
  }
  return false;
}
/** Words that may follow a reporting verb inside an attribution in commas ("he said in an interview on Monday"). */
const MAX_ATTRIBUTION_TAIL = 6;

/**
 * The subject a verb joined by the conjunction at `c` shares with the verb before it: "The
 * Supporters' Trust welcomed the signing but said", "The bank kept its rate and said". The first
 * verb before the conjunction, outside quotes, with a speaker to its left.
 */
function sharedSubject(ctx: AttributionContext, tokens: Token[], c: number, st: DocState, outsideQuote: (t: Token) => boolean): Subject | null {
  for (let m = c - 1; m > 0; m--) {
    if (!outsideQuote(tokens[m]) || tokens[m].value === ';') return null;
    if (tokens[m].pos !== 'VERB') continue;
    const subject = leftSubject(ctx, tokens, m, st, true);
    return subject ? { ...subject, at: c, end: c + 1 } : null;
  }
  return null;
}

/** Tokens of place and time phrases a reporting verb may have before its "that". */
const MAX_PHRASE_TOKENS_BEFORE_THAT = 10;
/** Prepositions of those phrases: where, when and to whom ("from Moscow", "on Monday", "to the board"), not what about. */
const SETTING_PREPOSITIONS = new Set(['from', 'in', 'at', 'on', 'to', 'during', 'after', 'before', 'over', 'via', 'through']);

/**
 * Does speech follow verb `v`: "added that ...", "added, ...", "noted:", or the end of the
 * sentence ("..., Hemphill added.")? Verbs with other everyday senses ("Al has added some
 * sidemen") report speech only then. A place or time phrase may stand before "that" when a
 * clause follows it: "reported from Moscow that the mood was grim" (not "reported for duty at
 * the station that night").
 */
function speechFollows(tokens: Token[], v: number): boolean {
  let n = v + 1;
  while (tokens[n]?.pos === 'ADV') n++;
  const next = tokens[n];
  if (!next || next.lower === 'that' || isPunct(next) || /^(?:[\u201c"'\u2018]|if|whether|how|why|what)$/.test(next.lower)) return true;
  let m = n;
  while (SETTING_PREPOSITIONS.has(tokens[m]?.lower ?? '') && m - n < MAX_PHRASE_TOKENS_BEFORE_THAT) {
    m++;
    while (tokens[m] && (['DET', 'ADJ', 'NOUN', 'PROPN', 'NUM'].includes(tokens[m].pos) || POSSESSIVES.has(tokens[m].lower)) && tokens[m].lower !== 'that') m++;
  }
  // "pointed to the data that showed growth": a relative clause, no statement.
  const clause = m + 1;
  return m > n && tokens[m]?.lower === 'that' && !['VERB', 'AUX', 'ADV'].includes(tokens[clause]?.pos ?? 'VERB') && clauseStart(tokens, v, clause, lastWord(tokens)) >= 0;
}
