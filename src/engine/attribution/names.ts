/**
 * Names: a proper-noun run read as a name and a role ("Foreign Minister Wang Yi"), the words a
 * document uses as names (and the tokens the tagger misreads), the people a sentence names, and a
 * one-word speaker completed to the full name the article gives ("Biden" -> "Joe Biden").
 */
import { isHyphenJoin, type Token, type TokenizedSentence } from '../nlp.js';
import { COMPANY_NAME_ENDINGS, ORGANISATION_HEADS, DESCRIPTOR_NOUNS, NAME_PREFIX_WORDS, ROLE_NOUNS, SPEAKER_BODIES, expandTitle, TITLE_WORDS } from '../lexicon.js';
import type { Mention, Subject, AttributionContext } from './types.js';
import { DEFINITE, MAX_ROLE_PREFIX_TOKENS, isPunct, isCapitalised, NOT_NAMES, isNameToken, span, isSpeakerNoun, isPersonNoun, isOrganisationHead, isPossessive, PLACE_WORDS } from './tokens.js';

/** An article or such a possessive opening a role, taken off it. */
const ARTICLES = new RegExp(`^(?:an?|${[...DEFINITE].join('|')})\\s+`, 'i');

/** Courtesy titles say nothing of a speaker's role. */
const HONORIFIC = /^(?:mr|mrs|ms|miss|messrs|mme|mlle|sir|dame)\.?$/i;

/** Appositives that are not roles: an age or address ("45", "1409 SW Maplecrest Dr."), a company suffix. */
const NOT_A_ROLE = /^(?:\d|(?:inc|ltd|co|corp|llc|plc|jr|sr)\.?$)/i;

export function cleanRole(role: string): string | null {
  const r = role.replace(ARTICLES, '').trim();
  return r.length >= 3 && !HONORIFIC.test(r) && !NOT_A_ROLE.test(r) ? r : null;
}

/**
 * Reads a proper-noun run ending at token `end`: splits a leading title off as the role, takes a
 * lower-case role prefix ("foreign ministry spokesman"), and joins "X and (the) Y" collectives.
 */
export function readNameRun(ctx: AttributionContext, tokens: Token[], end: number): Subject | null {
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
  // "and" inside the part after "of": "the Ministry of Industry and Trade", "Minister of Industry and Trade Pham Van Hung".
  let ofAnd = -1;
  if (tokens[start - 1]?.lower === 'and' && isNameToken(tokens[start - 2])) {
    let first = start - 2;
    while (first > 0 && isNameToken(tokens[first - 1])) first--;
    const owner = tokens[first - 2];
    if (tokens[first - 1]?.lower === 'of' && owner && (ORGANISATION_HEADS.has(owner.lower) || TITLE_WORDS.has(owner.lower) || ROLE_NOUNS.has(owner.lower))) {
      ofAnd = start - 1;
      start = first;
    }
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
      // "Secretary of State Antony Blinken": the title, then the person's (last two) names; after
      // "Industry and Trade", the names after the word that follows "and".
      const nameFrom = ofAnd > 0 ? ofAnd + 2 : end - 1;
      if (end - start < 2 || end - nameFrom < 1) return null; // "the Minister of Defence said": a title, no name
      return named(span(ctx.text, tokens, nameFrom, end), [], cleanRole(span(ctx.text, tokens, head, nameFrom - 1)), head);
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
export const roleWords = (role: string): string[] => role.toLowerCase().split(/[\s-]+/).map((w) => expandTitle(w).replace(/[^a-z]/g, ''));

/** The last word of a name or phrase, lower case: what kind of body it names ("Corvane Therapeutics" -> "therapeutics"). */
export const nameHead = (name: string): string => name.slice(name.search(/\S+$/)).toLowerCase();

/** Is it an organisation's name, by its last word or, in a name with "of", the word before it ("Federation of Nigerian Workers", "Bank of England")? */
export const namesOrganisation = (name: string): boolean => isOrganisationHead(nameHead(name)) || isOrganisationHead(nameHead(name.split(/ of /)[0]));

/** A company's name: "Corvane Therapeutics", "Acme Corp." (not "Corp." alone). */
export function isCompanyName(name: string): boolean {
  return /\s/.test(name.trim()) && COMPANY_NAME_ENDINGS.has(nameHead(name));
}

/** Name words of a run, titles and descriptions left out. */
const personWords = (tokens: Token[]) => tokens.filter((t) => !TITLE_WORDS.has(t.lower) && !ROLE_NOUNS.has(t.lower) && !NAME_PREFIX_WORDS.has(t.lower)).map((t) => t.lower);

/** Does the sentence name a person (a run of two or more name words) other than `speaker`? */
export function namesAnotherPerson(tokens: Token[], speaker: Subject, inQuote: (t: Token) => boolean): boolean {
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

/** Pronouns that say a sentence speaks of someone besides the people it names. */
const PERSONAL_PRONOUNS = new Set(['he', 'him', 'she']);

/**
 * The one person named in a sentence that reports nothing and has no named subject, whatever
 * their part in it ("The plan was explained by Thurman Arnold, in The Folklore of Capitalism,
 * back in 1937."): a he/she right after is them. A person is a title and a name, or a name run of
 * two name words that is no place ("in New York"); bodies ("Bank of England") and single words are not.
 * Nobody when the sentence names two people or has a he/him/she of its own.
 */
export function onlyPersonNamed(ctx: AttributionContext, tokens: Token[], inQuote: (t: Token) => boolean): Subject | null {
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
export function withNames(ctx: AttributionContext, tokens: Token[]): Token[] {
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

/**
 * Words that are names wherever they stand, even opening a sentence ("Ford said"): the words the
 * tagger reads as proper nouns away from a sentence start, and the words of the document's
 * multi-word names ("Alan Ford", "Dr. Susan Park"), which the tagger may read as verbs or nouns.
 */
export function nameWords(paragraphs: TokenizedSentence[][]): string[] {
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
export function nameRuns(ctx: AttributionContext, paragraphs: Token[][][]): Array<{ name: string; role: string | null; offset: number }> {
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
export function completeSurnames(ctx: AttributionContext, runs: () => Array<{ name: string; role: string | null; offset: number }>, mentions: Mention[]): void {
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
