/** What a speaker said (/quote), and speaker suggestions for autocomplete. */
import type { Knowledge } from './build.js';
import type { QuoteView } from './types.js';
import { matchSpeaker } from './speakers.js';
import { editDistance, nameKey } from './text.js';

/**
 * The quotes of the speaker a user names (by name, alias, surname, typo or role), and the other
 * speakers the words also fit ("Hill": Dana Hill and Ray Hill), to offer; when the words fit
 * several equally, speaker is -1 and they are all in `others`.
 */
export function quotesOf(k: Knowledge, speakerQuery: string): { speaker: number; quotes: QuoteView[]; others: number[] } {
  const { speaker: s, others } = matchSpeaker(k.speakers, speakerQuery);
  if (s < 0) return { speaker: -1, quotes: [], others };
  const quotes = k.speakers[s].quotes.map((qi) => {
    const q = k.quotes[qi];
    const doc = k.documents[q.doc];
    const para = doc.paragraphs[q.paragraph];
    const sentence = para.sentences[q.sentence];
    const last = para.sentences.find((x) => x.end >= q.end) ?? sentence;
    return {
      text: doc.text.slice(q.start, q.end),
      passage: doc.text.slice(sentence.start, Math.max(sentence.end, last.end)),
      kind: q.kind,
      document: doc.name,
      section: para.section >= 0 ? doc.sections[para.section] : null,
      paragraph: para.number,
    };
  });
  return { speaker: s, quotes, others };
}

/** Speakers whose name or alias starts with or contains `prefix` (autocomplete). */
export function suggestSpeakers(k: Knowledge, prefix: string, limit = 25): number[] {
  const p = nameKey(prefix);
  const scored = k.speakers.map((s, i) => {
    const keys = [s.name, ...s.aliases].map(nameKey);
    let score = 0;
    if (!p) score = 1 + s.quotes.length / 1000;
    else if (keys.some((key) => key.startsWith(p))) score = 3;
    else if (keys.some((key) => key.split(' ').some((w) => w.startsWith(p)))) score = 2;
    else if (keys.some((key) => key.includes(p))) score = 1.5;
    else if (p.length >= 3 && keys.some((key) => key.split(' ').some((w) => editDistance(p, w.slice(0, p.length + 1), 1) <= 1))) score = 1;
    return { i, score: score + s.quotes.length / 1e4 };
  });
  return scored
    .filter((s) => s.score >= 1)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((s) => s.i);
}
