/**
 * Attribution: who says what in a document. Rules over wink-nlp POS tags (the lite model has no
 * PERSON entity):
 *  - a direct quote is text between quote marks; it belongs to the speaker of a reporting verb in
 *    a sentence it overlaps, or, at the start of a sentence with no reporting verb, to the speaker
 *    just before it (a "floating" quote). Other quoted words are scare quotes, not speech.
 *  - reported speech is a sentence whose reporting verb has a named subject.
 *  - the subject is the proper-noun run before the verb (`X said`, `X, <appositive>, said`,
 *    `Title X said`), after it (`", said X`), after "according to", a he/she that carries the
 *    previous named speaker, or "the <role>" that matches an earlier speaker's role.
 * Precision before recall: when a rule is unsure it attributes nothing.
 */
import type { Token, TokenizedSentence } from './nlp.js';
import { CARRY_PRONOUNS, NEEDS_SPEECH_COMPLEMENT, QUOTE_ONLY_VERBS, REPORTING_VERBS, ROLE_NOUNS, TITLE_WORDS } from './lexicon.js';

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
  /** Token index where the reported clause starts (left subjects) or -1. */
  clauseFrom: number;
}

const OPENING = new Set(['“', '«', '„']);
const CLOSING = new Set(['”', '»']);
const ARTICLES = /^(?:an?|the|its|his|her|their|our)\s+/i;
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
    } else if (c === '"') {
      if (open < 0) open = i + 1;
      else {
        spans.push([open, i]);
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
const isCapitalised = (t: Token) => /^\p{Lu}/u.test(t.value);
/** Capitalised words that are never a speaker's name: `officials said Friday`. */
const NOT_NAMES = new Set([
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february',
  'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'today', 'tonight',
  'yesterday', 'tomorrow', 'jan.', 'feb.', 'aug.', 'sept.', 'oct.', 'nov.', 'dec.',
]);
const isNameToken = (t: Token | undefined): boolean =>
  !!t &&
  (t.pos === 'PROPN' || (t.pos === 'NOUN' && isCapitalised(t) && TITLE_WORDS.has(t.lower))) &&
  /\p{L}/u.test(t.value) &&
  !NOT_NAMES.has(t.lower);
/** A hyphen written between two words with no space: part of one name ("Jean-Luc"). */
const isHyphenJoin = (tokens: Token[], i: number): boolean =>
  /^[-‐‑]$/.test(tokens[i]?.value ?? '') && tokens[i - 1]?.end === tokens[i].start && tokens[i + 1]?.start === tokens[i].end;
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

export interface AttributionContext {
  text: string;
  /** Capitalised words seen in the document away from a sentence start: names, not common words. */
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
    else break;
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

  // Names with "of" in them.
  const of = tokens[start - 1]?.lower === 'the' ? start - 2 : start - 1;
  if (members.length === 1 && tokens[of]?.lower === 'of' && isNameToken(tokens[of - 1])) {
    let head = of - 1;
    while (head > 0 && isNameToken(tokens[head - 1])) head--;
    const titled = TITLE_WORDS.has(tokens[of - 1].lower) || ROLE_NOUNS.has(tokens[of - 1].lower);
    // "Marshall Formby of Plainview", "Justice Savage of the New York Supreme Court": a person,
    // then where they are from or work.
    if (!titled && of - head >= 2) return readNameRun(ctx, tokens, of - 1);
    if (titled) {
      // "Secretary of State Antony Blinken": the title, then the person's (last two) names.
      if (end - start < 2) return null; // "the Minister of Defence said": a title, no name
      return { name: span(ctx.text, tokens, end - 1, end), members: [], role: cleanRole(span(ctx.text, tokens, head, end - 2)), clauseFrom: -1 };
    }
    // "The Bank of England", "the University of Westfield": one name.
    return { name: span(ctx.text, tokens, head, end), members: [], role: null, clauseFrom: -1 };
  }
  const [first, firstEnd] = members[0];
  let nameStart = first;
  let role: string | null = null;
  // A title inside the run: "Foreign Minister Wang Yi" -> role "Foreign Minister" (also "Pirate Manager Danny Murtaugh").
  for (let i = firstEnd; i >= first; i--) {
    // An occupation word last in the run is a surname ("John Farmer"); a title word never is.
    if (TITLE_WORDS.has(tokens[i].lower) || (ROLE_NOUNS.has(tokens[i].lower) && i < firstEnd)) {
      if (i === firstEnd) return null; // only a title ("the Foreign Minister said"): no name
      role = span(ctx.text, tokens, first, i);
      nameStart = i + 1;
      break;
    }
  }
  // A lower-case role before the name: "Chinese foreign ministry spokesman Zhao Lijian".
  if (!role && ROLE_NOUNS.has(tokens[first - 1]?.lemma ?? '')) {
    let k = first - 1;
    while (
      k > 0 &&
      first - k < MAX_ROLE_PREFIX_TOKENS &&
      ['ADJ', 'NOUN', 'PROPN'].includes(tokens[k - 1].pos) &&
      !isPunct(tokens[k - 1])
    ) k--;
    role = span(ctx.text, tokens, k, first - 1);
  }

  const names = members.map(([s, e], i) => span(ctx.text, tokens, i === 0 ? nameStart : s, e));
  // A lone capitalised word opening the sentence may be a common word ("Reports are ...").
  const single = members.length === 1 && firstEnd === nameStart;
  if (single) {
    const atStart = tokens.slice(0, nameStart).every((t) => isPunct(t));
    if (atStart && !ctx.midSentenceCapitals.has(tokens[nameStart].value)) return null;
  }
  if (names.some((n) => !/\p{Lu}/u.test(n))) return null;
  return { name: names[0], members: names.slice(1), role: role ? cleanRole(role) : null, clauseFrom: -1 };
}

/** The subject to the left of token `v`: `X said`, `X, <appositive>, said`, `he said`. */
function leftSubject(ctx: AttributionContext, tokens: Token[], v: number, lastSpeaker: Subject | null): Subject | null {
  let j = v - 1;
  while (j >= 0 && (tokens[j].pos === 'ADV' || tokens[j].pos === 'AUX' || tokens[j].pos === 'PART') && !isComma(tokens[j])) j--;
  // "Cooperman and Teller are accused": the subject of a passive is not the speaker.
  if (tokens.slice(j + 1, v).some((t) => t.pos === 'AUX' && t.lemma === 'be') && /(?:ed|en)$/.test(tokens[v].lower)) return null;
  const clauseFrom = j + 1;
  const t = tokens[j];
  if (!t) return null;
  if (isComma(t)) {
    // Role first, name in commas: "Its chief executive, Thomas Berg, told reporters".
    let n = j - 1;
    while (n > 0 && isNameToken(tokens[n])) n--;
    if (n < j - 1 && isComma(tokens[n])) {
      let r = n - 1;
      while (r > 0 && !isPunct(tokens[r - 1]) && tokens[r - 1].pos !== 'VERB' && tokens[r - 1].pos !== 'ADP') r--;
      const roleTokens = tokens.slice(r, n);
      if (roleTokens.some((x) => ROLE_NOUNS.has(x.lemma))) {
        const subject = readNameRun(ctx, tokens, j - 1);
        if (subject) {
          subject.role = cleanRole(span(ctx.text, tokens, r, n - 1)) ?? subject.role;
          subject.clauseFrom = clauseFrom;
        }
        return subject;
      }
    }
    // Appositive: "Fan Xianrong, Beijing's ambassador to Ukraine, publicly stated".
    for (let k = j - 1; k > 0 && j - k <= MAX_APPOSITIVE_TOKENS; k--) {
      const inner = tokens[k];
      if (inner.pos === 'VERB' || inner.pos === 'AUX' || inner.lower === 'who' || inner.lower === 'which') return null;
      if (isPunct(inner) && !isComma(inner) && inner.value !== '’s' && inner.value !== "'s") return null;
      if (isComma(inner)) {
        if (!isNameToken(tokens[k - 1])) return null;
        const subject = readNameRun(ctx, tokens, k - 1);
        if (!subject) return null;
        // ", of rural Elsie," says where someone is from, not what they are.
        if (tokens[k + 1].pos !== 'ADP') subject.role = cleanRole(span(ctx.text, tokens, k + 1, j - 1)) ?? subject.role;
        subject.clauseFrom = clauseFrom;
        return subject;
      }
    }
    return null;
  }
  if (t.value === '’s' || t.value === "'s") return null;
  if (isNameToken(t)) {
    const subject = readNameRun(ctx, tokens, j);
    if (subject) subject.clauseFrom = clauseFrom;
    return subject;
  }
  if (t.pos === 'PRON' && CARRY_PRONOUNS.has(t.lower) && lastSpeaker) {
    // "Mrs. Williams had a list which she said ...": "she" is the nearer name, not the last speaker.
    if (namesAnotherPerson(tokens.slice(0, j), lastSpeaker, () => false)) return null;
    return { ...lastSpeaker, clauseFrom };
  }
  return roleSubject(tokens, j, lastSpeaker, clauseFrom);
}

/** "the ambassador said": the previous speaker, if that speaker's role names the same noun. */
function roleSubject(tokens: Token[], j: number, lastSpeaker: Subject | null, clauseFrom: number): Subject | null {
  const t = tokens[j];
  if (!t || t.pos !== 'NOUN' || !ROLE_NOUNS.has(t.lemma) || !lastSpeaker?.role) return null;
  let k = j - 1;
  while (k >= 0 && tokens[k].pos === 'ADJ') k--;
  if (tokens[k]?.lower !== 'the') return null;
  return new RegExp(`\\b${t.lemma}`, 'i').test(lastSpeaker.role) ? { ...lastSpeaker, clauseFrom } : null;
}

/** The subject after token `v`: `", said X, the ..."` or `said he`. */
function rightSubject(ctx: AttributionContext, tokens: Token[], v: number, lastSpeaker: Subject | null): Subject | null {
  const before = tokens[v - 1];
  if (!before || !(isComma(before) || CLOSING.has(before.value) || before.value === '"')) return null;
  const t = tokens[v + 1];
  if (!t) return null;
  if (t.pos === 'PRON' && CARRY_PRONOUNS.has(t.lower)) return lastSpeaker ? { ...lastSpeaker, clauseFrom: -1 } : null;
  if (!isNameToken(t)) return roleSubject(tokens, v + 2, lastSpeaker, -1);
  // The run may pass through a lower-case role word: "said Council member Greg Holt".
  let end = v + 1;
  for (;;) {
    if (isNameToken(tokens[end + 1]) || (ROLE_NOUNS.has(tokens[end + 1]?.lemma ?? '') && isNameToken(tokens[end + 2]))) end++;
    else if (isHyphenJoin(tokens, end + 1) && isNameToken(tokens[end + 2])) end += 2; // Mary-Kate
    else break;
  }
  const subject = readNameRun(ctx, tokens, end);
  if (!subject) return null;
  if (isComma(tokens[end + 1])) {
    // ", said Andrew Small, an expert on China." (not ", who voted against it")
    let k = end + 2;
    while (k < tokens.length && !isPunct(tokens[k]) && k - end <= MAX_APPOSITIVE_TOKENS) k++;
    const appositive = tokens.slice(end + 2, k);
    const relative = appositive.some((x) => x.pos === 'VERB' || x.pos === 'AUX' || /^(?:who|which|whose|that)$/.test(x.lower));
    if (appositive.length && !relative) subject.role = cleanRole(span(ctx.text, tokens, end + 2, k - 1)) ?? subject.role;
  }
  return subject;
}

/** "according to X" anywhere in the sentence. */
function accordingTo(ctx: AttributionContext, tokens: Token[], lastSpeaker: Subject | null): Subject | null {
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i].lower !== 'according' || tokens[i + 1].lower !== 'to') continue;
    if (!isNameToken(tokens[i + 2])) return roleSubject(tokens, i + 3, lastSpeaker, -1);
    let end = i + 2;
    while (isNameToken(tokens[end + 1])) end++;
    return readNameRun(ctx, tokens, end);
  }
  return null;
}

/** The speaker of a sentence, from its reporting verbs outside quotes. */
function sentenceSubject(
  ctx: AttributionContext,
  tokens: Token[],
  outsideQuote: (t: Token) => boolean,
  lastSpeaker: Subject | null,
): Subject | null {
  const hasQuote = tokens.some((t) => !outsideQuote(t));
  for (let v = 0; v < tokens.length; v++) {
    const t = tokens[v];
    const reports =
      (REPORTING_VERBS.has(t.lemma) && (!NEEDS_SPEECH_COMPLEMENT.has(t.lemma) || hasQuote || speechFollows(tokens, v))) ||
      (hasQuote && QUOTE_ONLY_VERBS.has(t.lemma));
    if (!outsideQuote(t) || !reports || (t.pos !== 'VERB' && t.pos !== 'AUX')) continue;
    if (tokens[v - 1]?.lower === 'to') continue; // "led Khrushchev to believe": not a statement
    let subject = leftSubject(ctx, tokens, v, lastSpeaker) ?? rightSubject(ctx, tokens, v, lastSpeaker);
    // ", declaring ..." takes the subject of the main clause.
    if (!subject && t.lower.endsWith('ing') && isComma(tokens[v - 1])) {
      for (let m = v - 2; m >= 0 && !subject; m--) {
        if (tokens[m].pos === 'VERB') subject = leftSubject(ctx, tokens, m, lastSpeaker);
      }
      if (subject) subject.clauseFrom = v;
    }
    if (subject) return subject;
  }
  return accordingTo(ctx, tokens, lastSpeaker);
}

const MIN_FLOATING_QUOTE_WORDS = 3;

/**
 * Does speech follow verb `v`: "added that ...", "added, ...", "noted:", or the end of the
 * sentence ("..., Hemphill added.")? Verbs with other everyday senses ("Al has added some
 * sidemen") report speech only then.
 */
function speechFollows(tokens: Token[], v: number): boolean {
  let n = v + 1;
  while (tokens[n]?.pos === 'ADV') n++;
  const next = tokens[n];
  return !next || next.lower === 'that' || isPunct(next) || /^(?:[\u201c"'\u2018]|if|whether|how|why|what)$/.test(next.lower);
}

/** Does the sentence name a person (a run of two or more name words) other than `speaker`? */
function namesAnotherPerson(tokens: Token[], speaker: Subject, inQuote: (t: Token) => boolean): boolean {
  const own = new Set([speaker.name, ...speaker.members].flatMap((n) => n.toLowerCase().split(/\s+/)));
  for (let i = 0; i < tokens.length; i++) {
    let j = i;
    while (j < tokens.length && isNameToken(tokens[j]) && !inQuote(tokens[j])) j++;
    if (j - i >= 2 && !tokens.slice(i, j).some((t) => own.has(t.lower))) return true;
    i = j;
  }
  return false;
}

/**
 * The tagger sometimes reads a capitalised name word as a common noun or verb ("Ellen Park/NOUN",
 * "Amelia Grant/VERB"). Inside a sentence (not after punctuation), a capitalised noun or
 * adjective, or a capitalised verb right after a proper noun, is taken as part of a name.
 */
function withNames(tokens: Token[]): Token[] {
  return tokens.map((t, i) => {
    if (i === 0 || !isCapitalised(t) || isPunct(tokens[i - 1])) return t;
    const nameWord = t.pos === 'NOUN' || t.pos === 'ADJ' || (t.pos === 'VERB' && tokens[i - 1].pos === 'PROPN'); // "Amelia Grant/VERB"
    return nameWord ? { ...t, pos: 'PROPN' } : t;
  });
}

/**
 * Attributes every sentence of one document. `paragraphs[p]` holds the tokenized sentences of
 * paragraph p, offsets into `ctx.text`.
 */
export function attributeDocument(ctx: AttributionContext, paragraphs: TokenizedSentence[][]): Mention[] {
  const mentions: Mention[] = [];
  let last: Subject | null = null;
  let lastParagraph = -10;

  paragraphs.forEach((sentences, p) => {
    if (!sentences.length) return;
    if (p - lastParagraph > 1) last = null; // the carried speaker does not cross unrelated paragraphs
    const pStart = sentences[0].start;
    const pEnd = sentences[sentences.length - 1].end;
    const quotes = findQuoteSpans(ctx.text, pStart, pEnd);
    const inQuote = (t: Token) => quotes.some(([s, e]) => t.start >= s && t.end <= e);
    const subjects = sentences.map((s) => {
      const tokens = withNames(s.tokens);
      const subject = sentenceSubject(ctx, tokens, (t) => !inQuote(t), last);
      if (subject) {
        last = subject;
        lastParagraph = p;
      } else if (last && namesAnotherPerson(tokens, last, inQuote)) {
        // "Mayor David Chen called the plan ... He added": "he" may no longer be the last speaker.
        last = null;
      }
      return subject;
    });

    const quoted = new Set<number>();
    for (const [qs, qe] of quotes) {
      const covering = sentences.map((s, i) => (s.start < qe && s.end > qs ? i : -1)).filter((i) => i >= 0);
      if (!covering.length) continue;
      let subject = covering.map((i) => subjects[i]).find(Boolean) ?? null;
      const first = covering[0];
      if (!subject) {
        // A floating quote opens its sentence and carries the speaker just before it.
        const opensSentence = sentences[first].tokens.every((t) => t.start >= qs - 1 || isPunct(t));
        const words = ctx.text.slice(qs, qe).split(/\s+/).filter(Boolean).length;
        const previous = subjects.slice(0, first).reverse().find(Boolean) ?? (first === 0 && lastParagraph === p - 1 ? last : null);
        if (opensSentence && words >= MIN_FLOATING_QUOTE_WORDS && previous) subject = previous;
      }
      if (!subject) continue;
      covering.forEach((i) => quoted.add(i));
      let end = qe;
      while (end > qs && /[\s,.;:]/.test(ctx.text[end - 1])) end--;
      mentions.push({ ...mention(subject), kind: 'direct', paragraph: p, sentence: first, start: qs, end });
      last = subject;
      lastParagraph = p;
    }

    subjects.forEach((subject, i) => {
      if (!subject || quoted.has(i)) return;
      const tokens = sentences[i].tokens;
      let from = subject.clauseFrom >= 0 ? tokens[subject.clauseFrom].start : sentences[i].start;
      let to = sentences[i].end;
      while (to > from && /[\s.!?;:]/.test(ctx.text[to - 1])) to--;
      while (from < to && /[\s,]/.test(ctx.text[from])) from++;
      if (to > from) mentions.push({ ...mention(subject), kind: 'indirect', paragraph: p, sentence: i, start: from, end: to });
    });
  });
  mentions.sort((a, b) => a.start - b.start);
  completeSurnames(ctx, paragraphs, mentions);
  return mentions;
}

/**
 * "Biden said" after "U.S. President Joe Biden defended the decision": a speaker named by one
 * word takes the full name the same article gives them (and its title as role), when exactly one
 * full name there ends or starts with that word.
 */
function completeSurnames(ctx: AttributionContext, paragraphs: TokenizedSentence[][], mentions: Mention[]): void {
  if (!mentions.some((m) => !m.name.includes(' ') && !m.members.length)) return;
  const full = new Map<string, Map<string, string | null>>(); // word -> full name -> role
  for (const sentences of paragraphs) {
    for (const s of sentences) {
      const tokens = withNames(s.tokens);
      for (let i = 0; i < tokens.length; i++) {
        if (!isNameToken(tokens[i]) || isNameToken(tokens[i + 1])) continue;
        const run = readNameRun(ctx, tokens, i);
        if (!run || run.members.length || !run.name.includes(' ')) continue;
        const parts = run.name.split(/\s+/);
        for (const w of new Set([parts[0], parts[parts.length - 1]])) {
          const key = w.toLowerCase();
          if (!full.has(key)) full.set(key, new Map());
          const names = full.get(key)!;
          if (!names.has(run.name) || (!names.get(run.name) && run.role)) names.set(run.name, run.role);
        }
      }
    }
  }
  for (const m of mentions) {
    if (m.name.includes(' ') || m.members.length) continue;
    const names = full.get(m.name.toLowerCase());
    if (names?.size !== 1) continue;
    const [[name, role]] = [...names];
    // "President Kennedy" is not "First Lady Jacqueline Kennedy": a title must agree.
    if (m.role && m.role !== role) continue;
    m.written = m.name;
    m.name = name;
    m.role ??= role;
  }
}

function mention(subject: Subject): Pick<Mention, 'name' | 'members' | 'role'> {
  return { name: subject.name, members: subject.members, role: subject.role };
}
