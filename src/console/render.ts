/** Replies as console text, built on the text renderers in ./text.ts (shared with the CLI). */
import { describeRefusal } from '../knowledge/loader.js';
import type { Reply, ShardKnowledge } from '../app/replies.js';
import { renderAnswerText, renderNoAnswerText, renderQuotesText, renderUnknownSpeakerText } from './text.js';

export const HELP_TEXT = `Commands (the same as on Discord):
  /ask <question>             the passage that answers, verbatim, and who said it
  <question>                  the same as /ask
  /more                       the next best passages for the last question
  /quote <speaker>            what someone said, and where
  /knowledge status           version, documents, speakers, who loaded it and when
  /knowledge reload           re-read the knowledge folder
  /knowledge upload <path>    add or replace an article from a local .md/.txt file
  /knowledge rollback         restore the version before the last upload
  /help                       this list
  /quit                       leave (or end the input)`;

/** The first `max` items, then how many more there are. */
function listSome(items: string[], max: number): string {
  return items.slice(0, max).join('; ') + (items.length > max ? ` and ${items.length - max} more` : '');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function shardText(s: ShardKnowledge): string {
  const name = s.shard === 'console' ? 'console' : `shard ${s.shard}`;
  if (!s.status) return `${name}: unavailable${s.error ? ` (${s.error})` : ''}`;
  const st = s.status;
  const lines = [
    `${name}: version ${st.version}`,
    `  ${plural(st.documents, 'document')}, ${plural(st.paragraphs, 'paragraph')}, ${plural(st.speakers, 'speaker')}, ${plural(st.quotes, 'quote')}`,
    `  loaded ${st.loadedAt} by ${st.loadedBy}`,
    `  history: ${plural(st.history, 'earlier version')}`,
  ];
  for (const r of st.refused) lines.push(`  refused ${describeRefusal(r)}`);
  return lines.join('\n');
}

export function renderReplyText(reply: Reply): string {
  switch (reply.kind) {
    case 'answer': {
      const passages = reply.answers.map((a, i) => (reply.firstRank > 1 ? `#${reply.firstRank + i} ` : '') + renderAnswerText(a));
      return passages.join('\n\n') + (reply.hasMore ? '\n(more passages: /more)' : '');
    }
    case 'no-answer':
      return `${renderNoAnswerText(reply.speakers.map((s) => s.name))}\nThe knowledge covers: ${listSome(reply.documents, 10) || 'nothing yet'}.`;
    case 'quotes':
      return renderQuotesText({ name: reply.speaker.name, role: reply.speaker.role, aliases: reply.speaker.aliases, quotes: [] }, reply.quotes);
    case 'unknown-speaker':
      if (!reply.query) return `Name someone to quote. People quoted: ${reply.speakers.join(', ') || 'nobody'}.`;
      return renderUnknownSpeakerText(reply.query, reply.suggestions) + (reply.suggestions.length ? '' : ` People quoted: ${reply.speakers.join(', ') || 'nobody'}.`);
    case 'knowledge-status':
      return `Knowledge status\n${reply.shards.map(shardText).join('\n')}`;
    case 'knowledge-refresh': {
      const { result } = reply;
      const lines = [`${result.action} ${result.ok ? 'done' : 'refused'}: ${result.message}`, `version ${result.before} -> ${result.after}`];
      for (const r of result.refused) lines.push(`refused ${describeRefusal(r)}`);
      if (reply.shards.length > 1) lines.push(...reply.shards.map(shardText));
      return lines.join('\n');
    }
    case 'notice':
      return reply.text;
  }
}
