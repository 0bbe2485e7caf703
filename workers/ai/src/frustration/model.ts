/**
 * The frustration model: four binary logistic regressions over one pruned vocabulary of
 * frustrationFeatures: "asks for a person" (Bitext contact_human_agent rows), "complains" (complaint
 * rows), "profanity" (rows tagged W), each against every other row, and "narrates a bad experience"
 * (complaint tweets of workers/ai/data/complaint-tweets and Bitext complaints against ordinary
 * requests). A row may train only some heads (`only`). Weights are stored rounded
 * (workers/ai/models/frustration-model.json, trained by workers/ai/scripts/train-frustration.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SentimentAnalysis } from '../embedded/sentiment';
import { stopwords } from '../text';
import { frustrationFeatures } from './features';

export const heads = ['person', 'complaint', 'profanity', 'grievance'] as const;
export type Head = (typeof heads)[number];

const headSchema = z.object({ bias: z.number(), weights: z.record(z.string(), z.number()) });
export const frustrationModelSchema = z
  .object({
    format: z.literal('baton-frustration', { message: 'not a frustration model (format)' }),
    version: z.literal(2, { message: 'frustration model version: this build reads version 2' }),
    heads: z.object({ person: headSchema, complaint: headSchema, profanity: headSchema, grievance: headSchema }),
    metadata: z.record(z.string(), z.unknown()),
  })
  .strict();
export type FrustrationModel = z.infer<typeof frustrationModelSchema>;

export interface LabelledText {
  text: string;
  /** Which heads this text is a positive example of. */
  positive: ReadonlySet<Head>;
  /** The heads this text is an example for (all when absent). */
  only?: ReadonlySet<Head>;
}

export interface TrainOptions {
  epochs?: number;
  /** L2 penalty per step. */
  l2?: number;
  /** Features seen in fewer training texts are dropped. */
  minCount?: number;
  /** Positives weigh this share of the negatives' total (0.5: balanced). */
  positiveShare?: number;
}

/** Training computes each text's features once, however many models (folds) it trains. */
const trainingFeatures = new Map<string, string[]>();
function featuresForTraining(text: string): string[] {
  let features = trainingFeatures.get(text);
  if (!features) {
    if (trainingFeatures.size >= 100_000) trainingFeatures.clear();
    features = frustrationFeatures(text);
    trainingFeatures.set(text, features);
  }
  return features;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Deterministic shuffles (a fixed LCG), so a retrain gives the same file. */
function shuffled(length: number, seed: number): number[] {
  let state = seed;
  const order = Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = Math.floor((state / 2147483648) * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

export function trainFrustration(texts: readonly LabelledText[], options: TrainOptions = {}): FrustrationModel {
  const epochs = options.epochs ?? 30;
  const l2 = options.l2 ?? 1e-4;
  const minCount = options.minCount ?? 2;
  const positiveShare = options.positiveShare ?? 0.3;
  const featureLists = texts.map((item) => featuresForTraining(item.text));
  const counts = new Map<string, number>();
  for (const list of featureLists) for (const feature of list) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  const vocabulary = [...counts].filter(([, count]) => count >= minCount).map(([feature]) => feature);
  const index = new Map(vocabulary.map((feature, i) => [feature, i]));
  const rows = featureLists.map((list) =>
    list.map((feature) => index.get(feature)).filter((i): i is number => i !== undefined),
  );
  const out = {} as FrustrationModel['heads'];
  for (const head of heads) {
    const member = texts.map((item) => !item.only || item.only.has(head));
    const labels = texts.map((item) => item.positive.has(head));
    const members = member.filter(Boolean).length;
    const positives = labels.filter((label, i) => label && member[i]).length;
    const negatives = members - positives;
    if (positives === 0 || negatives === 0)
      throw new Error(`frustration training: no ${positives ? 'negative' : 'positive'} rows for "${head}"`);
    const weightOf = [(1 - positiveShare) * (members / negatives), positiveShare * (members / positives)] as const;
    const weights = new Float64Array(vocabulary.length);
    let bias = 0;
    for (let epoch = 0; epoch < epochs; epoch += 1) {
      const rate = 0.5 / (1 + epoch * 0.2);
      for (const i of shuffled(rows.length, 7 + epoch)) {
        if (!member[i]) continue;
        const features = rows[i] as number[];
        // Each feature has value 1/sqrt(n): texts of any length weigh alike.
        const value = features.length ? 1 / Math.sqrt(features.length) : 0;
        let z = bias;
        for (const f of features) z += (weights[f] as number) * value;
        const label = labels[i] ? 1 : 0;
        const gradient = (sigmoid(z) - label) * weightOf[label];
        bias -= rate * gradient * 0.1;
        for (const f of features) weights[f] = (weights[f] as number) * (1 - rate * l2) - rate * gradient * value;
      }
    }
    const kept: Record<string, number> = {};
    vocabulary.forEach((feature, i) => {
      const weight = Math.round((weights[i] as number) * 1000) / 1000;
      if (Math.abs(weight) >= 0.01) kept[feature] = weight;
    });
    out[head] = { bias: Math.round(bias * 1000) / 1000, weights: kept };
  }
  return { format: 'baton-frustration', version: 2, heads: out, metadata: {} };
}

export interface HeadScore {
  probability: number;
  /** The features that pushed it up most, strongest first. */
  evidence: string[];
}

/** Evidence worth showing: a concept, or a feature with a word that is not a function word. */
function telling(feature: string): boolean {
  return feature.startsWith('=') || feature.split(' ').some((part) => !stopwords.has(part.replace(/^¬/, '')));
}

export function scoreHeads(model: FrustrationModel, text: string, mood?: SentimentAnalysis): Record<Head, HeadScore> {
  const features = frustrationFeatures(text, mood);
  const value = features.length ? 1 / Math.sqrt(features.length) : 0;
  const result = {} as Record<Head, HeadScore>;
  for (const head of heads) {
    const { bias, weights } = model.heads[head];
    let z = bias;
    const contributions: [string, number][] = [];
    for (const feature of features) {
      const weight = weights[feature];
      if (weight === undefined) continue;
      z += weight * value;
      if (weight > 0 && telling(feature)) contributions.push([feature, weight]);
    }
    contributions.sort((a, b) => b[1] - a[1]);
    result[head] = {
      probability: sigmoid(z),
      evidence: contributions.slice(0, 3).map(([feature]) => feature),
    };
  }
  return result;
}

export const defaultFrustrationModelPath = join(__dirname, '..', '..', 'models', 'frustration-model.json');

let cached: FrustrationModel | undefined;

/** Parses a model file; a clear error names what is wrong. */
export function parseFrustrationModel(source: string, path = 'frustration model'): FrustrationModel {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = frustrationModelSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The committed model, loaded once (lazily). */
export function loadFrustrationModel(): FrustrationModel {
  cached ??= parseFrustrationModel(readFileSync(defaultFrustrationModelPath, 'utf8'), defaultFrustrationModelPath);
  return cached;
}
