/**
 * A knowledge-base hit's relevance on a 0..1 scale that means the same in every search: BM25 scores
 * grow with the query's length and the corpus, so a fixed threshold on them is meaningless. Features
 * that do not depend on either feed a logistic model:
 *
 * - coverage: the share of the query's content words, weighted by how specific they are, that the
 *   article contains. A word's weight is its rarity in the articles (idf), times `genericWeight` for
 *   words that name no topic (good, recommend, help, need …): in a small knowledge base "good" is
 *   rare, yet "can you recommend a good pizza recipe" is not about an article that says "good";
 * - title: the same share, covered by the article's title and tags only (what it is about, not a
 *   word its body happens to use: "show me the date" is not about the warranty article's "date");
 * - specific: 1 when the article covers at least one specific (not generic) word of the question;
 * - matched: how many specific words it covers, up to 3 (as 0..1);
 * - unknown: the weighted share of the question that no article has a word for ("pizza", "recipe"):
 *   a question about something the knowledge base never mentions;
 * - margin: how far the hit's BM25 score stands above the next hit's (0 when tied, 1 when alone).
 *
 * The weights are fitted by workers/ai/scripts/eval-kb-retrieval.ts on the training folds of the
 * Bitext sample, with questions the articles do not cover (other CLINC150 domains and its
 * out-of-scope queries, train split) as negatives: the relevance is the fitted chance that the
 * article is the right one.
 */
import { stem } from '../text';

export interface TermWeights {
  idf: ReadonlyMap<string, number>;
  /** The weight of a term no article has (the rarest possible). */
  unknown: number;
}

export interface RelevanceModel {
  bias: number;
  coverage: number;
  title: number;
  specific: number;
  matched: number;
  unknown: number;
  margin: number;
}

/**
 * Words that ask, qualify or are polite but name no topic. Written from general English, not from
 * the evaluation's questions; each counts `genericWeight` of its idf in the coverage.
 */
export const genericWords: ReadonlySet<string> = new Set(
  (
    'good great best better nice bad fine okay recommend recommendation suggest suggestion advice advise idea ' +
    'help need want like love wish know tell show explain find give make let think look see use try go come ' +
    'say call talk read start set change check request send take keep put work enjoy appreciate remember ' +
    'not never correct different another current definitely' +
    'way thing something anything everything stuff kind sort lot much many more most few ' +
    'new old one two first last next time today tomorrow yesterday day week year soon ' +
    ' thank thanks sure yes no maybe right wrong possible able question ask answer info information'
  )
    .split(' ')
    .map(stem),
);
export const genericWeight = 0.15;

/** Logistic weights; see the module comment and docs/ai.md for how they were fitted. */
export const relevanceModel: RelevanceModel = {
  bias: -5.18,
  coverage: -1.01,
  title: 3.1,
  specific: 1.04,
  matched: 5.66,
  unknown: -0.41,
  margin: 1.25,
};

export function termWeights(documents: readonly ReadonlySet<string>[]): TermWeights {
  const counts = new Map<string, number>();
  for (const terms of documents) for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const n = documents.length;
  const idf = new Map<string, number>();
  for (const [term, count] of counts) idf.set(term, Math.log(1 + n / count));
  return { idf, unknown: Math.log(1 + n) };
}

export interface RelevanceFeatures {
  coverage: number;
  title: number;
  specific: number;
  matched: number;
  unknown: number;
  margin: number;
}

export function relevanceFeatures(
  query: ReadonlySet<string>,
  article: ReadonlySet<string>,
  weights: TermWeights,
  scores: { score: number; next: number },
  titleTerms: ReadonlySet<string> = article,
): RelevanceFeatures {
  let total = 0;
  let covered = 0;
  let inTitle = 0;
  let matched = 0;
  let unknown = 0;
  for (const term of query) {
    const generic = genericWords.has(term);
    const idf = weights.idf.get(term);
    const weight = (idf ?? weights.unknown) * (generic ? genericWeight : 1);
    total += weight;
    if (idf === undefined) unknown += weight;
    if (titleTerms.has(term)) inTitle += weight;
    if (!article.has(term)) continue;
    covered += weight;
    if (!generic) matched += 1;
  }
  const coverage = total > 0 ? covered / total : 0;
  const margin = scores.score > 0 ? Math.max(0, Math.min(1, (scores.score - scores.next) / scores.score)) : 0;
  return {
    coverage,
    title: total > 0 ? inTitle / total : 0,
    specific: matched > 0 ? 1 : 0,
    matched: Math.min(matched, 3) / 3,
    unknown: total > 0 ? unknown / total : 0,
    margin,
  };
}

export function logistic(features: RelevanceFeatures, model: RelevanceModel = relevanceModel): number {
  const z =
    model.bias +
    model.coverage * features.coverage +
    model.title * features.title +
    model.specific * features.specific +
    model.matched * features.matched +
    model.unknown * features.unknown +
    model.margin * features.margin;
  return 1 / (1 + Math.exp(-z));
}

/** 0..1, rounded to 3 decimals. */
export function relevanceOf(
  query: ReadonlySet<string>,
  article: ReadonlySet<string>,
  weights: TermWeights,
  scores: { score: number; next: number },
  titleTerms: ReadonlySet<string> = article,
): number {
  return Math.round(logistic(relevanceFeatures(query, article, weights, scores, titleTerms)) * 1000) / 1000;
}
