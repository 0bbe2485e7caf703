/**
 * A knowledge-base hit's relevance on a 0..1 scale that means the same in every search: BM25 scores
 * grow with the query's length and the corpus, so a fixed threshold on them is meaningless. Two
 * features that do not depend on either feed a logistic model:
 *
 * - coverage: the share of the query's terms, weighted by rarity (idf), that the article contains;
 * - margin: how far the hit's BM25 score stands above the next hit's (0 when tied, 1 when alone).
 *
 * The weights are fitted by workers/ai/scripts/eval-kb-retrieval.ts (`--fit`) on the training folds
 * of the Bitext sample: the relevance is the fitted chance that the article is the right intent's.
 */

export interface TermWeights {
  idf: ReadonlyMap<string, number>;
  /** The weight of a term no article has (the rarest possible). */
  unknown: number;
}

export interface RelevanceModel {
  bias: number;
  coverage: number;
  margin: number;
}

/** Logistic weights; see the module comment and docs/ai.md for how they were fitted. */
export const relevanceModel: RelevanceModel = { bias: -3.38, coverage: 5.64, margin: 1.53 };

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
  margin: number;
}

export function relevanceFeatures(
  query: ReadonlySet<string>,
  article: ReadonlySet<string>,
  weights: TermWeights,
  scores: { score: number; next: number },
): RelevanceFeatures {
  let total = 0;
  let covered = 0;
  for (const term of query) {
    const weight = weights.idf.get(term) ?? weights.unknown;
    total += weight;
    if (article.has(term)) covered += weight;
  }
  const coverage = total > 0 ? covered / total : 0;
  const margin = scores.score > 0 ? Math.max(0, Math.min(1, (scores.score - scores.next) / scores.score)) : 0;
  return { coverage, margin };
}

export function logistic(features: RelevanceFeatures, model: RelevanceModel = relevanceModel): number {
  const z = model.bias + model.coverage * features.coverage + model.margin * features.margin;
  return 1 / (1 + Math.exp(-z));
}

/** 0..1, rounded to 3 decimals. */
export function relevanceOf(
  query: ReadonlySet<string>,
  article: ReadonlySet<string>,
  weights: TermWeights,
  scores: { score: number; next: number },
): number {
  return Math.round(logistic(relevanceFeatures(query, article, weights, scores)) * 1000) / 1000;
}
