/**
 * The SQuAD 2.0 tuning data (../shared/datasets/squad2-dev-tune.json.gz: 18 Wikipedia articles,
 * half of SQuAD 2.0 dev, CC BY-SA 4.0) as knowledge files and questions, split by article into
 * the part the ranking is fitted on and the part it is only measured on.
 *
 * The split is fixed: articles sorted by title, every other one (0, 2, 4, ...) is "fit", the
 * rest "measure". Nothing in the engine is tuned on the measure part.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SourceDoc } from '../src/engine/index.js';
import { PACKAGE_ROOT } from '../src/paths.js';

export const SQUAD_FILE = join(PACKAGE_ROOT, '..', 'shared', 'datasets', 'squad2-dev-tune.json.gz');

export interface SquadQuestion {
  q: string;
  /** Gold answer texts; empty for a question the article does not answer. */
  answers: string[];
  /** Index of the paragraph it was written for. */
  paragraph: number;
}

export interface SquadArticle {
  title: string;
  /** The article as one knowledge file: title line, blank-line separated paragraphs. */
  source: SourceDoc;
  paragraphs: string[];
  questions: SquadQuestion[];
}

interface RawSquad {
  data: Array<{
    title: string;
    paragraphs: Array<{ context: string; qas: Array<{ question: string; is_impossible?: boolean; answers: Array<{ text: string }> }> }>;
  }>;
}

export type SquadPart = 'fit' | 'measure' | 'all';

export function squadAvailable(file = SQUAD_FILE): boolean {
  return existsSync(file);
}

/** The articles of one part of the split (or all of them). */
export function loadSquad(part: SquadPart, file = SQUAD_FILE): SquadArticle[] {
  const raw = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as RawSquad;
  const articles = [...raw.data].sort((a, b) => (a.title < b.title ? -1 : 1));
  return articles
    .filter((_, i) => part === 'all' || (part === 'fit') === (i % 2 === 0))
    .map((a) => {
      const title = a.title.replace(/_/g, ' ');
      const paragraphs = a.paragraphs.map((p) => p.context.replace(/\s+/g, ' ').trim());
      return {
        title,
        source: { name: `${a.title}.txt`, text: `${title}\n\n${paragraphs.join('\n\n')}\n` },
        paragraphs,
        questions: a.paragraphs.flatMap((p, paragraph) =>
          p.qas.map((qa) => ({ q: qa.question, answers: qa.is_impossible ? [] : [...new Set(qa.answers.map((x) => x.text))], paragraph })),
        ),
      };
    });
}

/**
 * An article cut into short articles of `size` paragraphs, each with its own questions: knowledge
 * the size of one news story (a dozen paragraphs), where IDF has little to count on.
 */
export function shortArticles(article: SquadArticle, size: number): SquadArticle[] {
  const out: SquadArticle[] = [];
  for (let from = 0; from < article.paragraphs.length; from += size) {
    const paragraphs = article.paragraphs.slice(from, from + size);
    out.push({
      title: `${article.title} ${from / size + 1}`,
      source: { name: `${article.source.name.replace(/\.txt$/, '')}-${from / size + 1}.txt`, text: `${article.title}\n\n${paragraphs.join('\n\n')}\n` },
      paragraphs,
      questions: article.questions.filter((q) => q.paragraph >= from && q.paragraph < from + size).map((q) => ({ ...q, paragraph: q.paragraph - from })),
    });
  }
  return out;
}
