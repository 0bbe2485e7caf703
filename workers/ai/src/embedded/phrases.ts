/**
 * Intents from the journey's example phrases (and the agents' corrections as further examples): the
 * similarity to an intent combines the cosine to the closest example with the cosine to the intent's
 * centroid. Confidence is the softmax share of the best intent, scaled by how similar the text is to
 * it at all, so an unrelated message gets a low confidence (and the journey's fallback) rather than a guess.
 */
import type { IntentExamples } from '../provider';
import { normalizeText, words } from '../text';
import {
  channels,
  featuresOf,
  normalize,
  similarity,
  sublinear,
  type Channel,
  type Features,
  type Vectors,
} from './features';

interface IntentModel {
  name: string;
  examples: { text: string; vectors: Vectors; correction: boolean }[];
  centroid: Vectors;
}

export interface Model {
  idf: Record<Channel, Map<string, number>>;
  intents: IntentModel[];
}

export function buildModel(intents: readonly IntentExamples[]): Model {
  const documents: { intent: number; text: string; features: Features; correction: boolean }[] = [];
  intents.forEach((intent, index) => {
    for (const example of intent.examples)
      documents.push({ intent: index, text: example, features: featuresOf(example), correction: false });
    for (const example of intent.corrections ?? [])
      documents.push({ intent: index, text: example, features: featuresOf(example), correction: true });
  });
  const idf = {} as Record<Channel, Map<string, number>>;
  for (const channel of channels) {
    const df = new Map<string, number>();
    for (const document of documents)
      for (const key of document.features[channel].keys()) df.set(key, (df.get(key) ?? 0) + 1);
    const weights = new Map<string, number>();
    for (const [key, count] of df) weights.set(key, Math.log((1 + documents.length) / (1 + count)) + 1);
    idf[channel] = weights;
  }
  const model: Model = {
    idf,
    intents: intents.map((intent) => ({ name: intent.name, examples: [], centroid: emptyVectors() })),
  };
  for (const document of documents) {
    const vectors = vectorize(model, document.features);
    const intent = model.intents[document.intent] as IntentModel;
    intent.examples.push({ text: document.text, vectors, correction: document.correction });
    for (const channel of channels)
      for (const [key, value] of vectors[channel])
        intent.centroid[channel].set(key, (intent.centroid[channel].get(key) ?? 0) + value);
  }
  for (const intent of model.intents) for (const channel of channels) normalize(intent.centroid[channel]);
  return model;
}

function emptyVectors(): Vectors {
  return { words: new Map(), bigrams: new Map(), chars: new Map(), concepts: new Map() };
}

/** TF-IDF, unit length per channel. A term no example has weighs as a common one: it dilutes, without swamping. */
function vectorize(model: Model, features: Features): Vectors {
  const vectors = emptyVectors();
  for (const channel of channels) {
    const idf = model.idf[channel];
    for (const [key, tf] of features[channel]) vectors[channel].set(key, sublinear(tf) * (idf.get(key) ?? 1));
    normalize(vectors[channel]);
  }
  return vectors;
}

/** How close a text is to an intent: its closest example, tempered by the intent as a whole. */
const exampleShare = 0.7;
/** Softmax temperature over intent scores. */
const temperature = 0.08;
/** Below `floor` a text resembles the intent in nothing; from `floor + span` on it resembles it fully. */
const relevanceFloor = 0.06;
const relevanceSpan = 0.3;

export interface Scored {
  name: string;
  score: number;
  closest: string;
  closestSimilarity: number;
  /** The closest of the agents' corrections to this intent, if any. */
  correction?: { text: string; similarity: number };
}

function scoreIntents(model: Model, text: string): Scored[] {
  const vectors = vectorize(model, featuresOf(text));
  return model.intents.map((intent) => {
    let best = 0;
    let closest = intent.examples[0]?.text ?? '';
    let correction: Scored['correction'];
    for (const example of intent.examples) {
      const value = similarity(vectors, example.vectors);
      if (value > best) {
        best = value;
        closest = example.text;
      }
      if (example.correction && value > (correction?.similarity ?? 0))
        correction = { text: example.text, similarity: value };
    }
    const score = exampleShare * best + (1 - exampleShare) * similarity(vectors, intent.centroid);
    return { name: intent.name, score, closest, closestSimilarity: best, ...(correction && { correction }) };
  });
}

export interface PhraseClassification {
  intent: string | null;
  confidence: number;
  ranking: Scored[];
  reasons: string[];
  shares?: Map<string, number>;
}

/** Intent only (no sentiment): the scores of every intent, best first, and the confidence. `modelOf` builds (or recalls) the intents' model. */
export function classifyByPhrases(
  text: string,
  intents: readonly IntentExamples[],
  modelOf: (intents: readonly IntentExamples[]) => Model,
): PhraseClassification {
  if (intents.length === 0) return { intent: null, confidence: 0, ranking: [], reasons: ['no intents declared'] };
  if (words(normalizeText(text)).length === 0)
    return { intent: null, confidence: 0, ranking: [], reasons: ['nothing to classify'] };
  const ranking = scoreIntents(modelOf(intents), text).sort(
    (a, b) => b.score - a.score || a.name.localeCompare(b.name),
  );
  const best = ranking[0] as Scored;
  const relevance = Math.min(1, Math.max(0, (best.score - relevanceFloor) / relevanceSpan));
  if (relevance === 0) {
    return {
      intent: null,
      confidence: 0,
      ranking,
      reasons: [`nothing like any intent's examples (best ${best.name} ${best.score.toFixed(2)})`],
    };
  }
  const top = best.score / temperature;
  let total = 0;
  for (const item of ranking) total += Math.exp(item.score / temperature - top);
  const share = 1 / total;
  const confidence = Math.round(relevance * share * 1000) / 1000;
  const shares = new Map(
    ranking.map((item) => [item.name, (relevance * Math.exp(item.score / temperature - top)) / total]),
  );
  const reasons = [
    `${best.name}: closest example "${best.closest}" (similarity ${best.closestSimilarity.toFixed(2)}, score ${best.score.toFixed(2)})`,
  ];
  const second = ranking[1];
  if (second) reasons.push(`runner-up ${second.name} (score ${second.score.toFixed(2)})`);
  return { intent: best.name, confidence, ranking, reasons, shares };
}
