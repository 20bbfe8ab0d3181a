/** Answers and quotes as plain text: for the console (./render.ts) and the CLI's readable mode. */
import { attributionText, speakerLabel, whereText } from '../app/wording.js';
import type { Answer, QuoteView, Speaker } from '../engine/index.js';

export function renderAnswerText(a: Answer): string {
  return `> ${a.passage}\n${attributionText(a.speaker, a.role)}\n(${whereText(a)} · score ${a.score.toFixed(2)})`;
}

export function renderNoAnswerText(speakers: string[]): string {
  const who = speakers.length ? ` People quoted: ${speakers.slice(0, 10).join(', ')}${speakers.length > 10 ? ` and ${speakers.length - 10} more` : ''}.` : '';
  return `The article does not answer that with confidence.${who} Try naming a person, place or event it covers.`;
}

export function renderQuotesText(speaker: Speaker, quotes: QuoteView[]): string {
  const head = `${speakerLabel(speaker.name, speaker.role)} — ${quotes.length} quote(s)`;
  const lines = quotes.map((q, i) => `${i + 1}. ${q.kind === 'direct' ? `“${q.text}”` : q.text}\n   (${whereText(q)})`);
  return [head, ...lines].join('\n');
}

export function renderUnknownSpeakerText(query: string, suggestions: string[]): string {
  return `No one called “${query}” is quoted in the knowledge.${suggestions.length ? ` Did you mean: ${suggestions.join(', ')}?` : ''}`;
}
