/**
 * One speaker per person: merges the names attribution found (full name, surname, misspelt
 * surname, collective members) and front-matter aliases into speakers, and finds a speaker
 * from what a user types.
 */
import type { Speaker } from './types.js';
import type { Mention } from './attribute.js';
import { ROLE_NOUNS } from './lexicon.js';
import { editDistance, fold, nameKey, typoBudget } from './text.js';

const words = (key: string) => key.split(' ').filter(Boolean);

interface Draft {
  name: string;
  role: string | null;
  aliases: Set<string>;
}

/**
 * Builds speakers from mentions in reading order. Returns the speakers and, for each mention,
 * the index of its speaker.
 */
export function mergeSpeakers(
  mentions: Mention[],
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

  const draftFor = (name: string): number => {
    let key = nameKey(name);
    key = aliasOwner.get(key) ?? key;
    const known = byKey.get(key);
    if (known !== undefined) return known;
    const parts = words(key);
    if (parts.length === 1) {
      // A single word that is part of exactly one known multi-word name, or a typo of its surname.
      let owners = wordOwners.get(key);
      if (!owners && key.length >= 5) {
        owners = new Set();
        for (const [surname, ids] of surnames) {
          if (Math.abs(surname.length - key.length) <= 1 && editDistance(key, surname, 1) <= 1) ids.forEach((i) => owners!.add(i));
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
    drafts.push({ name, role: null, aliases: new Set() });
    byKey.set(key, i);
    if (parts.length > 1) {
      parts.forEach((w) => addTo(wordOwners, w, i));
      addTo(surnames, parts[parts.length - 1], i);
    }
    return i;
  };

  // Multi-word names first, so that surnames found later (or earlier) attach to them.
  const ordered = [...mentions].sort((a, b) => words(nameKey(b.name)).length - words(nameKey(a.name)).length);
  for (const m of ordered) draftFor(m.name);

  const speakerOf = mentions.map((m) => {
    const i = draftFor(m.name);
    const d = drafts[i];
    if (nameKey(m.name) !== nameKey(d.name)) d.aliases.add(m.name);
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
  const ws = fold(role).split(' ');
  const out: string[] = [];
  ws.forEach((w, i) => {
    if (!ROLE_NOUNS.has(w)) return;
    out.push(`the ${w}`);
    if (i > 0 && /^[a-z]+$/.test(ws[i - 1]) && !ws[i - 1].endsWith("'s")) out.push(`the ${ws[i - 1]} ${w}`);
  });
  return out;
}

/**
 * Every spelling that finds speaker `s`: name, aliases, their single words (surname), and the
 * role. Used for lookup and autocomplete.
 */
export function speakerKeys(s: Speaker): string[] {
  return [s.name, ...s.aliases].map(nameKey);
}

/**
 * Finds the speaker a user means: exact name or alias, then a single word of a name (surname),
 * then (unless `fuzzy: false`) a typo within budget or a role phrase. Returns -1 when nothing
 * matches or the match is ambiguous.
 */
export function findSpeakerIndex(speakers: Speaker[], query: string, opts: { fuzzy?: boolean } = {}): number {
  const q = nameKey(query).replace(/^(?:mr|mrs|ms|dr)\.? /, '');
  if (!q) return -1;
  const unique = (hits: number[]) => (new Set(hits).size === 1 ? hits[0] : -1);
  const exact = speakers.flatMap((s, i) => (speakerKeys(s).includes(q) ? [i] : []));
  if (exact.length) return unique(exact);
  const qWords = words(q);
  const containing = speakers.flatMap((s, i) =>
    speakerKeys(s).some((k) => qWords.every((w) => words(k).includes(w))) ? [i] : [],
  );
  if (containing.length) return unique(containing);
  if (opts.fuzzy === false) return -1;
  const budget = typoBudget(q.replace(/ /g, ''));
  const fuzzy = speakers.flatMap((s, i) =>
    speakerKeys(s).some((k) => editDistance(q, k, budget) <= budget || words(k).some((w) => w.length >= 4 && editDistance(q, w, 1) <= 1))
      ? [i]
      : [],
  );
  if (fuzzy.length) return unique(fuzzy);
  // A role phrase ("the spokesman") names a speaker; a place in a role ("China") does not.
  if (!qWords.some((w) => ROLE_NOUNS.has(w))) return -1;
  const byRole = speakers.flatMap((s, i) => (s.role && qWords.every((w) => w === 'the' || fold(s.role!).split(/\W+/).includes(w)) ? [i] : []));
  return unique(byRole);
}
