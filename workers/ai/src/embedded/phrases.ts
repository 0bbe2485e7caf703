/**
 * Intents from the journey's example phrases (and the agents' corrections as further examples): the
 * similarity to an intent combines the cosine to the closest example with the cosine to the intent's
 * centroid; a softmax regression trained on the same examples gives a second view. Confidence mixes
 * the two and is gated by how similar the text is to any example at all, so an unrelated message gets
 * a low confidence (and the journey's fallback) rather than a guess.
 */
import { linearProbabilities, trainLinear, type LinearModel } from '../linear';
import type { IntentExamples } from '../provider';
import { concepts, normalizeText, tokenize, words } from '../text';
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
  /** Softmax regression over the examples (and corrections); absent with fewer than two intents. */
  linear?: { model: LinearModel; order: number[] };
  calibration: Calibration;
}

/** How the confidence is made (see `shareOf`); chosen by workers/ai/scripts/tune-phrases.ts. */
export interface Calibration {
  /** The regression's part in the mix with the nearest-neighbour softmax. */
  linearShare: number;
  /** Below 1 sharpens the regression's probabilities. */
  linearTemperature: number;
  /** Below `gateFloor` a text resembles no example; from `gateFloor + gateSpan` on it resembles one fully. */
  gateFloor: number;
  gateSpan: number;
}

/**
 * Trained on few examples the regression is unsure and the neighbours are few: it is sharpened more
 * and trusted more. Settings for 10 and 100 examples per intent, interpolated on the logarithm.
 */
export function calibrationFor(examplesPerIntent: number): Calibration {
  const t = Math.min(1, Math.max(0, Math.log10(Math.max(1, examplesPerIntent)) - 1));
  return { linearShare: 0.85 - 0.15 * t, linearTemperature: 0.5 + 0.5 * t, gateFloor: 0.06, gateSpan: 0.3 };
}

/**
 * The regression's training: hashed features (2^16 buckets), every intent weighed alike; a large
 * node (many examples) learns enough in fewer passes, which keeps its first message quick.
 */
const linearOptions = { bits: 16, l2: 1e-6, classWeight: 'balanced' } as const;
const epochsFor = (examples: number): number => (examples >= 1000 ? 4 : 8);

/**
 * What the regression reads: the text, plus a word per negated stem ("it never worked" adds
 * "notwork") and per support concept ("failure"), so that it reads negation and synonyms as the
 * neighbours do; its own features are plain words and character n-grams.
 */
function linearText(text: string): string {
  const tokens = tokenize(text);
  const negated = tokens.filter((token) => token.negated && !token.stop).map((token) => `not${token.stem}`);
  const classes = concepts(tokens).map((concept) => `concept${concept.replace(/\W/g, '')}`);
  return [text, ...negated, ...classes].join(' ');
}

function trainIntents(intents: readonly IntentExamples[]): Model['linear'] {
  const named = intents.filter((intent) => intent.examples.length + (intent.corrections?.length ?? 0) > 0);
  if (new Set(named.map((intent) => intent.name)).size < 2) return undefined;
  const examples = named.flatMap((intent) =>
    [...intent.examples, ...(intent.corrections ?? [])].map((text) => ({ text: linearText(text), label: intent.name })),
  );
  const model = trainLinear(examples, { ...linearOptions, epochs: epochsFor(examples.length) });
  const at = new Map(model.labels.map((label, index) => [label, index]));
  return { model, order: intents.map((intent) => at.get(intent.name) ?? -1) };
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
  const linear = trainIntents(intents);
  const model: Model = {
    idf,
    intents: intents.map((intent) => ({ name: intent.name, examples: [], centroid: emptyVectors() })),
    ...(linear && { linear }),
    calibration: calibrationFor(documents.length / Math.max(1, intents.length)),
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

function softmax(values: readonly number[]): number[] {
  const top = Math.max(...values);
  return normalized(values.map((value) => Math.exp(value - top)));
}

function normalized(values: readonly number[]): number[] {
  const total = values.reduce((sum, value) => sum + value, 0);
  return values.map((value) => (total > 0 ? value / total : 0));
}

export interface Scored {
  name: string;
  score: number;
  /** The softmax regression's probability of this intent (when the model has one). */
  linear?: number;
  closest: string;
  closestSimilarity: number;
  /** The closest of the agents' corrections to this intent, if any. */
  correction?: { text: string; similarity: number };
}

export function scoreIntents(model: Model, text: string): Scored[] {
  const vectors = vectorize(model, featuresOf(text));
  const probabilities = model.linear ? linearProbabilities(model.linear.model, linearText(text)) : undefined;
  return model.intents.map((intent, index) => {
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
    const at = model.linear?.order[index] ?? -1;
    const linear = probabilities && at >= 0 ? (probabilities[at] as number) : undefined;
    return {
      name: intent.name,
      score,
      closest,
      closestSimilarity: best,
      ...(linear !== undefined && { linear }),
      ...(correction && { correction }),
    };
  });
}

/**
 * Each intent's share of the confidence: the regression's probability (sharpened by its temperature)
 * mixed with the nearest-neighbour softmax, times a gate on how similar the text is to any example
 * at all, so text unlike every example gets a low confidence whatever the regression says.
 */
export function shareOf(scored: readonly Scored[], parameters: Calibration): Map<string, number> {
  const nearest = Math.max(...scored.map((item) => item.score));
  const relevance = Math.min(1, Math.max(0, (nearest - parameters.gateFloor) / parameters.gateSpan));
  const knn = softmax(scored.map((item) => item.score / temperature));
  const linear = scored.every((item) => item.linear !== undefined)
    ? normalized(scored.map((item) => Math.pow(item.linear as number, 1 / parameters.linearTemperature)))
    : undefined;
  return new Map(
    scored.map((item, index) => {
      const knnShare = knn[index] as number;
      const mixed = linear
        ? parameters.linearShare * (linear[index] as number) + (1 - parameters.linearShare) * knnShare
        : knnShare;
      return [item.name, relevance * mixed];
    }),
  );
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
  const model = modelOf(intents);
  const scored = scoreIntents(model, text);
  const share = shareOf(scored, model.calibration);
  const ranking = scored.sort(
    (a, b) => (share.get(b.name) ?? 0) - (share.get(a.name) ?? 0) || b.score - a.score || a.name.localeCompare(b.name),
  );
  const best = ranking[0] as Scored;
  if ((share.get(best.name) ?? 0) === 0) {
    return {
      intent: null,
      confidence: 0,
      ranking,
      reasons: [`nothing like any intent's examples (best ${best.name} ${best.score.toFixed(2)})`],
    };
  }
  const confidence = Math.round((share.get(best.name) ?? 0) * 1000) / 1000;
  const shares = share;
  const reasons = [
    `${best.name}: closest example "${best.closest}" (similarity ${best.closestSimilarity.toFixed(2)}, score ${best.score.toFixed(2)}${best.linear === undefined ? '' : `, trained on the examples ${best.linear.toFixed(2)}`})`,
  ];
  const second = ranking[1];
  if (second) reasons.push(`runner-up ${second.name} (score ${second.score.toFixed(2)})`);
  return { intent: best.name, confidence, ranking, reasons, shares };
}
