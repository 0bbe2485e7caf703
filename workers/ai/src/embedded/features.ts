/**
 * The embedded classifier's features: each text becomes four bags (stemmed word unigrams with negation
 * marks, word bigrams, character trigrams, support-domain concepts), weighed as TF-IDF vectors and
 * compared by a weighted mean of the channel cosines.
 */
import { clauses, concepts, normalizeText, stopwords, tokenize, words, type Token } from '../text';

export type Channel = 'words' | 'bigrams' | 'chars' | 'concepts';
export const channels: readonly Channel[] = ['words', 'bigrams', 'chars', 'concepts'];
const channelWeight: Record<Channel, number> = { words: 0.4, bigrams: 0.15, chars: 0.15, concepts: 0.3 };
/** Function words count, a little. */
const stopWeight = 0.3;

export type Counts = Map<string, number>;
export type Features = Record<Channel, Counts>;
export type Vector = Map<string, number>;
export type Vectors = Record<Channel, Vector>;

function add(counts: Counts, key: string, weight = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + weight);
}

function termOf(token: Token): string {
  return token.negated ? `¬${token.stem}` : token.stem;
}

export function featuresOf(text: string): Features {
  const tokens = tokenize(text);
  const features: Features = { words: new Map(), bigrams: new Map(), chars: new Map(), concepts: new Map() };
  tokens.forEach((token, index) => {
    add(features.words, termOf(token), token.stop ? stopWeight : 1);
    const next = tokens[index + 1];
    if (next && !(token.stop && next.stop)) add(features.bigrams, `${termOf(token)} ${termOf(next)}`);
  });
  for (const clause of clauses(normalizeText(text))) {
    for (const word of words(clause)) {
      const padded = `_${word}_`;
      const weight = stopwords.has(word) ? stopWeight : 1;
      for (let i = 0; i + 3 <= padded.length; i += 1) add(features.chars, padded.slice(i, i + 3), weight);
    }
  }
  for (const concept of concepts(tokens)) add(features.concepts, concept);
  return features;
}

export function sublinear(tf: number): number {
  return tf >= 1 ? 1 + Math.log(tf) : tf;
}

export function normalize(vector: Vector): Vector {
  let norm = 0;
  for (const value of vector.values()) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm === 0) return vector;
  for (const [key, value] of vector) vector.set(key, value / norm);
  return vector;
}

function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [key, value] of small) {
    const other = large.get(key);
    if (other !== undefined) sum += value * other;
  }
  return sum;
}

/** Weighted mean of the channel cosines, over the channels that either side has anything in. */
export function similarity(a: Vectors, b: Vectors): number {
  let sum = 0;
  let weights = 0;
  for (const channel of channels) {
    if (a[channel].size === 0 && b[channel].size === 0) continue;
    weights += channelWeight[channel];
    sum += channelWeight[channel] * dot(a[channel], b[channel]);
  }
  return weights === 0 ? 0 : sum / weights;
}
