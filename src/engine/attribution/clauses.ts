/**
 * The extent of a reported clause: where the clause after a reporting verb starts ("said the plan
 * was late", "told reporters on Monday that …"), or that what follows is no clause ("said in a
 * statement", "declared it to be false").
 */
import { isHyphenJoin, type Token } from '../nlp.js';
import { ADDRESSEE_VERBS, CARRY_PRONOUNS, OBJECT_STATEMENT_VERBS, REPORTING_VERBS } from '../lexicon.js';
import { OPENING, POSSESSIVES, isPunct, isComma, NOT_NAMES, DETERMINERS, isRelativePronoun, isParticipleForm, WH_WORDS, PLACE_WORDS } from './tokens.js';

export const SUBORDINATORS = new Set(['although', 'though', 'while', 'because', 'if', 'when', 'as', 'since', 'after', 'before', 'unless', 'whereas']);

/**
 * Where the reported clause after verb `v` starts: after "that" ("told reporters on Monday that
 * ..."), after the person told ("told her she demanded too much"), after a colon; -1 when what
 * follows is no clause ("told a news conference in Tokyo", "said in a statement").
 */
export function clauseAfterVerb(tokens: Token[], v: number, to: number): number {
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
      return (['DET', 'ADJ', 'NOUN', 'PROPN', 'NUM', 'PART', 'PRON', 'ADV', 'ADP'].includes(x.pos) && x.lower !== 'that' && (x.lower !== 'to' || preposition(i))) || OPENING.has(x.value) || x.value === '"' || joins(i) || isAmountSign(tokens, i);
    };
    while (m <= to && m - k < 16 && (phrase(m) || (m > k + 1 && inNounInfinitive(tokens, m)) || isHyphenJoin(tokens, m) || isHyphenJoin(tokens, m - 1))) m++;
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
  if (opensWithQuantity(tokens, k)) return clauseStart(tokens, v, k, to);
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
 * rents, insurance and childcare,", ", which owns the site,"), or a description of the subject
 * (", Mrs. Eleanor Somerville,", ", a retired teacher,", ", already stretched,"), when a verb
 * follows it; else -1.
 */
function insertionEnd(tokens: Token[], c: number, to: number): number {
  const head = tokens[c + 1];
  // (or examples, or a place: ", such as the Javan pied starling,", ", in Córdoba province,")
  const examples = head?.lower === 'such' && tokens[c + 2]?.lower === 'as';
  const place = head?.pos === 'ADP' && PLACE_WORDS.has(head.lower);
  const description = !!head && DESCRIPTION_HEADS.has(head.pos) && !isRelativePronoun(head);
  if (!head || !(isParticipleForm(head) || isRelativePronoun(head) || examples || place || description)) return -1;
  // (commas inside it list things: ", driven by rents, insurance and childcare,")
  for (let m = c + 2; m <= to && m - c <= MAX_INSERTION_TOKENS; m++) {
    if (isComma(tokens[m]) && (tokens[m + 1]?.pos === 'VERB' || tokens[m + 1]?.pos === 'AUX')) return m;
    if ((isPunct(tokens[m]) && !isComma(tokens[m])) || (tokens[m].pos === 'AUX' && !isRelativePronoun(head))) return -1;
    // (a description lists nothing and has no verb of its own: ", the plant closed," is a clause)
    if (description && (isComma(tokens[m]) || (tokens[m].pos === 'VERB' && !isParticipleForm(tokens[m])))) return -1;
  }
  return -1;
}
/** Parts of speech that open a description in commas: a name, a noun phrase or an adjective phrase. */
const DESCRIPTION_HEADS = new Set(['DET', 'PROPN', 'NOUN', 'ADJ', 'NUM', 'ADV']);

/** Words that round a number: "about 300", "over 40", "nearly 2,000". */
const QUANTITY_WORDS = new Set(['about', 'around', 'over', 'under', 'nearly', 'almost', 'some']);

/** Does a quantity start at token `k` ("at least 80", "about 300", "$7.2 billion"): a clause's subject, not a phrase of place or time? */
export const opensWithQuantity = (tokens: Token[], k: number): boolean =>
  tokens[k]?.lower === 'at' ? /^(?:least|most)$/.test(tokens[k + 1]?.lower ?? '') : (QUANTITY_WORDS.has(tokens[k]?.lower ?? '') || isAmountSign(tokens, k)) && tokens[k + 1]?.pos === 'NUM';

/** A currency sign before a number or a per cent sign after one: "$7.2 billion", "18%". */
const isAmountSign = (tokens: Token[], k: number): boolean =>
  tokens[k]?.pos === 'SYM' && (/^[$€£¥]$/.test(tokens[k].value) ? tokens[k + 1]?.pos === 'NUM' : tokens[k].value === '%' && tokens[k - 1]?.pos === 'NUM');

export const TIME_WORDS = new Set(['last', 'this', 'next', 'earlier', 'later', 'week', 'month', 'year', 'night', 'morning', 'afternoon', 'evening']);

/** Is token `i` the "to" or the verb of a noun's infinitive: "said Mensah's promise to cut the fuel levy would cost …"? */
const inNounInfinitive = (tokens: Token[], i: number): boolean =>
  tokens[i].lower === 'to' ? tokens[i - 1]?.pos === 'NOUN' && tokens[i + 1]?.pos === 'VERB' : tokens[i].pos === 'VERB' && tokens[i - 1]?.lower === 'to' && tokens[i - 2]?.pos === 'NOUN';

/**
 * Does a reported clause start at token k? It does not start with a comma ("He said, pointing")
 * or "and" ("tells an anecdote and hardly ever sketches"); it has a verb of its own before any
 * comma, not an infinitive ("declared it to be") or a participle inside a phrase ("concedes two
 * years of grace to nations maintaining …"). "affirmed Zianrong's words" states a position
 * without a clause.
 */
export function clauseStart(tokens: Token[], v: number, k: number, to: number): number {
  if (k > to || (isPunct(tokens[k]) && !OPENING.has(tokens[k].value) && tokens[k].value !== '"') || tokens[k].pos === 'CCONJ') return -1;
  let infinitive = false;
  for (let m = k; m <= to; m++) {
    const x = tokens[m];
    if (x.value === ',' || x.value === ';') break;
    if (x.pos !== 'VERB' && x.pos !== 'AUX') continue;
    if (tokens[m - 1]?.lower === 'to') {
      // (a noun's infinitive, then the clause's own verb)
      if (m - 2 > k && inNounInfinitive(tokens, m)) {
        infinitive = true;
        continue;
      }
      return -1;
    }
    if (x.lower.endsWith('ing') && tokens[m - 1]?.pos !== 'AUX') continue;
    return k;
  }
  if (infinitive) return -1; // "declared the purpose of marriage to be …": no verb of its own
  if (tokens[k].pos === 'PUNCT' && tokens.slice(k, to + 1).some((x) => x.pos === 'VERB' || x.pos === 'AUX')) return k; // a quote
  return OBJECT_STATEMENT_VERBS.has(tokens[v].lemma) && ['DET', 'PROPN', 'NOUN', 'PRON'].includes(tokens[k].pos) ? k : -1;
}
