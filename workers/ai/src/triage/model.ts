/**
 * Triage model: multinomial naive Bayes over word unigrams + bigrams (shared tokenizer for training
 * and inference), plus a binary naive Bayes "offensive" signal learned from the Bitext `W`-tagged
 * rows. The artefact (workers/ai/models/triage-model.json) holds log-probabilities quantized to
 * integers (x100) over a pruned vocabulary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { normalizeText } from '../text';

export function triageTokens(text: string): string[] {
  const words = normalizeText(text)
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && w.length < 30)
    .map((w) => (/^\d+$/.test(w) ? '#num' : w));
  const out = [...words];
  for (let i = 0; i + 1 < words.length; i += 1) out.push(`${words[i]}_${words[i + 1]}`);
  return out;
}

const nbSchema = z.object({
  labels: z.array(z.string()),
  prior: z.array(z.number()),
  /** Per label, the log-probability (x100) of an unseen feature. */
  unseen: z.array(z.number()),
  /** feature → per-label log-probability x100. */
  features: z.record(z.string(), z.array(z.number())),
});
export type NaiveBayes = z.infer<typeof nbSchema>;

export const triageModelSchema = z.object({
  version: z.literal(1),
  intent: nbSchema,
  /** Words learned from the `W`-tagged rows: almost only ever seen in them. */
  offensiveWords: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
});
export type TriageModel = z.infer<typeof triageModelSchema>;

export function scoreNb(model: NaiveBayes, tokens: readonly string[]): number[] {
  // Every token costs the label's unseen log-probability; a known feature adds its stored offset.
  const scores = model.prior.map((prior, k) => prior + ((model.unseen[k] as number) / 100) * tokens.length);
  for (const token of tokens) {
    const row = model.features[token];
    if (!row) continue;
    for (let k = 0; k < scores.length; k += 1) scores[k] = (scores[k] as number) + (row[k] as number) / 100;
  }
  return scores;
}

/** The softmax probability of every label, in the order of `model.labels`. */
export function posteriorNb(model: NaiveBayes, tokens: readonly string[]): number[] {
  const scores = scoreNb(model, tokens);
  const top = Math.max(...scores);
  const weights = scores.map((score) => Math.exp(score - top));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}

/** Best label and its softmax probability. */
export function predictNb(model: NaiveBayes, tokens: readonly string[]): { label: string; probability: number } {
  const scores = scoreNb(model, tokens);
  let best = 0;
  for (let k = 1; k < scores.length; k += 1) if ((scores[k] as number) > (scores[best] as number)) best = k;
  const top = scores[best] as number;
  let total = 0;
  for (const s of scores) total += Math.exp(s - top);
  return { label: model.labels[best] as string, probability: 1 / total };
}

export const defaultModelPath = join(__dirname, '..', '..', 'models', 'triage-model.json');

let cached: TriageModel | undefined;
/** Loads the committed artefact once (lazily). */
export function loadTriageModel(path = defaultModelPath): TriageModel {
  if (cached && path === defaultModelPath) return cached;
  const model = triageModelSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  if (path === defaultModelPath) cached = model;
  return model;
}
