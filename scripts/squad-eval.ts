/**
 * The engine on SQuAD 2.0 tuning articles, each article its own knowledge: right passage first
 * (the top-ranked passage contains a gold answer, whatever its probability or the abstain rules), answered and
 * abstained shares at the shipped threshold, mean passage length, and the curve of answered
 * (answerable) vs abstained (unanswerable) at several thresholds.
 */
import { pct } from './eval-set.js';
import { buildKnowledge, DEFAULT_THRESHOLD, NO_ABSTAIN_RULES, passageOf, scoreCandidates, shownCandidate, type AnswerOptions } from '../src/engine/index.js';
import { loadSquad, type SquadPart } from './squad.js';
import { peerSearchers } from './peers.js';

export interface SquadReport {
  part: SquadPart;
  articles: number;
  answerable: number;
  unanswerable: number;
  /** Top passage contains a gold answer (answerable questions; threshold ignored). */
  rightFirst: number;
  /** Answered at the threshold, and answered right. */
  answered: number;
  answeredRight: number;
  /** Unanswerable questions with no answer at the threshold. */
  abstained: number;
  meanPassageChars: number;
  /** [threshold, answered share of answerable, abstained share of unanswerable, right share of answerable]. */
  curve: Array<[number, number, number, number]>;
  /** Probability that a random answerable question scores above a random unanswerable one. */
  auc: number;
}

export function evaluateSquad(part: SquadPart, opts: AnswerOptions = {}, limitQuestions = Infinity): SquadReport {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const articles = loadSquad(part);
  const yes: Array<[number, boolean]> = []; // answerable: probability, right
  const no: number[] = [];
  let chars = 0;
  let passages = 0;
  for (const article of articles) {
    const k = buildKnowledge([article.source]);
    for (const q of article.questions.slice(0, limitQuestions)) {
      const scored = scoreCandidates(k, q.q, opts);
      // The ranking alone: when a question-level rule abstains, its top passage all the same.
      const ranked = scored ?? scoreCandidates(k, q.q, { ...opts, rules: NO_ABSTAIN_RULES });
      const best = ranked?.[0];
      // (a rule's abstention is below every threshold)
      const probability = scored?.[0] ? scored[0].probability : -1;
      if (!q.answers.length) {
        no.push(probability);
        continue;
      }
      const text = best ? passageOf(k, shownCandidate(k, ranked!)).text : '';
      if (best) {
        chars += text.length;
        passages++;
      }
      yes.push([probability, !!best && q.answers.some((a) => text.includes(a))]);
    }
  }
  const share = (n: number, d: number) => (d ? n / d : 0);
  const curve: SquadReport['curve'] = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7].map((t) => [
    t,
    share(yes.filter(([p]) => p >= t).length, yes.length),
    share(no.filter((p) => p < t).length, no.length),
    share(yes.filter(([p, right]) => p >= t && right).length, yes.length),
  ]);
  let wins = 0;
  const sortedNo = [...no].sort((a, b) => a - b);
  for (const [p] of yes) {
    let lo = 0;
    let hi = sortedNo.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sortedNo[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    let ties = lo;
    while (ties < sortedNo.length && sortedNo[ties] === p) ties++;
    wins += lo + (ties - lo) / 2;
  }
  return {
    part,
    articles: articles.length,
    answerable: yes.length,
    unanswerable: no.length,
    rightFirst: yes.filter(([, r]) => r).length,
    answered: yes.filter(([p]) => p >= threshold).length,
    answeredRight: yes.filter(([p, r]) => p >= threshold && r).length,
    abstained: no.filter((p) => p < threshold).length,
    meanPassageChars: passages ? chars / passages : 0,
    curve,
    auc: yes.length && no.length ? wins / (yes.length * no.length) : 0,
  };
}

export function formatSquadReport(r: SquadReport): string {
  return [
    `squad ${r.part} part: ${r.articles} articles, ${r.answerable} answerable + ${r.unanswerable} unanswerable questions, each article its own knowledge`,
    `  right passage first (answerable)   ${pct(r.rightFirst, r.answerable)}`,
    `  answered (answerable)              ${pct(r.answered, r.answerable)}   (right when answered ${pct(r.answeredRight, r.answered)})`,
    `  abstained (unanswerable)           ${pct(r.abstained, r.unanswerable)}`,
    `  mean passage chars                 ${r.meanPassageChars.toFixed(0)}`,
    `  AUC answerable vs unanswerable     ${r.auc.toFixed(3)}`,
    `  threshold  answered  abstained  right`,
    ...r.curve.map(([t, a, b, c]) => `  ${t.toFixed(2).padStart(9)}  ${pct(a).padStart(8)}  ${pct(b).padStart(9)}  ${pct(c).padStart(5)}`),
  ].join('\n');
}

/** The peers over the same sentences (our sentence split), each article its own index. */
export function evaluateSquadPeers(part: SquadPart): Record<'wink-bm25-text-search' | 'minisearch', { rightFirst: number; answerable: number; meanPassageChars: number }> {
  const out = {
    'wink-bm25-text-search': { rightFirst: 0, answerable: 0, meanPassageChars: 0 },
    minisearch: { rightFirst: 0, answerable: 0, meanPassageChars: 0 },
  };
  for (const article of loadSquad(part)) {
    const k = buildKnowledge([article.source]);
    const sentences = k.documents.flatMap((d) => d.paragraphs.flatMap((p) => p.sentences.map((s) => d.text.slice(s.start, s.end))));
    const peers = peerSearchers(sentences);
    for (const q of article.questions) {
      if (!q.answers.length) continue;
      for (const [name, search] of Object.entries(peers) as Array<[keyof typeof out, (q: string) => number]>) {
        const top = search(q.q);
        const text = top >= 0 ? sentences[top] : '';
        out[name].answerable++;
        out[name].meanPassageChars += text.length;
        if (top >= 0 && q.answers.some((a) => text.includes(a))) out[name].rightFirst++;
      }
    }
  }
  for (const r of Object.values(out)) r.meanPassageChars /= r.answerable || 1;
  return out;
}
