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
 */
import { isHyphenJoin, type Token, type TokenizedSentence } from './nlp.js';
import {
  ADDRESSEE_VERBS, BODY_NAME_WORDS, COMPANY_NAME_ENDINGS, COMPANY_NOUNS, FINDING_SOURCES, FINDING_VERBS, CARRY_PRONOUNS, OBJECT_STATEMENT_VERBS, ORGANISATION_HEADS, COREFERRING_BODIES, DESCRIPTOR_NOUNS, GENERIC_BODIES, PUBLIC_BODY_HEADS, NAME_PREFIX_WORDS, NEEDS_SPEECH_COMPLEMENT, QUOTE_ONLY_VERBS,
  REPORTING_VERBS, ROLE_NOUNS, SPEAKER_BODIES, expandTitle, TITLE_WORDS, CALENDAR_WORDS,
} from './lexicon.js';
import { defaultPersonNouns } from './word-data.js';

export interface Mention {
  /** The name as written (a proper-noun run), or the first member of a collective. */
  name: string;
  /** Other members of a collective subject ("Beijing and the Chinese Communist Party"). */
  members: string[];
  /** The name as written, when `name` was completed from elsewhere in the article ("Berg"). */
  written?: string;
  role: string | null;
  kind: 'direct' | 'indirect';
  paragraph: number;
  sentence: number;
  start: number;
  end: number;
}

interface Subject {
  name: string;
  members: string[];
  role: string | null;
  /** First token of the attribution: the subject phrase (`X said`) or the verb (`said X`). */
  at: number;
  /** Last token of the attribution: the verb, or the inverted name and its appositive. */
  end: number;
  /** A named person or body; false for "police", "a spokeswoman": they carry no he/she. */
  named: boolean;
  /** The name as written when `name` is the fuller name of someone just mentioned ("Hill"). */
  written?: string;
}

/** One reporting verb with its speaker and, when it has one, the reported clause (token range). */
interface Statement {
  subject: Subject;
  verb: number;
  clause: [number, number] | null;
  /** Where the clause after the verb would start, or -1. */
  clauseStart: number;
  /** The clause is the speaker's own words, quoted: "Said Secretary Hodges: ' It's a tough …". */
  direct?: boolean;
}

/** What the reading of one document remembers from sentence to sentence. */
interface DocState {
  /** The speaker a he/she or a floating quote carries. */
  last: Subject | null;
  lastParagraph: number;
  /**
   * Named people with a role, in reading order: "the mayor said" is the last mayor named. Read
   * from the document's name runs when first needed.
   */
  people: () => Array<{ name: string; role: string; offset: number }>;
  /** Named speakers in reading order: "the federation said" is the last Federation that spoke. */
  bodies: Array<{ name: string; offset: number }>;
  /** Company names in reading order ("Corvane Therapeutics"), read from the name runs when first needed. */
  companies: () => Array<{ name: string; offset: number }>;
  /** The one person the sentence just before names, when it reports nothing and has no named subject (see `onlyPersonNamed`). */
  mentioned: Subject | null;
}

const OPENING = new Set(['“', '«', '„']);
const CLOSING = new Set(['”', '»']);
/** Token values that open a quote after a colon or a reporting verb, single quotes included: "Said Hodges: ' It's …". */
const QUOTE_OPENERS = new Set([...OPENING, '"', "''", "'", '‘', '`', '``']);
/** Token values that close a quote: curly, straight, and the apostrophes of ''...''. */
const CLOSING_TOKENS = new Set(['”', '»', '"', "'", "''"]);
/** Possessives that may point back to a body or person already named ("its spokesman", "their leader"). */
const NAMED_POSSESSIVES = ['its', 'his', 'her', 'their', 'our'];
/** Possessive determiners, also of the one speaking ("my", "your"). */
const POSSESSIVES = new Set([...NAMED_POSSESSIVES, 'my', 'your']);
/** Determiners of a role that points back to someone already named ("the mayor", "its spokesman"). */
const DEFINITE = new Set(['the', ...NAMED_POSSESSIVES]);
/** An article or such a possessive opening a role, taken off it. */
const ARTICLES = new RegExp(`^(?:an?|${[...DEFINITE].join('|')})\\s+`, 'i');
/** Words that negate the verb after them ("did not confirm", "never said"). */
const VERB_NEGATIONS = new Set(['not', "n't", 'never']);
const MAX_APPOSITIVE_TOKENS = 16;
const MAX_ROLE_PREFIX_TOKENS = 6;

/** Character spans [start, end) inside quote marks, in text coordinates. */
function findQuoteSpans(text: string, from: number, to: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let open = -1;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (OPENING.has(c)) open = i + 1;
    else if (CLOSING.has(c) && open >= 0) {
      spans.push([open, i]);
      open = -1;
    } else if (c === '"' || (c === "'" && text[i + 1] === "'")) {
      // Straight quotes, and two apostrophes as some outlets print quote marks: ''We will win,'' he said.
      const width = c === '"' ? 1 : 2;
      if (c === "'") i++;
      if (open < 0) open = i + 1;
      else {
        spans.push([open, i + 1 - width]);
        open = -1;
      }
    }
  }
  // News style leaves a quote that runs on into the next paragraph unclosed.
  if (open >= 0 && to - open > 1) spans.push([open, to]);
  return spans.filter(([s, e]) => /\p{L}/u.test(text.slice(s, e)));
}

const isPunct = (t: Token | undefined) => t?.pos === 'PUNCT';
const isComma = (t: Token | undefined) => t?.value === ',';
const isCapitalised = (t: Token) => {
  const c = t.value.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  return c > 127 && /^\p{Lu}/u.test(t.value); // a cheap test first: this runs on every token
};
/** Days named relative to today: never a name, and they may stand between subject and verb. */
const DAY_WORDS = new Set(['yesterday', 'today', 'tonight', 'tomorrow']);
/** Capitalised words that are never a speaker's name: `officials said Friday`. */
const NOT_NAMES = new Set([...CALENDAR_WORDS, ...DAY_WORDS]);
const isNameToken = (t: Token | undefined): boolean =>
  !!t &&
  (t.pos === 'PROPN' || (t.pos === 'NOUN' && isCapitalised(t) && TITLE_WORDS.has(t.lower))) &&
  /\p{L}/u.test(t.value) &&
  !NOT_NAMES.has(t.lower);
/** Courtesy titles say nothing of a speaker's role. */
const HONORIFIC = /^(?:mr|mrs|ms|miss|messrs|mme|mlle|sir|dame)\.?$/i;

function span(text: string, tokens: Token[], from: number, to: number): string {
  return text.slice(tokens[from].start, tokens[to].end);
}

/** Appositives that are not roles: an age or address ("45", "1409 SW Maplecrest Dr."), a company suffix. */
const NOT_A_ROLE = /^(?:\d|(?:inc|ltd|co|corp|llc|plc|jr|sr)\.?$)/i;

function cleanRole(role: string): string | null {
  const r = role.replace(ARTICLES, '').trim();
  return r.length >= 3 && !HONORIFIC.test(r) && !NOT_A_ROLE.test(r) ? r : null;
}

/** A document to attribute: its text, and the names its front matter gives (names even at a sentence start). */
export interface AttributionInput {
  text: string;
  names: string[];
}

interface AttributionContext {
  text: string;
  /** Capitalised words that are names wherever they stand: front-matter names, and words the document capitalises away from a sentence start. */
  midSentenceCapitals: Set<string>;
}

/**
 * Reads a proper-noun run ending at token `end`: splits a leading title off as the role, takes a
 * lower-case role prefix ("foreign ministry spokesman"), and joins "X and (the) Y" collectives.
 */
function readNameRun(ctx: AttributionContext, tokens: Token[], end: number): Subject | null {
  let start = end;
  for (;;) {
    if (start > 0 && isNameToken(tokens[start - 1])) start--;
    else if (start > 1 && isHyphenJoin(tokens, start - 1) && isNameToken(tokens[start - 2])) start -= 2; // Jean-Luc
    else if (start > 1 && /^['’]$/.test(tokens[start - 1].value) && /s$/.test(tokens[start - 2].value) && isNameToken(tokens[start - 2])) start -= 2; // Supporters' Trust
    else break;
  }
  // An organisation's name with "and" in it: "the Energy and Allied Workers Union", "the Food and Drug Administration".
  const organisationName = isOrganisationHead(tokens[end].lower);
  // A bare "Office" or "Ministry" is named by its owner: "the Ombudsman's Office" (not "Britain's Foreign Office").
  if (organisationName && start === end && isPossessive(tokens[start - 1]) && isNameToken(tokens[start - 2])) {
    start -= 2;
    while (start > 0 && isNameToken(tokens[start - 1])) start--;
  }
  if (organisationName && tokens[start - 1]?.lower === 'and' && isNameToken(tokens[start - 2])) {
    start -= 2;
    while (start > 0 && isNameToken(tokens[start - 1])) start--;
  }
  // Collective subjects: "Beijing and the Chinese Communist Party".
  const members: Array<[number, number]> = [[start, end]];
  for (;;) {
    let k = start - 1;
    if (tokens[k]?.lower === 'the') k--;
    if (tokens[k]?.lower !== 'and' || !isNameToken(tokens[k - 1])) break;
    const memberEnd = k - 1;
    let memberStart = memberEnd;
    while (memberStart > 0 && isNameToken(tokens[memberStart - 1])) memberStart--;
    members.unshift([memberStart, memberEnd]);
    start = memberStart;
  }
  const named = (name: string, members: string[], role: string | null, at: number): Subject => ({ name, members, role, at, end, named: true });

  // Names with "of" in them.
  const of = tokens[start - 1]?.lower === 'the' ? start - 2 : start - 1;
  if (members.length === 1 && tokens[of]?.lower === 'of' && isNameToken(tokens[of - 1])) {
    let head = of - 1;
    while (head > 0 && isNameToken(tokens[head - 1])) head--;
    const titled = TITLE_WORDS.has(tokens[of - 1].lower) || ROLE_NOUNS.has(tokens[of - 1].lower);
    // "Marshall Formby of Plainview", "Justice Savage of the New York Supreme Court": a person,
    // then where they are from or work.
    // Not "the Reserve Bank of Australia": an organisation's name goes on with "of".
    const organisation = ORGANISATION_HEADS.has(tokens[of - 1].lower);
    if (!titled && !organisation && of - head >= 2) return readNameRun(ctx, tokens, of - 1);
    if (titled) {
      // "Secretary of State Antony Blinken": the title, then the person's (last two) names.
      if (end - start < 2) return null; // "the Minister of Defence said": a title, no name
      return named(span(ctx.text, tokens, end - 1, end), [], cleanRole(span(ctx.text, tokens, head, end - 2)), head);
    }
    // "The Bank of England", "the University of Westfield": one name.
    return named(span(ctx.text, tokens, head, end), [], null, head);
  }
  const [first, firstEnd] = members[0];
  let nameStart = first;
  let at = first;
  let role: string | null = null;
  // A title inside the run: "Foreign Minister Wang Yi" -> role "Foreign Minister" (also "Pirate Manager Danny Murtaugh").
  // Not in an organisation's name: "General Motors", "the General Statistics Office".
  const inOrganisationName = organisationName && firstEnd === end;
  for (let i = firstEnd; i >= first && !inOrganisationName; i--) {
    // An occupation word last in the run is a surname ("John Farmer"); a title word never is.
    if (TITLE_WORDS.has(tokens[i].lower) || (ROLE_NOUNS.has(tokens[i].lower) && i < firstEnd)) {
      if (i === firstEnd) return null; // only a title ("the Foreign Minister said"): no name
      role = span(ctx.text, tokens, first, i);
      nameStart = i + 1;
      break;
    }
  }
  // A description before the name is not part of it: "Rival Dana Hill", "Carmaker Toyota".
  if (!role && firstEnd > first && (NAME_PREFIX_WORDS.has(tokens[first].lower) || DESCRIPTOR_NOUNS.has(tokens[first].lower)) && !inOrganisationName) {
    role = tokens[first].value;
    nameStart = first + 1;
  }
  // A lower-case role before the name: "Chinese foreign ministry spokesman Zhao Lijian", "the state weather agency AEMET".
  const describes = (t: Token | undefined) => !!t && !isCapitalised(t) && (isSpeakerNoun(t) || DESCRIPTOR_NOUNS.has(t.lemma));
  if (!role && (ROLE_NOUNS.has(tokens[first - 1]?.lemma ?? '') || describes(tokens[first - 1]))) {
    let k = first - 1;
    while (
      k > 0 &&
      first - k < MAX_ROLE_PREFIX_TOKENS &&
      ['ADJ', 'NOUN', 'PROPN'].includes(tokens[k - 1].pos) &&
      !isPunct(tokens[k - 1])
    ) k--;
    role = span(ctx.text, tokens, k, first - 1);
    at = k;
  }

  const names = members.map(([s, e], i) => span(ctx.text, tokens, i === 0 ? nameStart : s, e));
  // A lone capitalised word opening the sentence may be a common word ("Reports are ...").
  const single = members.length === 1 && firstEnd === nameStart;
  if (single) {
    const atStart = tokens.slice(0, nameStart).every((t) => isPunct(t) || (NAME_PREFIX_WORDS.has(t.lower) && isCapitalised(t)));
    if (atStart && !ctx.midSentenceCapitals.has(tokens[nameStart].value)) return null;
  }
  if (names.some((n) => !/^\p{Lu}/u.test(n))) return null; // "new London" is no name
  return named(names[0], names.slice(1), role ? cleanRole(role) : null, at);
}

/** Unnamed sources described by what they know: "people familiar with", "sources close to", "a person briefed on". */
const INFORMED_SOURCES = /^(?:people|person|sources?|officials?) (?:familiar with|close to|briefed on)$/;

const DETERMINERS = new Set(['a', 'an', 'one', 'another', ...DEFINITE, 'some', 'several', 'two', 'three', 'both', 'all', 'each']);
/** A noun that can head an unnamed speaker: a role or body of the hand lists, or a WordNet person noun ("cardiologists"). */
const isSpeakerNoun = (t: Token | undefined): boolean =>
  !!t &&
  (t.pos === 'NOUN' || t.pos === 'PROPN') &&
  (ROLE_NOUNS.has(t.lemma) ||
    ROLE_NOUNS.has(t.lower) ||
    SPEAKER_BODIES.has(t.lower) ||
    COREFERRING_BODIES.has(t.lower) ||
    (t.pos === 'NOUN' && (isPersonNoun(t.lemma) || (t.lower !== t.lemma && isOrganisationHead(t.lemma))))); // "cardiologists", "companies", "unions"

/** Shortest person noun that names a person at the end of a compound ("ship|broker"), and shortest head before it. */
const COMPOUND_HEAD = 6;
const COMPOUND_PREFIX = 3;

/**
 * A WordNet person noun, or a compound written as one word that ends in one ("shipbroker",
 * "steelworker": WordNet has broker and worker, not every compound of them).
 */
function isPersonNoun(lemma: string): boolean {
  const nouns = defaultPersonNouns();
  if (!nouns) return false;
  if (nouns.has(lemma)) return true;
  // (the tagger leaves a word it does not know as written: "shipbrokers")
  const singular = lemma.endsWith('s') ? lemma.slice(0, -1) : lemma;
  for (let k = COMPOUND_PREFIX; k <= singular.length - COMPOUND_HEAD; k++) if (nouns.has(singular.slice(k))) return true;
  return false;
}

/**
 * The singular of a plural noun for people or bodies ("campaigners" -> "campaigner", "companies"
 * -> "company"), or null: a WordNet person noun, a role or an organisation word.
 */
function pluralGroup(lower: string): string | null {
  const singular = /[^aeiou]ies$/.test(lower) ? `${lower.slice(0, -3)}y` : /[^su]s$/.test(lower) ? lower.slice(0, -1) : null;
  if (!singular) return null;
  return isPersonNoun(singular) || ROLE_NOUNS.has(singular) || isOrganisationHead(singular) ? singular : null;
}

/** "the Gov." / "Police Chief" -> its words, abbreviations spelled out, for matching "the governor". */
const roleWords = (role: string): string[] => role.toLowerCase().split(/[\s-]+/).map((w) => expandTitle(w).replace(/[^a-z]/g, ''));

/**
 * An unnamed speaker whose head noun is token `head`: "police", "a spokeswoman for the mayor",
 * "Japan's trade ministry", "one military man". "The mayor" is the mayor the article last named
 * ("Mayor Jane Roe ... the mayor said"); "the federation" the Federation that last spoke; "the
 * group" or "the company" with no such body is nobody (precision first). `from` is where the
 * phrase may start at the earliest.
 */
function unnamedSubject(ctx: AttributionContext, tokens: Token[], head: number, end: number, st: DocState): Subject | null {
  let h = head;
  let informed = false;
  // "a spokeswoman for the mayor", "A spokeswoman for Mass General": the head is before the preposition.
  for (let k = head - 1; k >= 1 && head - k <= 5; k--) {
    if (['for', 'at', 'with', 'of'].includes(tokens[k].lower) && isSpeakerNoun(tokens[k - 1]) && tokens[k - 1].pos === 'NOUN') {
      h = k - 1;
      break;
    }
    // "two people familiar with the negotiations", "sources close to the club": unnamed, but informed.
    if (INFORMED_SOURCES.test(tokens.slice(Math.max(0, k - 2), k + 1).map((x) => x.lower).join(' '))) {
      h = k - 2;
      informed = true;
      break;
    }
    if (isPunct(tokens[k]) || tokens[k].pos === 'VERB') break;
  }
  const t = tokens[h];
  if (!isSpeakerNoun(t) && !informed) return null;
  let from = h;
  for (;;) {
    if (from > 0 && ['ADJ', 'NOUN', 'PROPN', 'NUM', 'PART'].includes(tokens[from - 1].pos) && !DETERMINERS.has(tokens[from - 1].lower) && tokens[from - 1].lower !== 'to') from--;
    // "Shipping/VERB companies said": an -ing word opening the sentence describes the noun.
    else if (from === 1 && tokens[0].pos === 'VERB' && tokens[0].lower.endsWith('ing')) from--;
    // "according to court records": the tagger reads "to court" as a verb after "to".
    else if (from > 1 && tokens[from - 1].pos === 'VERB' && sourcePhraseEndingAt(tokens, from - 2)) {
      from--;
      break;
    }
    else if (from > 2 && isHyphenJoin(tokens, from - 2)) from -= 2; // "the New England-born President"
    else if (from > 1 && isHyphenJoin(tokens, from - 1)) from -= 2; // "ship-tracking data"
    else break;
  }
  // "Japan's trade ministry": the possessive belongs to the phrase.
  while (from > 1 && /^['’]s$/.test(tokens[from - 1].value) && tokens[from - 2].pos === 'PROPN') from -= 2;
  const determiner = DETERMINERS.has(tokens[from - 1]?.lower ?? '') ? tokens[from - 1].lower : null;
  const at = determiner ? from - 1 : from;
  const offset = tokens[h].start;
  const noun = t.lower;
  // "Their plan for rotation of leaders promised": leaders are not the subject.
  if (PREPOSITIONS.has(tokens[at - 1]?.lower ?? '') && !sourcePhraseEndingAt(tokens, at - 1)) return null;
  if (determiner && DEFINITE.has(determiner) && ROLE_NOUNS.has(t.lemma) && t.lower === t.lemma) {
    // "the mayor", "the New England-born President": the person just spoken of if they hold that
    // title ("Bell was asked … the manager said"), else the last person named with it.
    // Every title word of the phrase must be in the role: "the Attorney General" is no General.
    const titles = tokens.slice(from, h + 1).filter((x) => TITLE_WORDS.has(x.lower) || ROLE_NOUNS.has(x.lemma)).map((x) => x.lemma);
    const holds = (p: { role: string }) => titles.every((w) => roleWords(p.role).includes(w));
    const last = st.last?.named ? st.people().find((p) => (p.name === st.last!.name || p.name.endsWith(` ${st.last!.name}`)) && holds(p)) : undefined;
    const holder = last ?? [...st.people()].reverse().find((p) => p.offset < offset && holds(p));
    if (holder) return { name: holder.name, members: [], role: holder.role, at, end, named: true };
  }
  if (COREFERRING_BODIES.has(noun)) {
    // "the federation": the last Federation that spoke; "the group", "the company": the last organisation.
    const generic = GENERIC_BODIES.has(noun);
    const company = COMPANY_NOUNS.has(noun);
    const refers = (name: string) =>
      generic ? (ORGANISATION_HEADS.has(nameHead(name)) && !(company && PUBLIC_BODY_HEADS.has(nameHead(name)))) || (company && isCompanyName(name)) : name.toLowerCase().endsWith(` ${noun}`);
    const definite = !!determiner && DEFINITE.has(determiner);
    // (a company the article has named, even one that has not spoken: "A pill from Corvane Therapeutics cut …, the company said")
    const body = definite ? [...st.bodies, ...(company ? st.companies() : [])].filter((b) => b.offset < offset && refers(b.name)).sort((x, y) => y.offset - x.offset)[0] : undefined;
    if (body) return { name: body.name, members: [], role: null, at, end, named: true };
    if (!BODY_NAME_WORDS.has(noun) || from === h) return null;
  }
  const name = span(ctx.text, tokens, from, h);
  if (from === h && tokens[h].pos === 'PROPN' && !SPEAKER_BODIES.has(noun)) return null;
  // (what an informed source knows is its role: "people", "familiar with the negotiations")
  return { name, members: [], role: informed ? span(ctx.text, tokens, h + 1, head) : null, at, end, named: false };
}

/** A dash between words: em, en or horizontal bar, or a typed double hyphen. */
const DASH = '(?:[―—–]|--)';
const DASH_TOKEN = new RegExp(`^${DASH}$`);
const isDash = (t: Token): boolean => DASH_TOKEN.test(t.value);
/** A closing quote, then a dash: the speaker follows ("“…” ― Pat Doe"). */
const QUOTE_THEN_DASH = new RegExp(`^[.,!?]?\\s*[”"'»]{1,2}[.,]?\\s*${DASH}\\s*`);

/** The last word of a name or phrase, lower case: what kind of body it names ("Corvane Therapeutics" -> "therapeutics"). */
const nameHead = (name: string): string => name.slice(name.search(/\S+$/)).toLowerCase();

/** The last word of an organisation's or a company's name: "union", "office", "motors", "inc.". */
const isOrganisationHead = (word: string) => ORGANISATION_HEADS.has(word) || COMPANY_NAME_ENDINGS.has(word);

/** A company's name: "Corvane Therapeutics", "Acme Corp." (not "Corp." alone). */
function isCompanyName(name: string): boolean {
  return /\s/.test(name.trim()) && COMPANY_NAME_ENDINGS.has(nameHead(name));
}

/** Where a sentence starts after its dateline ("LONDON —", "SAN JUAN, P.R. --", "VILNIUS, Lithuania –"): 0 without one. */
function afterDateline(tokens: Token[]): number {
  const dash = tokens.findIndex((x, k) => k < 8 && isDash(x));
  // The city in capitals, then perhaps its state or country: "ACCRA, Ghana —".
  const dateline = dash > 0 && /^\p{Lu}[\p{Lu}.]+$/u.test(tokens[0].value) && tokens.slice(1, dash).every((x) => isPunct(x) || isCapitalised(x));
  return dateline ? dash + 1 : 0;
}

/**
 * "“…,” Hill said" right after Marcus Hill spoke: a surname alone is the speaker just before
 * who has it (the nearest of several Hills), full name and role.
 */
function nearest(subject: Subject, st: DocState): Subject {
  const last = st.last;
  if (!last?.named || subject.name.includes(' ') || subject.members.length || !last.name.endsWith(` ${subject.name}`)) return subject;
  return { ...subject, name: last.name, written: subject.name, role: subject.role ?? last.role };
}

/** Walks left from a comma over appositives, ages, places and relative clauses to a name: "Jo Wilson, of Springfield, Va., who owns one, said". */
function appositiveSubject(ctx: AttributionContext, tokens: Token[], j: number, v: number, st: DocState): Subject | null {
  // Role first, name in commas: "Its chief executive, Thomas Berg, told reporters".
  let n = j - 1;
  while (n > 0 && isNameToken(tokens[n])) n--;
  // "The national arts funder, the Scottish Arts Fund, said": a body's name keeps its "the".
  if (n < j - 1 && tokens[n].lower === 'the' && isComma(tokens[n - 1])) n--;
  if (n < j - 1 && isComma(tokens[n])) {
    let r = n - 1;
    // ("A spokesman for the presidency, Chukwuemeka Obi,": a role may take "of", "for" or "at")
    const phrase = (x: Token) => ['DET', 'ADJ', 'NOUN', 'PROPN', 'PART', 'NUM', 'PRON'].includes(x.pos) || ['of', 'for', 'at'].includes(x.lower);
    while (r > 0 && phrase(tokens[r - 1]) && !(tokens[r - 1].pos === 'PRON' && !DETERMINERS.has(tokens[r - 1].lower))) r--;
    const roleTokens = tokens.slice(r, n);
    // "Its chief executive, Thomas Berg,", "Her Azerbaijani counterpart, Elnur Mammadov,".
    if (r === 0 || isPunct(tokens[r - 1]) ? roleTokens.some((x) => x.pos === 'NOUN' && !isCapitalised(x)) : roleTokens.some((x) => ROLE_NOUNS.has(x.lemma))) {
      const subject = readNameRun(ctx, tokens, j - 1);
      if (subject) {
        subject.role = cleanRole(span(ctx.text, tokens, r, n - 1)) ?? subject.role;
        subject.at = r;
        subject.end = v;
      }
      return subject;
    }
  }
  // Walk left comma by comma: every segment passed must be an appositive.
  let segmentEnd = j;
  for (let k = j - 1; k > 0 && j - k <= MAX_APPOSITIVE_TOKENS * 2; k--) {
    const inner = tokens[k];
    if (isPunct(inner) && !isComma(inner) && !isPossessive(inner) && inner.value !== '.' && !isHyphenJoin(tokens, k)) return null; // ("AFL-CIO" is one word)
    if (!isComma(inner)) continue;
    if (!isAppositive(tokens.slice(k + 1, segmentEnd))) return null;
    segmentEnd = k;
    // "The mayor, asked whether she would run again, said"; "Traders at the Pramuka market, the country's biggest, said".
    // A group phrase ending at a plain noun must open the sentence: not a description in commas ("X, an honorable representative of the sanhedrin,").
    const speakerNoun = isSpeakerNoun(tokens[k - 1]);
    if ((speakerNoun || tokens[k - 1]?.pos === 'NOUN') && !isNameToken(tokens[k - 1])) {
      const group = unnamedSubject(ctx, tokens, k - 1, v, st);
      if (group && (group.at === 0 || (speakerNoun && isPunct(tokens[group.at - 1])))) return group;
    }
    if (!isNameToken(tokens[k - 1])) continue;
    const subject = readNameRun(ctx, tokens, k - 1);
    if (!subject) return null;
    // "Jo Wilson, of Springfield, Va., said": "Va." is the rest of a place.
    // But "In the Sydney suburb of Blacktown, Jason Tran, 34, said": the place ends the sentence's opening phrase.
    const opening = tokens[0].pos === 'ADP' && !tokens.slice(0, subject.at).some((x) => x.pos === 'VERB' || x.pos === 'AUX');
    if (isComma(tokens[subject.at - 1]) && placeBefore(tokens, subject.at - 1) && !opening) continue;
    if (['of', 'in', 'from'].includes(tokens[subject.at - 1]?.lower ?? '')) {
      // "Representatives of Harvard University Press, which is publishing the book, acknowledge": the group before "of".
      const group = unnamedSubject(ctx, tokens, k - 1, v, st);
      if (group && !group.named && (group.at === 0 || isPunct(tokens[group.at - 1]))) return group;
      continue; // ", of Springfield,"
    }
    // A name after a preposition is not the subject: ", executive director of the Alliance, a consumer group,".
    const object = DEFINITE.has(tokens[subject.at - 1]?.lower ?? '') ? subject.at - 2 : subject.at - 1;
    if (tokens[object]?.pos === 'ADP') continue;
    // "Greensboro, N.C.,": a state after its town.
    if (isComma(tokens[subject.at - 1]) && isNameToken(tokens[subject.at - 2]) && /^(?:\p{Lu}\.){2}$|^\p{Lu}\p{Ll}{1,4}\.$/u.test(subject.name)) continue;
    // The name must stand as a subject: at the start, after a comma, a conjunction, a description
    // or a possessive ("But Marcus Bell, 35, said", "shopkeeper Armen Sargsyan, 56, said", "City's Young, asked ..., said").
    // ("The Gulf Grain Exporters Association, a U.S. trade group, said": a body's "the" opening the sentence)
    const article = tokens[subject.at - 1]?.lower === 'the' && (subject.at === 1 || isPunct(tokens[subject.at - 2])) && isOrganisationHead(nameHead(subject.name));
    const before = tokens[article ? subject.at - 2 : subject.at - 1];
    const subjectPosition =
      !before || isPunct(before) || isPossessive(before) || OPENING.has(before.value) ||
      ['CCONJ', 'SCONJ', 'ADJ'].includes(before.pos) || (before.pos === 'NOUN' && (!isCapitalised(before) || subject.at === 1)); // "Co-author David Morales, ..." opens the sentence
    if (!subjectPosition) return null;
    // The first appositive that is a description is the role: ", a fellow at the Hoover Institution,".
    // ", of rural Elsie," says where someone is from; ", 45," is an age; ", who ..." is no role.
    const first = tokens.slice(k + 1, j).findIndex(isComma);
    const firstEnd = first < 0 ? j - 1 : k + first;
    const head = tokens[k + 1];
    const description = tokens.slice(k + 1, firstEnd + 1);
    if (head.pos !== 'ADP' && !WH_WORDS.has(head.lower) && head.pos !== 'VERB' && description.some((x) => x.pos === 'NOUN' && !isCapitalised(x))) {
      const relative = description.findIndex(isRelativePronoun);
      subject.role = cleanRole(span(ctx.text, tokens, k + 1, relative > 0 ? k + relative : firstEnd)) ?? subject.role;
    }
    subject.end = v;
    return subject;
  }
  return null;
}

const isPossessive = (t: Token | undefined) => !!t && /^['’]s?$/.test(t.value);
const isRelativePronoun = (t: Token) => /^(?:who|whose|which|that)$/.test(t.lower);

/**
 * Can the tokens between two commas stand between a name and its verb? An age (", 45,"), a place
 * (", of Cambridge,"), a description (", a retired teacher,"), a relative clause (", who voted
 * against it,"), a participle (", asked about it,"), a phrase (", in talking to reporters,").
 * A clause of its own ("When he left, X said") cannot.
 */
function isAppositive(segment: Token[]): boolean {
  if (!segment.length) return false;
  const head = segment[0];
  if (WH_WORDS.has(head.lower) || head.pos === 'ADP' || head.pos === 'NUM') return true;
  if (isParticipleForm(head)) return true;
  const relative = segment.findIndex(isRelativePronoun);
  const firstVerb = segment.findIndex((x, i) => (x.pos === 'VERB' || x.pos === 'AUX') && !isParticiple(segment, i));
  return firstVerb < 0 || (relative >= 0 && relative < firstVerb);
}

/**
 * A verb form that describes rather than makes a clause: an -ing form ("the lawyer leading the
 * case", "head of sourcing") or a past participle joined by a hyphen or followed by its
 * preposition ("a Ghent-based firm", "a group founded in 1990"). "The council approved it" has
 * a clause verb.
 */
function isParticiple(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  if (!isParticipleForm(t)) return false;
  return t.lower.endsWith('ing') || tokens[i - 1]?.value === '-' || tokens[i + 1]?.pos === 'ADP';
}

/** A verb shaped like a participle: "asked", "driven", "leading". */
const isParticipleForm = (t: Token) => t.pos === 'VERB' && /(?:ed|en|ing)$/.test(t.lower);

/** Is the name before comma `c` a place: "of Springfield", "in Dublin", "from Quincy"? */
function placeBefore(tokens: Token[], c: number): boolean {
  let k = c - 1;
  while (k > 0 && isNameToken(tokens[k])) k--;
  return k < c - 1 && ['of', 'in', 'from'].includes(tokens[k].lower);
}

/**
 * The person named before a role in commas that ends at the body starting at `at`: "Angela
 * Bruni, the president of the [Italian Tennis Federation]". Null when the body is not the object
 * of such a role.
 */
function personBeforeRole(ctx: AttributionContext, tokens: Token[], at: number): Subject | null {
  let k = at - 1;
  if (DEFINITE.has(tokens[k]?.lower ?? '')) k--;
  if (tokens[k]?.lower !== 'of') return null;
  k--;
  while (k > 0 && !isComma(tokens[k]) && ['DET', 'ADJ', 'NOUN', 'PROPN'].includes(tokens[k].pos) && at - k <= MAX_APPOSITIVE_TOKENS) k--;
  const role = tokens.slice(k + 1, at);
  if (!isComma(tokens[k]) || !isNameToken(tokens[k - 1]) || !role.some((x) => ROLE_NOUNS.has(x.lemma) || TITLE_WORDS.has(x.lower))) return null;
  const person = readNameRun(ctx, tokens, k - 1);
  return person ? { ...person, role: cleanRole(span(ctx.text, tokens, k + 1, at - 1)) ?? person.role } : null;
}

/** The subject to the left of token `v`: `X said`, `X, <appositive>, said`, `he said`, `police said`. */
function leftSubject(ctx: AttributionContext, tokens: Token[], v: number, st: DocState, carry: boolean): Subject | null {
  let j = v - 1;
  // "The British Airline Pilots' Association (BALPA) said": the name, not its acronym in brackets.
  if (tokens[j]?.value === ')' && tokens[j - 2]?.value === '(' && isNameToken(tokens[j - 1])) j -= 3;
  // (adverbs, auxiliaries, a day and an intensifying "himself" between subject and verb:
  // "Stevenson yesterday described", "Thompson himself said")
  while (j >= 0 && (tokens[j].pos === 'ADV' || tokens[j].pos === 'AUX' || tokens[j].pos === 'PART' || DAY_WORDS.has(tokens[j].lower) || REFLEXIVES.has(tokens[j].lower)) && !isComma(tokens[j])) j--;
  // "Cooperman and Teller are accused": the subject of a passive is not the speaker.
  const participle = tokens[v].lower !== tokens[v].lemma && !tokens[v].lower.endsWith('ing') && !tokens[v].lower.endsWith('s');
  if (tokens.slice(j + 1, v).some((t) => t.pos === 'AUX' && t.lemma === 'be') && participle) return null;
  const t = tokens[j];
  if (!t) return null;
  if (isComma(t)) return appositiveSubject(ctx, tokens, j, v, st);
  if (t.value === '’s' || t.value === "'s") return null;
  // "Klaus Weber, who told Mammadov that ...": the name the relative pronoun stands for.
  if (t.lower === 'who' && isComma(tokens[j - 1]) && isNameToken(tokens[j - 2])) {
    let subject = readNameRun(ctx, tokens, j - 2);
    // "Angela Bruni, the president of the Italian Tennis Federation, who said": the person the
    // role in commas describes, not the body it names.
    const person = subject && personBeforeRole(ctx, tokens, subject.at);
    if (person) subject = person;
    if (subject) return { ...nearest(subject, st), at: j, end: v };
  }
  if (isNameToken(t)) {
    const subject = readNameRun(ctx, tokens, j);
    // "A spokeswoman for Mass General said": the spokeswoman speaks, not the hospital.
    const prep = subject ? tokens[subject.at - 1]?.lower ?? '' : '';
    // "The study prepared for the Construction Industry Joint Conference confirms": not the conference.
    const at = subject?.at ?? 0;
    const object = tokens[at - 1]?.pos === 'ADP' || (DETERMINERS.has(prep) && tokens[at - 2]?.pos === 'ADP');
    if (subject && !object && !(['for', 'at', 'with'].includes(prep) && isSpeakerNoun(tokens[subject.at - 2]))) {
      subject.end = v;
      if (DETERMINERS.has(prep)) subject.at--; // "..., the State Patrol said"
      return nearest(subject, st);
    }
  }
  if (t.pos === 'PRON' && CARRY_PRONOUNS.has(t.lower)) {
    // "He wrote: “…”" introduces a quotation: the person just named, even as an agent or an object.
    const opens = (x: Token | undefined) => !!x && QUOTE_OPENERS.has(x.value);
    const introducesQuote = tokens[v + 1]?.value === ':' || opens(tokens[v + 1]) || (isComma(tokens[v + 1]) && opens(tokens[v + 2]));
    if (!carry) return null;
    // "President Kennedy was right when he said, “…”": the one person the sentence names before the
    // pronoun, as its opening subject (not "Mr. Nixon, he believes, ...": another's view of him).
    const nearer = j > 0 ? onlyPersonNamed(ctx, tokens.slice(0, j), () => false) : null;
    if (nearer?.at === 0 && ['VERB', 'AUX'].includes(tokens[nearer.end + 1]?.pos ?? '')) return { ...nearer, at: j, end: v };
    const last = (introducesQuote ? st.mentioned : null) ?? st.last;
    if (!last?.named) return null;
    // "Mrs. Williams and Mr. Cole had a list which she said ...": not the last speaker either.
    if (namesAnotherPerson(tokens.slice(0, j), last, () => false)) return null;
    return { ...last, at: j, end: v };
  }
  // "The National Cannabis Institute said … It said it had cancelled three licences": "it" is the body that just spoke.
  if (t.lower === 'it' && carry && st.last && speaksAsBody(st.last) && (j === 0 || isPunct(tokens[j - 1]))) return { ...st.last, at: j, end: v };
  return unnamedSubject(ctx, tokens, j, v, st);
}

/** Is the speaker a body ("it"), by its name's or its role's last word: an institute, a company, a report, the government? */
function speaksAsBody(subject: Subject): boolean {
  const body = (head: string) => isOrganisationHead(head) || GENERIC_BODIES.has(head) || FINDING_SOURCES.has(head) || head === 'government';
  return body(nameHead(subject.name)) || (!!subject.role && body(nameHead(subject.role)));
}

/** The subject after token `v`: `", said X, the ..."`, `said he.`, `“…,” said the President.` */
function rightSubject(ctx: AttributionContext, tokens: Token[], v: number, st: DocState): Subject | null {
  const before = tokens[v - 1];
  // After a comma or a closing quote, or opening the sentence: "“Are you kidding?” Said Maris.", "“Said Hodges: …".
  if (before && !(isComma(before) || CLOSING_TOKENS.has(before.value) || before.value === ':' || tokens.slice(0, v).every(isPunct))) return null;
  const t = tokens[v + 1];
  if (!t) return null;
  const endsHere = (k: number) => !tokens[k] || isPunct(tokens[k]);
  if (t.pos === 'PRON' && CARRY_PRONOUNS.has(t.lower)) {
    // "said he." inverts; "said he had ..." is a clause about him.
    return endsHere(v + 2) && st.last?.named ? { ...st.last, at: v, end: v + 1 } : null;
  }
  // "said Kenya's President William Ruto", "said London's mayor, Sadiq Khan": the place or body
  // that owns the speaker comes first; the speaker is read after it.
  let owner = v + 1;
  while (isNameToken(tokens[owner])) owner++;
  const from = owner > v + 1 && isPossessive(tokens[owner]) ? owner : v;
  if (!isNameToken(tokens[from + 1])) {
    // "said the trust's chair, Joanne Whitlock.": the role, then the person in commas.
    let c = from + 1;
    while (tokens[c] && !isPunct(tokens[c]) && c - from <= MAX_ROLE_PREFIX_TOKENS) c++;
    const role = tokens[c - 1];
    if (c > from + 1 && isComma(tokens[c]) && role.pos === 'NOUN' && (isSpeakerNoun(role) || TITLE_WORDS.has(role.lower)) && isNameToken(tokens[c + 1])) {
      let e = c + 1;
      while (isNameToken(tokens[e + 1])) e++;
      const named = endsHere(e + 1) ? readNameRun(ctx, tokens, e) : null;
      if (named) return { ...named, role: cleanRole(span(ctx.text, tokens, v + 1, c - 1)) ?? named.role, at: v, end: e };
    }
    // "…,” said the President. / said one military man.
    let k = from + 1;
    while (tokens[k] && !isPunct(tokens[k]) && k - from <= MAX_ROLE_PREFIX_TOKENS && !isSpeakerNoun(tokens[k])) k++;
    while (isSpeakerNoun(tokens[k + 1])) k++; // "the police union"
    // "says a sportswriter who is friendly with the two men,"
    if (!isSpeakerNoun(tokens[k]) || !(endsHere(k + 1) || /^(?:who|that)$/.test(tokens[k + 1].lower))) return null;
    const subject = unnamedSubject(ctx, tokens, k, k, st);
    if (subject) subject.at = v;
    return subject;
  }
  // The run may pass through a lower-case role word: "said Council member Greg Holt".
  let end = from + 1;
  for (;;) {
    if (isNameToken(tokens[end + 1]) || (ROLE_NOUNS.has(tokens[end + 1]?.lemma ?? '') && isNameToken(tokens[end + 2]))) end++;
    else if (isHyphenJoin(tokens, end + 1) && isNameToken(tokens[end + 2])) end += 2; // Mary-Kate
    else break;
  }
  // ", said Weber had played" is a clause about Weber, not an inversion.
  if (!endsHere(end + 1)) return null;
  const found = readNameRun(ctx, tokens, end);
  if (!found) return null;
  const subject = nearest(found, st);
  subject.at = v;
  subject.end = end;
  if (isComma(tokens[end + 1])) {
    // ", said Andrew Small, an expert on China." (not ", who voted against it")
    let k = end + 2;
    while (k < tokens.length && !isPunct(tokens[k]) && k - end <= MAX_APPOSITIVE_TOKENS) k++;
    const appositive = tokens.slice(end + 2, k);
    const relative = appositive.some((x) => x.pos === 'VERB' || x.pos === 'AUX' || isRelativePronoun(x));
    if (appositive.length && !relative) {
      subject.role = cleanRole(span(ctx.text, tokens, end + 2, k - 1)) ?? subject.role;
      subject.end = k - 1;
    }
  }
  return subject;
}

/**
 * Phrases that name a source in place of a reporting verb: "according to X" gives a quote or a
 * clause; "in the words of X", "to quote X" and "as X put it" give only quoted words ("in the
 * words of the song" without a quote is no one's statement).
 */
const SOURCE_PHRASES: Array<{ words: string[]; quoteOnly: boolean }> = [
  { words: ['according', 'to'], quoteOnly: false },
  { words: ['in', 'the', 'words', 'of'], quoteOnly: true },
  { words: ['to', 'quote'], quoteOnly: true },
];

/** Do `words` stand in the sentence from token `start` on? */
const wordsAt = (tokens: Token[], words: string[], start: number) => words.every((w, n) => tokens[start + n]?.lower === w);

/** The source phrase whose last word is token `k`, or undefined. */
function sourcePhraseEndingAt(tokens: Token[], k: number) {
  return SOURCE_PHRASES.find(({ words }) => wordsAt(tokens, words, k - words.length + 1));
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
const WH_WORDS = new Set(['how', 'why', 'whether', 'what', 'when', 'where', 'who', 'which', 'if']);
const SUBORDINATORS = new Set(['although', 'though', 'while', 'because', 'if', 'when', 'as', 'since', 'after', 'before', 'unless', 'whereas']);
const CONJUNCTIONS = new Set(['and', 'but', 'though', 'although', 'while', 'whereas']);

/**
 * Where the reported clause after verb `v` starts: after "that" ("told reporters on Monday that
 * ..."), after the person told ("told her she demanded too much"), after a colon; -1 when what
 * follows is no clause ("told a news conference in Tokyo", "said in a statement").
 */
function clauseAfterVerb(tokens: Token[], v: number, to: number): number {
  let k = v + 1;
  const skipModifiers = () => {
    const rounding = () => QUANTITY_WORDS.has(tokens[k].lower) && tokens[k + 1]?.pos === 'NUM'; // "said nearly 2,000 ...": part of the clause
    while (k <= to && (tokens[k].pos === 'ADV' || tokens[k].pos === 'PART') && !WH_WORDS.has(tokens[k].lower) && tokens[k].lower !== 'to' && !rounding()) k++;
  };
  skipModifiers();
  // "declared to be false", "proposes to preserve": an infinitive, not a reported clause ("reported to the board that" is one).
  if (tokens[k]?.lower === 'to' && !['DET', 'PROPN', 'NOUN', 'PRON'].includes(tokens[k + 1]?.pos ?? '')) return -1;
  // "confirm or deny whether ...": the second verb shares the clause.
  if (tokens[k]?.pos === 'CCONJ' && REPORTING_VERBS.has(tokens[k + 1]?.lemma ?? '')) {
    k += 2;
    skipModifiers();
  }
  if (ADDRESSEE_VERBS.has(tokens[v].lemma) || ADDRESSEE_VERBS.has(tokens[v].lower)) {
    const object = k;
    if (tokens[k]?.pos === 'PRON' && !CARRY_PRONOUNS.has(tokens[k].lower) && tokens[k].lower !== 'it') k++;
    else {
      if (DETERMINERS.has(tokens[k]?.lower ?? '')) k++;
      // "told the Richmond Times-Dispatch that"
      while (k <= to && tokens[k].lower !== 'to' && (['ADJ', 'NOUN', 'PROPN', 'NUM', 'PART'].includes(tokens[k].pos) || isHyphenJoin(tokens, k) || isHyphenJoin(tokens, k - 1))) k++;
    }
    if (tokens[k]?.lower === 'to') return object < k ? object : -1; // "urged both sides to return to the table"
  } else if (['DET', 'NOUN', 'PROPN', 'ADJ', 'PRON'].includes(tokens[k]?.pos ?? '') && !TIME_WORDS.has(tokens[k].lower) && !NOT_NAMES.has(tokens[k].lower)) {
    // "said the plan was late": a subject, then its verb. "question Secretary Freeman's claim that …",
    // "stressed the close relationship": an object, no clause (unless the verb states a position with it).
    let m = k;
    // ("to" as a preposition belongs to the phrase: "her flight to Malaga had been cancelled")
    const preposition = (i: number) => tokens[i].lower === 'to' && ['DET', 'PROPN', 'NOUN', 'NUM'].includes(tokens[i + 1]?.pos ?? '');
    // ("and" between two of its words too: "said temperatures in Seville and Córdoba had not fallen")
    const joins = (i: number) => (tokens[i].lower === 'and' || tokens[i].lower === 'or') && i > k && ['DET', 'ADJ', 'NOUN', 'PROPN', 'NUM'].includes(tokens[i + 1]?.pos ?? '');
    const phrase = (i: number) => {
      const x = tokens[i];
      // ("after", "because" open a clause of time or reason, not part of a subject: "declared a state of emergency after protesters clashed";
      // "as" may join a description: "described him as “a man whose spirit …”")
      if (SUBORDINATORS.has(x.lower) && x.lower !== 'as') return false;
      return (['DET', 'ADJ', 'NOUN', 'PROPN', 'NUM', 'PART', 'PRON', 'ADV', 'ADP'].includes(x.pos) && x.lower !== 'that' && (x.lower !== 'to' || preposition(i))) || OPENING.has(x.value) || x.value === '"' || joins(i);
    };
    while (m <= to && m - k < 16 && (phrase(m) || isHyphenJoin(tokens, m) || isHyphenJoin(tokens, m - 1))) m++;
    // "said services inflation, driven by rents and childcare, was proving hard to shift": a
    // participle or relative clause in commas inside the subject, then the clause's verb.
    const inserted = m > k && isComma(tokens[m]) ? insertionEnd(tokens, m, to) : -1;
    if (inserted > 0) return k;
    if (tokens[m]?.pos === 'VERB' || tokens[m]?.pos === 'AUX' || OBJECT_STATEMENT_VERBS.has(tokens[v].lemma)) return clauseStart(tokens, v, k, to);
    return -1;
  }
  for (let m = k; m <= to && m - k <= 12; m++) {
    const x = tokens[m];
    // "said in a statement that …"; not "urged a peace race that might be called …" (a relative clause).
    if (x.lower === 'that') return m + 1 <= to && !['VERB', 'AUX', 'ADV'].includes(tokens[m + 1].pos) ? m + 1 : -1;
    if (x.pos === 'VERB' || x.pos === 'AUX' || isPunct(x)) break;
  }
  if (tokens[k]?.value === ':') k++;
  // "said at least 80 workers had been injured", "said about 300 towns were short of water": a
  // quantity opens the clause's subject.
  const quantity = tokens[k]?.lower === 'at' ? /^(?:least|most)$/.test(tokens[k + 1]?.lower ?? '') : QUANTITY_WORDS.has(tokens[k]?.lower ?? '') && tokens[k + 1]?.pos === 'NUM';
  if (quantity) return clauseStart(tokens, v, k, to);
  // "told about its existence": a phrase, not a clause. "said on Friday the plant would reopen" is one.
  if (tokens[k]?.pos === 'ADP' && !WH_WORDS.has(tokens[k].lower)) {
    let m = k + 1;
    while (m <= to && (['DET', 'ADJ', 'NOUN', 'PROPN', 'NUM'].includes(tokens[m].pos) || POSSESSIVES.has(tokens[m].lower))) m++;
    const next = tokens[m]?.pos ?? '';
    // "said about half had been reviewed": the phrase is the clause's subject; "responded by letter dated …" is no clause.
    if (next === 'VERB' || next === 'AUX') return tokens[k + 1].pos === 'NUM' || /^(?:half|most|some|all|a)$/.test(tokens[k + 1].lower) ? k : -1;
    if (!['DET', 'PRON', 'PROPN', 'NOUN', 'NUM'].includes(next)) return -1;
    k = m;
  }
  return clauseStart(tokens, v, k, to);
}

/** Longest participle or relative clause set off by commas inside a clause's subject. */
const MAX_INSERTION_TOKENS = 15;

/**
 * The comma that closes a participle or relative clause opened by the comma at `c` (", driven by
 * rents, insurance and childcare,", ", which owns the site,"), when a verb follows it; else -1.
 */
function insertionEnd(tokens: Token[], c: number, to: number): number {
  const head = tokens[c + 1];
  // (or examples, or a place: ", such as the Javan pied starling,", ", in Córdoba province,")
  const examples = head?.lower === 'such' && tokens[c + 2]?.lower === 'as';
  const place = head?.pos === 'ADP' && PLACE_WORDS.has(head.lower);
  if (!head || !(isParticipleForm(head) || isRelativePronoun(head) || examples || place)) return -1;
  // (commas inside it list things: ", driven by rents, insurance and childcare,")
  for (let m = c + 2; m <= to && m - c <= MAX_INSERTION_TOKENS; m++) {
    if (isComma(tokens[m]) && (tokens[m + 1]?.pos === 'VERB' || tokens[m + 1]?.pos === 'AUX')) return m;
    if ((isPunct(tokens[m]) && !isComma(tokens[m])) || (tokens[m].pos === 'AUX' && !isRelativePronoun(head))) return -1;
  }
  return -1;
}

/** Words that round a number: "about 300", "over 40", "nearly 2,000". */
const QUANTITY_WORDS = new Set(['about', 'around', 'over', 'under', 'nearly', 'almost', 'some']);
const PREPOSITIONS = new Set(['of', 'for', 'in', 'on', 'at', 'by', 'with', 'from', 'about', 'to', 'into', 'than', 'among', 'between']);
const TIME_WORDS = new Set(['last', 'this', 'next', 'earlier', 'later', 'week', 'month', 'year', 'night', 'morning', 'afternoon', 'evening']);

/**
 * Does a reported clause start at token k? It does not start with a comma ("He said, pointing")
 * or "and" ("tells an anecdote and hardly ever sketches"); it has a verb of its own before any
 * comma, not an infinitive ("declared it to be") or a participle inside a phrase ("concedes two
 * years of grace to nations maintaining …"). "affirmed Zianrong's words" states a position
 * without a clause.
 */
function clauseStart(tokens: Token[], v: number, k: number, to: number): number {
  if (k > to || (isPunct(tokens[k]) && !OPENING.has(tokens[k].value) && tokens[k].value !== '"') || tokens[k].pos === 'CCONJ') return -1;
  for (let m = k; m <= to; m++) {
    const x = tokens[m];
    if (x.value === ',' || x.value === ';') break;
    if (x.pos !== 'VERB' && x.pos !== 'AUX') continue;
    if (tokens[m - 1]?.lower === 'to') return -1;
    if (x.lower.endsWith('ing') && tokens[m - 1]?.pos !== 'AUX') continue;
    return k;
  }
  if (tokens[k].pos === 'PUNCT' && tokens.slice(k, to + 1).some((x) => x.pos === 'VERB' || x.pos === 'AUX')) return k; // a quote
  return OBJECT_STATEMENT_VERBS.has(tokens[v].lemma) && ['DET', 'PROPN', 'NOUN', 'PRON'].includes(tokens[k].pos) ? k : -1;
}

/** Objects that make a reporting verb a thought: "he said to himself", "she told herself". */
const REFLEXIVES = new Set(['myself', 'yourself', 'himself', 'herself', 'itself', 'ourselves', 'yourselves', 'themselves']);

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
function sentenceStatements(ctx: AttributionContext, tokens: Token[], outsideQuote: (t: Token) => boolean, st: DocState, quoteBefore: boolean): Statement[] {
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
    const clauseLike = (!['ADV', 'SCONJ', 'ADP', 'CCONJ', 'PUNCT'].includes(tokens[from]?.pos ?? 'PUNCT') && !adjunct) || OPENING.has(tokens[from]?.value ?? '');
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

const MIN_FLOATING_QUOTE_WORDS = 3;
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

/** Name words of a run, titles and descriptions left out. */
const personWords = (tokens: Token[]) => tokens.filter((t) => !TITLE_WORDS.has(t.lower) && !ROLE_NOUNS.has(t.lower) && !NAME_PREFIX_WORDS.has(t.lower)).map((t) => t.lower);

/** Does the sentence name a person (a run of two or more name words) other than `speaker`? */
function namesAnotherPerson(tokens: Token[], speaker: Subject, inQuote: (t: Token) => boolean): boolean {
  const own = new Set([speaker.name, ...speaker.members].flatMap((n) => n.toLowerCase().split(/\s+/)));
  for (let i = 0; i < tokens.length; i++) {
    let j = i;
    while (j < tokens.length && isNameToken(tokens[j]) && !inQuote(tokens[j])) j++;
    const words = personWords(tokens.slice(i, j));
    // "the White House", "his Gulf Coast constituents": places and bodies, not people.
    const institution = tokens[i - 1]?.lower === 'the' || (tokens[j]?.pos === 'NOUN' && !isCapitalised(tokens[j]));
    if (j - i >= 2 && !institution && words.length && words.some((w) => !own.has(w))) return true;
    i = j;
  }
  return false;
}

/**
 * The named subject of a sentence that reports nothing ("Councilwoman Dana Hill backed the
 * budget."): the person a following he/she most likely means.
 */
function narrationSubject(ctx: AttributionContext, tokens: Token[], outsideQuote: (t: Token) => boolean, st: DocState): Subject | 'ambiguous' | null {
  // "Meyer sent him to Reading": "him" is the one the story is about, not Meyer.
  if (tokens.some((t) => t.lower === 'him')) return null;
  let found: Subject | null = null;
  for (let v = 1; v < tokens.length; v++) {
    if ((tokens[v].pos !== 'VERB' && tokens[v].pos !== 'AUX') || !outsideQuote(tokens[v])) continue;
    // Only a name, a comma closing an appositive or a title can end a named subject.
    let j = v - 1;
    while (j > 0 && (tokens[j].pos === 'ADV' || tokens[j].pos === 'AUX' || tokens[j].pos === 'PART')) j--;
    if (!isNameToken(tokens[j]) && !isComma(tokens[j]) && !isSpeakerNoun(tokens[j]) && tokens[j].lower !== 'who') continue;
    const subject = leftSubject(ctx, tokens, v, st, false);
    if (!subject?.named || subject.members.length) continue;
    // "Farrell did -- and Maris led the team": two people; a he/she after it could be either.
    if (found && found.name !== subject.name) return 'ambiguous';
    found = subject;
  }
  return found;
}

/** Pronouns that say a sentence speaks of someone besides the people it names. */
const PERSONAL_PRONOUNS = new Set(['he', 'him', 'she']);
/** Before a name, words that make it a place or a body: "in New York", "the White House". */
const PLACE_WORDS = new Set(['in', 'at', 'from', 'to', 'into', 'near', 'across', 'on', 'of', 'the']);

/**
 * The one person named in a sentence that reports nothing and has no named subject, whatever
 * their part in it ("The plan was explained by Thurman Arnold, in The Folklore of Capitalism,
 * back in 1937."): a he/she right after is them. A person is a title and a name, or a name run of
 * two name words that is no place ("in New York"); bodies ("Bank of England") and single words are not.
 * Nobody when the sentence names two people or has a he/him/she of its own.
 */
function onlyPersonNamed(ctx: AttributionContext, tokens: Token[], inQuote: (t: Token) => boolean): Subject | null {
  if (tokens.some((t) => PERSONAL_PRONOUNS.has(t.lower) && !inQuote(t))) return null;
  let person: Subject | null = null;
  for (let i = 0; i < tokens.length; i++) {
    if (!isNameToken(tokens[i]) || inQuote(tokens[i])) continue;
    let j = i;
    while (isNameToken(tokens[j + 1]) && !inQuote(tokens[j + 1])) j++;
    const run = readNameRun(ctx, tokens, j);
    i = j;
    if (!run) continue;
    const words = tokens.slice(run.at, j + 1);
    const titled = words.some((w) => TITLE_WORDS.has(w.lower));
    const body = run.members.length > 0 || / of /.test(run.name) || words.some((w) => ORGANISATION_HEADS.has(w.lower));
    const place = PLACE_WORDS.has(tokens[run.at - 1]?.lower ?? '') || (tokens[j + 1]?.pos === 'NOUN' && !isCapitalised(tokens[j + 1]));
    if (body || (!titled && (place || personWords(words).length < 2))) continue;
    if (person && person.name !== run.name) return null;
    person = run;
  }
  return person;
}

/**
 * The tagger sometimes reads a capitalised name word as a common noun or verb ("Ellen Park/NOUN",
 * "Amelia Grant/VERB"). Inside a sentence (not after punctuation), a capitalised noun or
 * adjective, or a capitalised verb right after a proper noun, is taken as part of a name.
 */
function withNames(ctx: AttributionContext, tokens: Token[]): Token[] {
  return tokens.map((t, i) => {
    if (hyphenatedGivenName(tokens, i)) return { ...t, pos: 'PROPN' };
    // And the other way: opening the sentence, "Campaigners/PROPN said" is a plural noun when the
    // article never capitalises the word mid-sentence.
    const group = i === 0 && t.pos === 'PROPN' && !ctx.midSentenceCapitals.has(t.value) ? pluralGroup(t.lower) : null;
    if (group) return { ...t, pos: 'NOUN', lemma: group };
    if (t.pos === 'PROPN' || !isCapitalised(t)) return t;
    // A word the article writes capitalised mid-sentence is a name at the start too ("Park/NOUN said").
    if ((i === 0 || isPunct(tokens[i - 1])) && t.pos !== 'PRON' && t.pos !== 'DET' && ctx.midSentenceCapitals.has(t.value)) return { ...t, pos: 'PROPN' };
    return nameWordAt(tokens, i) ? { ...t, pos: 'PROPN' } : t;
  });
}

/** Hyphen compounds of a name that are not part of it: "Kim Jong-led", "Los Angeles-area". */
const NOT_NAME_SUFFIXES = new Set(['led', 'run', 'era', 'old', 'like', 'free', 'made', 'wide', 'type', 'size', 'born', 'bred', 'held', 'area', 'day', 'year', 'time', 'only']);

/**
 * The lower-case syllable of a hyphenated given name after a full name's first word: "Lee
 * Seo-yeon", "Kim Jong-un" (tokenized "Seo", "-", "yeon").
 */
function hyphenatedGivenName(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  return (
    i >= 3 && /^\p{Ll}{1,4}$/u.test(t.value) && !NOT_NAME_SUFFIXES.has(t.lower) &&
    isHyphenJoin(tokens, i - 1) && [tokens[i - 2], tokens[i - 3]].every((x) => isCapitalised(x) && /^\p{L}+$/u.test(x.value))
  );
}

/** Is token i a name word inside its sentence, whatever its tag ("Ellen Park/NOUN", "Amelia Grant/VERB")? */
function nameWordAt(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  if (isNameToken(t)) return true;
  if (i === 0 || !isCapitalised(t) || isPunct(tokens[i - 1])) return false;
  // "Amelia Grant/VERB", "telephoned Allied/VERB Arts"
  const word = t.pos === 'NOUN' || t.pos === 'ADJ' || (t.pos === 'VERB' && !HONORIFIC.test(t.value) && (tokens[i - 1].pos === 'PROPN' || tokens[i + 1]?.pos === 'PROPN'));
  return word && /\p{L}/u.test(t.value) && !NOT_NAMES.has(t.lower);
}

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
 * Words that are names wherever they stand, even opening a sentence ("Ford said"): the words the
 * tagger reads as proper nouns away from a sentence start, and the words of the document's
 * multi-word names ("Alan Ford", "Dr. Susan Park"), which the tagger may read as verbs or nouns.
 */
function nameWords(paragraphs: TokenizedSentence[][]): string[] {
  const tagged: string[] = [];
  const paired: string[] = [];
  for (const sentences of paragraphs) {
    for (const { tokens } of sentences) {
      for (let i = 1; i < tokens.length; i++) if (tokens[i].pos === 'PROPN' && !isPunct(tokens[i - 1])) tagged.push(tokens[i].value);
      // Two name words together: the second stands mid-sentence even when the first opens it ("Emma Stokes/VERB, 41, said").
      for (let i = 0; i + 1 < tokens.length; i++) {
        if (!nameWordAt(tokens, i) || !nameWordAt(tokens, i + 1)) continue;
        if (i > 0 && !isPunct(tokens[i - 1])) paired.push(tokens[i].value);
        paired.push(tokens[i + 1].value);
      }
    }
  }
  return [...tagged, ...paired.filter((w) => ![TITLE_WORDS, ROLE_NOUNS, NAME_PREFIX_WORDS, SPEAKER_BODIES].some((set) => set.has(w.toLowerCase())))];
}

/** Every name run of the document, one person or body each, with where it starts. */
function nameRuns(ctx: AttributionContext, paragraphs: Token[][][]): Array<{ name: string; role: string | null; offset: number }> {
  const runs: Array<{ name: string; role: string | null; offset: number }> = [];
  for (const sentences of paragraphs) {
    for (const tokens of sentences) {
      for (let i = 0; i < tokens.length; i++) {
        if (!isNameToken(tokens[i]) || isNameToken(tokens[i + 1])) continue;
        const run = readNameRun(ctx, tokens, i);
        if (run && !run.members.length) runs.push({ name: run.name, role: run.role, offset: tokens[run.at].start });
      }
    }
  }
  return runs;
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

/** Do two roles name the same office ("Gov." and "governor"), or is one of them unknown? */
function rolesAgree(a: string | null, b: string | null): boolean {
  if (!a || !b) return true;
  const wa = new Set(roleWords(a).filter((w) => ROLE_NOUNS.has(w) || TITLE_WORDS.has(w)));
  return roleWords(b).some((w) => wa.has(w));
}

/** Capitalised names with "and", "of", "for", "the" inside, by their initials: "FDA" -> "Food and Drug Administration". */
function namesByInitials(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of text.matchAll(/\p{Lu}[\p{L}.-]*(?:\s+(?:(?:and|of|for|the)\s+)?\p{Lu}[\p{L}.-]*)+/gu)) {
    const name = m[0].replace(/^The\s+/, '');
    const initials = name.split(/\s+/).filter((w) => /^\p{Lu}/u.test(w)).map((w) => w[0]).join('');
    if (initials.length < 2) continue;
    if (!out.has(initials)) out.set(initials, new Set());
    out.get(initials)!.add(name);
  }
  return out;
}

/**
 * "Biden said" after "U.S. President Joe Biden defended the decision": a speaker named by one
 * word takes the full name the same article gives them (and its title as role), when exactly one
 * full name there ends or starts with that word (names that only add a middle name, "Mickey
 * Mantle" and "Mickey Charles Mantle", are one). When several do, those the article first gives
 * after the statement do not count ("Moreno said" before "His wife, Carmen Moreno, ..." is Pat
 * Moreno). An acronym takes the one name with those initials ("the EU said" -> European Union).
 */
function completeSurnames(ctx: AttributionContext, runs: () => Array<{ name: string; role: string | null; offset: number }>, mentions: Mention[]): void {
  if (!mentions.some((m) => !m.name.includes(' ') && !m.members.length)) return;
  const full = new Map<string, Map<string, string | null>>(); // word -> full name -> role
  const firstGiven = new Map<string, number>(); // full name -> where the article first gives it
  for (const run of runs()) {
    if (!run.name.includes(' ')) continue;
    if (!firstGiven.has(run.name)) firstGiven.set(run.name, run.offset);
    const parts = run.name.split(/\s+/);
    for (const w of new Set([parts[0], parts[parts.length - 1]])) {
      const key = w.toLowerCase();
      if (!full.has(key)) full.set(key, new Map());
      const names = full.get(key)!;
      if (!names.has(run.name) || (!names.get(run.name) && run.role)) names.set(run.name, run.role);
    }
  }
  const fuller = (a: string, b: string) => {
    const wa = a.split(/\s+/);
    const wb = new Set(b.split(/\s+/));
    return wa.length < wb.size && wa.every((w) => wb.has(w));
  };
  let initials: Map<string, Set<string>> | null = null;
  for (const m of mentions) {
    if (m.name.includes(' ') || m.members.length || !/^\p{Lu}/u.test(m.name)) continue;
    if (/^\p{Lu}{2,5}$/u.test(m.name)) {
      initials ??= namesByInitials(ctx.text);
      const names = [...(initials.get(m.name) ?? [])];
      if (new Set(names).size === 1) {
        m.written = m.name;
        m.name = names[0];
      }
      continue;
    }
    // A person's surname does not complete to a body's name ("President Kennedy", "Kennedy Administration");
    // a first name completes only without a title ("Mickey", not "Pope John").
    const entries = [...(full.get(m.name.toLowerCase()) ?? new Map<string, string | null>())].filter(
      ([n]) => !ORGANISATION_HEADS.has(nameHead(n)) && (!m.role || n.endsWith(` ${m.name}`)),
    );
    const distinct = entries.filter(([n]) => !entries.some(([o]) => fuller(n, o)));
    const given = distinct.filter(([n]) => firstGiven.get(n)! < m.start);
    const names = distinct.length > 1 ? given : distinct;
    if (names.length !== 1) continue;
    const [[name, role]] = names;
    // "President Kennedy" is not "First Lady Jacqueline Kennedy": titles must agree.
    if (!rolesAgree(m.role, role)) continue;
    m.written = m.name;
    m.name = name;
    m.role ??= role;
  }
}

function mention(subject: Subject): Pick<Mention, 'name' | 'members' | 'role' | 'written'> {
  return { name: subject.name, members: subject.members, role: subject.role, ...(subject.written ? { written: subject.written } : {}) };
}
