/**
 * Who the subject of a reporting verb is: the name or phrase to its left (`X said`, `X, 45, said`,
 * `he said`, `police said`), to its right (`", said X`), an unnamed speaker ("a spokeswoman", "the
 * mayor" as the last mayor named), and the named subject of a sentence that reports nothing, whom
 * a he/she after it carries.
 */
import { isHyphenJoin, type Token } from '../nlp.js';
import { BODY_NAME_WORDS, COMPANY_NOUNS, FINDING_SOURCES, CARRY_PRONOUNS, ORGANISATION_HEADS, COREFERRING_BODIES, GENERIC_BODIES, PUBLIC_BODY_HEADS, ROLE_NOUNS, SPEAKER_BODIES, TITLE_WORDS } from '../lexicon.js';
import type { Subject, DocState, AttributionContext } from './types.js';
import { OPENING, QUOTE_OPENERS, CLOSING_TOKENS, DEFINITE, MAX_ROLE_PREFIX_TOKENS, isPunct, isComma, isCapitalised, DAY_WORDS, isNameToken, span, DETERMINERS, isSpeakerNoun, isOrganisationHead, isPossessive, isRelativePronoun, isParticipleForm, sourcePhraseEndingAt, WH_WORDS, REFLEXIVES } from './tokens.js';
import { cleanRole, readNameRun, roleWords, nameHead, namesOrganisation, isCompanyName, namesAnotherPerson, onlyPersonNamed } from './names.js';

const MAX_APPOSITIVE_TOKENS = 16;

/** Unnamed sources described by what they know: "people familiar with", "sources close to", "a person briefed on". */
const INFORMED_SOURCES = /^(?:people|person|sources?|officials?) (?:familiar with|close to|briefed on)$/;

/**
 * An unnamed speaker whose head noun is token `head`: "police", "a spokeswoman for the mayor",
 * "Japan's trade ministry", "one military man". "The mayor" is the mayor the article last named
 * ("Mayor Jane Roe ... the mayor said"); "the federation" the Federation that last spoke; "the
 * group" or "the company" with no such body is nobody (precision first). `from` is where the
 * phrase may start at the earliest.
 */
export function unnamedSubject(ctx: AttributionContext, tokens: Token[], head: number, end: number, st: DocState): Subject | null {
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
    const article = tokens[subject.at - 1]?.lower === 'the' && (subject.at === 1 || isPunct(tokens[subject.at - 2])) && namesOrganisation(subject.name);
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

/**
 * Can the tokens between two commas stand between a name and its verb? An age (", 45,"), a place
 * (", of Cambridge,"), a description (", a retired teacher,"), a relative clause (", who voted
 * against it,"), a participle (", asked about it,"), a phrase (", in talking to reporters,").
 * A clause of its own ("When he left, X said") cannot.
 */
export function isAppositive(segment: Token[]): boolean {
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
export function leftSubject(ctx: AttributionContext, tokens: Token[], v: number, st: DocState, carry: boolean): Subject | null {
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
  if (t.lower === 'it' && carry && st.last && speaksAsBody(st.last, st) && (j === 0 || isPunct(tokens[j - 1]))) return { ...st.last, at: j, end: v };
  return unnamedSubject(ctx, tokens, j, v, st);
}

/**
 * Is the speaker a body ("it"), by its name's or its role's last word (an institute, a company, a
 * report, the government), or as the short name of a company the article names ("Corvane")?
 */
function speaksAsBody(subject: Subject, st: DocState): boolean {
  const body = (head: string) => isOrganisationHead(head) || GENERIC_BODIES.has(head) || FINDING_SOURCES.has(head) || head === 'government';
  return body(nameHead(subject.name)) || (!!subject.role && body(nameHead(subject.role))) || st.companies().some((c) => c.name.startsWith(`${subject.name} `));
}

/** The subject after token `v`: `", said X, the ..."`, `said he.`, `“…,” said the President.` */
export function rightSubject(ctx: AttributionContext, tokens: Token[], v: number, st: DocState): Subject | null {
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

const PREPOSITIONS = new Set(['of', 'for', 'in', 'on', 'at', 'by', 'with', 'from', 'about', 'to', 'into', 'than', 'among', 'between']);

/**
 * The named subject of a sentence that reports nothing ("Councilwoman Dana Hill backed the
 * budget."): the person a following he/she most likely means.
 */
export function narrationSubject(ctx: AttributionContext, tokens: Token[], outsideQuote: (t: Token) => boolean, st: DocState): Subject | 'ambiguous' | null {
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
