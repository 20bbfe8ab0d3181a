/**
 * One speaker per person: merges the names attribution found (full name, surname, misspelt
 * surname, collective members) and front-matter aliases into speakers, and finds a speaker
 * from what a user types.
 */
import type { Speaker } from './types.js';
import type { Mention } from './attribution/index.js';
import { expandTitle, ORGANISATION_HEADS, ROLE_NOUNS, SPEAKER_BODIES, TITLE_WORDS } from './lexicon.js';
import { editDistance, fold, letterMask, lettersApart, nameKey, typoBudget } from './text.js';

const words = (key: string) => key.split(' ').filter(Boolean);

/** A word for a body or a role ("government", "office", "minister"), never a person's surname. */
const isBodyWord = (word: string) => SPEAKER_BODIES.has(word) || ORGANISATION_HEADS.has(word) || ROLE_NOUNS.has(word);

interface Draft {
  name: string;
  role: string | null;
  aliases: Set<string>;
  /** Documents that mention this speaker. */
  docs: Set<number>;
}

/**
 * Builds speakers from mentions in reading order. Returns the speakers and, for each mention,
 * the index of its speaker.
 */
export function mergeSpeakers(
  mentions: Array<Mention & { doc: number }>,
  frontMatterAliases: Record<string, string[]>,
): { speakers: Speaker[]; speakerOf: number[] } {
  const drafts: Draft[] = [];
  const byKey = new Map<string, number>();
  const aliasOwner = new Map<string, string>(); // alias key -> canonical key, from front matter
  for (const [name, list] of Object.entries(frontMatterAliases)) {
    for (const a of list) aliasOwner.set(nameKey(a), nameKey(name));
  }

  // Words of multi-word names -> the drafts they belong to, for surname lookups.
  const wordOwners = new Map<string, Set<number>>();
  const surnames = new Map<string, Set<number>>();
  const addTo = (map: Map<string, Set<number>>, k: string, i: number) => {
    if (!map.has(k)) map.set(k, new Set());
    map.get(k)!.add(i);
  };

  const draftFor = (name: string, doc: number): number => {
    const i = findDraft(name, doc);
    drafts[i].docs.add(doc);
    return i;
  };
  const findDraft = (name: string, doc: number): number => {
    let key = nameKey(name);
    key = aliasOwner.get(key) ?? key;
    const known = byKey.get(key);
    if (known !== undefined) return known;
    const parts = words(key);
    if (parts.length === 1) {
      // A single word that is part of exactly one known multi-word name, or a typo of its surname.
      // A surname joins its full name in any article; another word of a name ("John") only in the
      // article that names the person in full ("Pope John" is not "John Kennedy" of another story).
      let owners: Set<number> | undefined = surnames.get(key);
      if (!owners) {
        const local = [...(wordOwners.get(key) ?? [])].filter((i) => drafts[i].docs.has(doc));
        if (local.length) owners = new Set(local);
      }
      // A misspelt surname ("Zianrong") only within one article: across articles a near
      // surname is more likely someone else ("Wagner" is not "Hagner").
      if (!owners && key.length >= 5) {
        owners = new Set();
        for (const [surname, ids] of surnames) {
          if (Math.abs(surname.length - key.length) <= 1 && editDistance(key, surname, 1) <= 1) {
            ids.forEach((i) => drafts[i].docs.has(doc) && owners!.add(i));
          }
        }
      }
      if (owners?.size === 1) {
        const i = [...owners][0];
        byKey.set(key, i);
        drafts[i].aliases.add(name);
        return i;
      }
    }
    const i = drafts.length;
    drafts.push({ name, role: null, aliases: new Set(), docs: new Set([doc]) });
    byKey.set(key, i);
    if (parts.length > 1) {
      parts.forEach((w) => addTo(wordOwners, w, i));
      // A body's last word is no surname: "the government said" in another story is not "Peru's
      // government", nor "the office said" the "General Statistics Office" (within its own
      // article it still is, as any word of a name).
      const last = parts[parts.length - 1];
      if (!isBodyWord(last)) addTo(surnames, last, i);
    }
    return i;
  };

  // Multi-word names first, so that surnames found later (or earlier) attach to them.
  const ordered = [...mentions].sort((a, b) => words(nameKey(b.name)).length - words(nameKey(a.name)).length);
  for (const m of ordered) draftFor(m.name, m.doc);

  const speakerOf = mentions.map((m) => {
    const i = draftFor(m.name, m.doc);
    const d = drafts[i];
    if (nameKey(m.name) !== nameKey(d.name)) d.aliases.add(m.name);
    if (m.written) d.aliases.add(m.written);
    for (const member of m.members) {
      d.aliases.add(member);
      if (!byKey.has(nameKey(member))) byKey.set(nameKey(member), i);
    }
    if (m.members.length) d.aliases.add([m.name, ...m.members].join(' and '));
    if (!d.role && m.role) d.role = m.role;
    return i;
  });
  for (const [name, list] of Object.entries(frontMatterAliases)) {
    const i = byKey.get(nameKey(name));
    if (i !== undefined) list.forEach((a) => drafts[i].aliases.add(a));
  }

  // "the ambassador", "the foreign minister": role phrases that name exactly one speaker.
  const rolePhrases = new Map<string, Set<number>>();
  drafts.forEach((d, i) => {
    for (const phrase of rolePhrasesOf(d.role)) {
      if (!rolePhrases.has(phrase)) rolePhrases.set(phrase, new Set());
      rolePhrases.get(phrase)!.add(i);
    }
  });
  for (const [phrase, owners] of rolePhrases) {
    if (owners.size === 1) drafts[[...owners][0]].aliases.add(phrase);
  }

  const speakers: Speaker[] = drafts.map((d) => ({
    name: d.name,
    role: d.role,
    aliases: [...d.aliases].filter((a) => nameKey(a) !== nameKey(d.name)),
    quotes: [],
  }));
  speakerOf.forEach((s, q) => speakers[s].quotes.push(q));
  return { speakers, speakerOf };
}

/** "Beijing's ambassador to Ukraine" -> ["the ambassador"]; "Foreign Minister" -> ["the foreign minister", "the minister"]. */
function rolePhrasesOf(role: string | null): string[] {
  if (!role) return [];
  const ws = fold(role).split(' ').map(expandTitle);
  const out: string[] = [];
  ws.forEach((w, i) => {
    if (!ROLE_NOUNS.has(w)) return;
    out.push(`the ${w}`);
    if (i > 0 && /^[a-z]+$/.test(ws[i - 1]) && !ws[i - 1].endsWith("'s")) out.push(`the ${ws[i - 1]} ${w}`);
  });
  return out;
}

/**
 * Every spelling that finds speaker `s`: name and aliases, as name keys. Used for lookup and
 * autocomplete.
 */
function speakerKeys(s: Speaker): string[] {
  return [s.name, ...s.aliases].map(nameKey);
}

/** Lookup tables over a speaker list, built once per list (speakers do not change after a build). */
interface SpeakerLookup {
  /** Name key -> speakers. */
  exact: Map<string, Set<number>>;
  /** A word of a speaker's own name, or a whole one-word alias -> speakers. */
  byWord: Map<string, Set<number>>;
  /** Keys and their words by "length:letter" (first and second letter), with their letter masks, for typo matching. */
  keysByLength: Map<string, Array<[string, number, number]>>;
  roles: Array<string[] | null>;
}

const lookups = new WeakMap<Speaker[], SpeakerLookup>();
function lookupOf(speakers: Speaker[]): SpeakerLookup {
  let l = lookups.get(speakers);
  if (l) return l;
  l = { exact: new Map(), byWord: new Map(), keysByLength: new Map(), roles: [] };
  const add = <K>(map: Map<K, Set<number>>, k: K, i: number) => {
    if (!map.has(k)) map.set(k, new Set());
    map.get(k)!.add(i);
  };
  speakers.forEach((s, i) => {
    const nameWords = new Set(words(nameKey(s.name)));
    for (const key of speakerKeys(s)) {
      add(l!.exact, key, i);
      for (const w of new Set([key, ...words(key)])) {
        // Single words find a speaker through their own name ("Zhao", "Xianrong"), not through the
        // words of a longer alias ("Chinese" is not "Chinese Communist Party").
        if (nameWords.has(w) || w === key) add(l!.byWord, w, i);
        for (const letter of new Set([w[0], w[1]])) {
          const bucket = `${w.length}:${letter}`;
          if (!l!.keysByLength.has(bucket)) l!.keysByLength.set(bucket, []);
          l!.keysByLength.get(bucket)!.push([w, i, letterMask(w)]);
        }
      }
    }
    l!.roles.push(s.role ? fold(s.role).split(/\W+/).map(expandTitle) : null);
  });
  lookups.set(speakers, l);
  return l;
}

/** The speaker a user means, and the other speakers the same words could mean. */
export interface SpeakerMatch {
  /** Index of the speaker, or -1 when nothing matches or the words fit several equally. */
  speaker: number;
  /** Other speakers with those words in their names ("Hill": Dana Hill, Ray Hill), most quoted first. */
  others: number[];
}

/**
 * Finds the speaker a user means: a speaker whose own name is exactly the query wins (and the
 * others with that word in their names are offered: "Hill" when the list shows Hill, Dana Hill
 * and Ray Hill); then an alias; then a single word of a name (surname); then the name after a
 * title ("Justice Marchetti", "Mr. Smith"); then a role phrase; then (unless `fuzzy: false`) a
 * typo within budget. Several equally good matches give speaker -1 and all of them as `others`.
 */
export function matchSpeaker(speakers: Speaker[], query: string, opts: { fuzzy?: boolean } = {}): SpeakerMatch {
  const none: SpeakerMatch = { speaker: -1, others: [] };
  const q = nameKey(query);
  if (!q) return none;
  const l = lookupOf(speakers);
  const qWords = words(q);
  let containing = [...(l.byWord.get(qWords[0]) ?? [])];
  for (const w of qWords.slice(1)) containing = containing.filter((i) => l.byWord.get(w)?.has(i));
  const byQuotes = (a: number, b: number) => speakers[b].quotes.length - speakers[a].quotes.length;
  const pick = (hits: Iterable<number>): SpeakerMatch => {
    const set = [...new Set(hits)];
    if (set.length === 1) return { speaker: set[0], others: containing.filter((i) => i !== set[0]).sort(byQuotes) };
    return { speaker: -1, others: [...new Set([...set, ...containing])].sort(byQuotes) };
  };
  const exact = [...(l.exact.get(q) ?? [])];
  const own = exact.filter((i) => nameKey(speakers[i].name) === q);
  if (own.length === 1) return pick(own);
  if (exact.length) return pick(exact);
  // Every word of the query in one speaker's name or alias ("zhao", "Fan Xianrong").
  if (containing.length) return pick(containing);
  // A title before a name is not part of it ("Foreign Minister Wang", "Dr. Lee"), but among the
  // speakers of that name it picks the one it describes ("Congressman Martin").
  let title = qWords.length - 2;
  while (title >= 0 && !TITLE_WORDS.has(qWords[title])) title--;
  if (title >= 0) {
    const named = matchSpeaker(speakers, qWords.slice(title + 1).join(' '), opts);
    const titled = [named.speaker, ...named.others].filter((i) => i >= 0 && l.roles[i]?.includes(expandTitle(qWords[title])));
    if (titled.length === 1) return { speaker: titled[0], others: [named.speaker, ...named.others].filter((i) => i >= 0 && i !== titled[0]) };
    if (named.speaker >= 0) return named;
  }
  return { speaker: roleOrTypoMatch(l, q, qWords, opts), others: [] };
}

/**
 * Finds the speaker a user means (see `matchSpeaker`), or -1 when nothing matches or the match is
 * ambiguous.
 */
export function findSpeakerIndex(speakers: Speaker[], query: string, opts: { fuzzy?: boolean } = {}): number {
  return matchSpeaker(speakers, query, opts).speaker;
}

/** The last resorts of `matchSpeaker`: a role phrase, then a typo of the name; -1 when none or several. */
function roleOrTypoMatch(l: SpeakerLookup, q: string, qWords: string[], opts: { fuzzy?: boolean }): number {
  const unique = (hits: Iterable<number>) => {
    const set = new Set(hits);
    return set.size === 1 ? [...set][0] : -1;
  };
  // A role phrase ("the spokesman") names a speaker; a place in a role ("China") does not.
  if (qWords.some((w) => ROLE_NOUNS.has(w))) {
    return unique(l.roles.flatMap((role, i) => (role && qWords.every((w) => w === 'the' || role.includes(w)) ? [i] : [])));
  }
  if (opts.fuzzy === false) return -1;
  // A typo of the whole name, or of every one of its words, within the same speaker's names:
  // "Andrew Smal" is Andrew Small, but "Emmanuel Macron" is not "Macon Weaver".
  const near = (target: string, budget: number) => {
    const hits = new Set<number>();
    const mask = letterMask(target);
    for (let len = target.length - budget; len <= target.length + budget; len++) {
      for (const letter of new Set([target[0], target[1]])) {
        for (const [key, i, keyMask] of l.keysByLength.get(`${len}:${letter}`) ?? []) {
          if (lettersApart(mask, keyMask) > 2 * budget) continue;
          if ((key.length >= 4 || key === target) && editDistance(target, key, budget) <= budget) hits.add(i);
        }
      }
    }
    return hits;
  };
  const whole = near(q, typoBudget(q.replace(/ /g, '')));
  if (whole.size) return unique(whole);
  let candidates: number[] | null = null;
  for (const w of qWords) {
    const exactOwners = l.byWord.get(w);
    const owners = exactOwners ?? (w.length >= 4 ? near(w, 1) : new Set<number>());
    candidates = (candidates ?? [...owners]).filter((i) => owners.has(i));
    if (!candidates.length) return -1;
  }
  return candidates ? unique(candidates) : -1;
}
