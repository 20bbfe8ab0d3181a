/**
 * The news dev set (test/fixtures/news-dev: 12 articles, questions labelled before the engine
 * was run on them), split by article: questions about the "fit" articles join the SQuAD fit part
 * in `npm run fit`; questions about the others are only measured. The knowledge is always the
 * whole folder, as a server holding many articles would have it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import type { AskCase, EvalSet } from './eval-set.js';

export const NEWS_DEV_DIR = join(PACKAGE_ROOT, 'test', 'fixtures', 'news-dev', 'articles');
export const NEWS_DEV_QUESTIONS = join(PACKAGE_ROOT, 'test', 'fixtures', 'news-dev', 'questions.json');

/** The articles whose questions are fitted on (half the Brown texts, half the wire stories). */
export const NEWS_FIT_ARTICLES = new Set(['brown-ca30', 'brown-ca32', 'brown-ca33', 'brown-ca37', 'japan-us-farm-trade', 'philippines-dengue-epidemic']);

export type NewsPart = 'fit' | 'measure' | 'all';

/** The ask and quote cases of one part. */
export function newsDevCases(part: NewsPart): EvalSet {
  const set = JSON.parse(readFileSync(NEWS_DEV_QUESTIONS, 'utf8')) as { ask: Array<AskCase & { doc?: string }>; quote?: EvalSet['quote'] };
  const inPart = (doc: string | undefined) => part === 'all' || (part === 'fit') === NEWS_FIT_ARTICLES.has(doc ?? '');
  return { ask: set.ask.filter((c) => inPart(c.doc)), quote: part === 'fit' ? [] : set.quote };
}
