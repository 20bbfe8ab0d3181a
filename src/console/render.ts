/**
 * Replies as plain text: the console's presenter, and the CLI's readable (non-JSON) mode. The
 * wording shared with Discord comes from src/app/wording.ts.
 */
import type { Reply, ShardKnowledge } from '../app/replies.js';
import { attributionText, COVERS_LABEL, NO_ANSWER_HINT, NO_ANSWER_TEXT, QUOTABLE_LABEL, speakerLabel, whereText } from '../app/wording.js';
import type { Answer, QuoteView } from '../engine/index.js';
import { describeRefusal } from '../knowledge/loader.js';

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

/** A line closed by a full stop, unless it already ends in one ("… F.A.O."). */
function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function answerText(a: Answer): string {
  return `> ${a.passage}\n${attributionText(a.speaker, a.role)}\n(${whereText(a)} · score ${a.score.toFixed(2)})`;
}

function quoteText(q: QuoteView, n: number): string {
  return `${n}. ${q.kind === 'direct' ? `“${q.text}”` : q.text}\n   (${whereText(q)})`;
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
      const passages = reply.answers.map((a, i) => (reply.firstRank > 1 ? `#${reply.firstRank + i} ` : '') + answerText(a));
      return passages.join('\n\n') + (reply.hasMore ? '\n(more passages: /more)' : '');
    }
    case 'no-answer': {
      const people = reply.speakers.map((s) => speakerLabel(s.name, s.role));
      return [
        NO_ANSWER_TEXT,
        sentence(`${COVERS_LABEL}: ${listSome(reply.documents, 10) || 'nothing yet'}`),
        sentence(`${QUOTABLE_LABEL}: ${listSome(people, 10) || 'nobody'}`),
        NO_ANSWER_HINT,
      ].join('\n');
    }
    case 'quotes': {
      const head = `${speakerLabel(reply.speaker.name, reply.speaker.role)} — ${reply.total} quote(s)${reply.pageCount > 1 ? `, page ${reply.page + 1} of ${reply.pageCount}` : ''}`;
      return [head, ...reply.quotes.map((q, i) => quoteText(q, reply.firstNumber + i))].join('\n');
    }
    case 'unknown-speaker': {
      const everyone = sentence(`${QUOTABLE_LABEL}: ${reply.speakers.join(', ') || 'nobody'}`);
      if (!reply.query) return `Name someone to quote. ${everyone}`;
      const missing = `No one called “${reply.query}” is quoted in the knowledge.`;
      return reply.suggestions.length ? `${missing} Did you mean: ${reply.suggestions.join(', ')}?` : `${missing} ${everyone}`;
    }
    case 'knowledge-status':
      return `Knowledge status\n${reply.shards.map(shardText).join('\n')}${reply.scope ? `\nknowledge: ${reply.scope}` : ''}`;
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
