/**
 * Triage model file, format v2 (`{"format": "baton-triage", "version": 2, …}`): the intent model
 * (a `@baton/ai/linear` classifier, its binary form in base64), the out-of-scope decision (a
 * learned `out_of_scope` label and/or a threshold on the top in-scope probability), the labels and
 * the trainer's metadata. The built-in artefact is workers/ai/models/triage-model.json.
 * Format v3 is v2 plus `embeddings`: the intent model also weighs a sentence embedding of the text
 * (`baton triage train --embeddings minilm`), and the file names the embedding model and the sha256
 * of its files. A model without embeddings is still written as v2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { featurize, linearProbabilities, linearWords, parseLinear, serializeLinear, type LinearModel } from '../linear';

export const triageFormat = 'baton-triage';
/** The newest format this code reads (v3: with embeddings; v2 without). */
export const triageFormatVersion = 3;
const plainFormatVersion = 2;
/** The label training rows give to what lies outside the model's intents. */
export const outOfScopeLabel = 'out_of_scope';

export const outOfScopeSchema = z
  .object({
    /** Below this top in-scope probability a message is out of scope (0: never by threshold). */
    threshold: z.number().min(0).max(1),
    /** Whether the intent model has an `out_of_scope` label of its own. */
    learnedLabel: z.boolean(),
    /** How the threshold was chosen, in words. */
    chosenBy: z.string(),
  })
  .strict();
export type OutOfScopeDecision = z.infer<typeof outOfScopeSchema>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex');
/** The sentence-embedding model a v3 file needs, and the files it was trained with. */
export const embeddingRequirementSchema = z
  .object({
    model: z.literal('minilm-l6-v2-q'),
    dimensions: z.number().int().min(1).max(4096),
    sha256: z.object({ model: sha256Hex, tokenizer: sha256Hex }).strict(),
  })
  .strict();
export type EmbeddingRequirement = z.infer<typeof embeddingRequirementSchema>;

const fileSchema = z
  .object({
    format: z.literal(triageFormat),
    version: z.union([z.literal(plainFormatVersion), z.literal(triageFormatVersion)]),
    /** The intents the model answers (without `out_of_scope`), sorted. */
    labels: z.array(z.string().min(1)).min(1),
    outOfScope: outOfScopeSchema,
    /** The linear model's binary file, base64. */
    intent: z.string().min(1),
    metadata: z.record(z.string(), z.unknown()),
    embeddings: embeddingRequirementSchema.optional(),
  })
  .strict();

export interface TriageModel {
  format: typeof triageFormat;
  /** 3 with embeddings, 2 without. */
  version: 2 | 3;
  labels: string[];
  outOfScope: OutOfScopeDecision;
  intent: LinearModel;
  metadata: Record<string, unknown>;
  /** Present when the model weighs a sentence embedding of each text (see ../embeddings). */
  embeddings?: EmbeddingRequirement;
}

/** A model that needs sentence embeddings was given none (or ones of another size). */
export class TriageEmbeddingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriageEmbeddingsError';
  }
}

/** A model file that cannot be used: corrupt, of another or a newer format. */
export class TriageModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriageModelFormatError';
  }
}

/** Validates a parsed model file; a corrupt or newer one throws TriageModelFormatError saying what is wrong. */
export function triageModelFromJson(value: unknown): TriageModel {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TriageModelFormatError('not a triage model file (a model file is a JSON object)');
  const head = value as { format?: unknown; version?: unknown };
  if (head.format !== triageFormat)
    throw new TriageModelFormatError(
      head.version === 1
        ? 'a version 1 triage model file (naive Bayes); retrain it with `baton triage train`'
        : `not a triage model file (format is ${JSON.stringify(head.format)}, expected "${triageFormat}")`,
    );
  if (typeof head.version === 'number' && head.version > triageFormatVersion)
    throw new TriageModelFormatError(
      `the model file has format version ${head.version}, newer than this Baton reads (${triageFormatVersion})`,
    );
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `/${issue.path.map(String).join('/')}: ${issue.message}`)
      .join('; ');
    throw new TriageModelFormatError(`corrupt triage model file: ${first}`);
  }
  const file = parsed.data;
  let intent: LinearModel;
  try {
    intent = parseLinear(new Uint8Array(Buffer.from(file.intent, 'base64')));
  } catch (error) {
    throw new TriageModelFormatError(
      `corrupt triage model file: /intent: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const inScope = intent.labels.filter((label) => label !== outOfScopeLabel);
  if (inScope.join('\n') !== file.labels.join('\n'))
    throw new TriageModelFormatError('corrupt triage model file: /labels differ from the intent model');
  if (file.outOfScope.learnedLabel !== intent.labels.includes(outOfScopeLabel))
    throw new TriageModelFormatError(
      'corrupt triage model file: /outOfScope/learnedLabel differs from the intent model',
    );
  if ((file.version === triageFormatVersion) !== (file.embeddings !== undefined))
    throw new TriageModelFormatError(
      `corrupt triage model file: /embeddings ${file.embeddings ? 'is not allowed in' : 'is missing in'} a version ${file.version} file`,
    );
  if ((intent.dense ?? 0) !== (file.embeddings?.dimensions ?? 0))
    throw new TriageModelFormatError(
      `corrupt triage model file: /embeddings/dimensions (${file.embeddings?.dimensions ?? 0}) differ from the intent model's (${intent.dense ?? 0})`,
    );
  const { embeddings, ...rest } = file;
  return { ...rest, format: triageFormat, version: file.version, intent, ...(embeddings ? { embeddings } : {}) };
}

/** The model file's JSON text. */
export function triageModelToJson(model: TriageModel): string {
  return `${JSON.stringify({
    format: triageFormat,
    version: model.embeddings ? triageFormatVersion : plainFormatVersion,
    ...(model.embeddings ? { embeddings: model.embeddings } : {}),
    labels: model.labels,
    outOfScope: model.outOfScope,
    metadata: model.metadata,
    intent: Buffer.from(serializeLinear(model.intent)).toString('base64'),
  })}\n`;
}

/** Reads a model file's text (or bytes); errors as triageModelFromJson, and for text that is not JSON. */
export function parseTriageModel(source: string | Uint8Array): TriageModel {
  let text: string;
  try {
    text = typeof source === 'string' ? source : new TextDecoder('utf-8', { fatal: true }).decode(source);
  } catch {
    throw new TriageModelFormatError('not a triage model file (not UTF-8)');
  }
  if (text.trim() === '') throw new TriageModelFormatError('the model file is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TriageModelFormatError(
      `not a triage model file (not JSON: ${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return triageModelFromJson(value);
}

export interface IntentPrediction {
  /** Null when out of scope. */
  intent: string | null;
  /** The best in-scope intent, even when out of scope. */
  best: string;
  /** Probability of the best in-scope intent. */
  probability: number;
  outOfScope: boolean;
  /** Probability of the learned `out_of_scope` label (0 without one). */
  oosProbability: number;
  /** In-scope intents, most probable first (at most 5). */
  ranked: { label: string; probability: number }[];
}

/**
 * The intent of a text, with the model's out-of-scope decision. A model with `embeddings` needs the
 * text's sentence embedding (./embedding-inputs.ts computes it); without one it throws
 * TriageEmbeddingsError.
 */
export function predictIntent(model: TriageModel, text: string, embedding?: Float32Array): IntentPrediction {
  if (model.embeddings && embedding?.length !== model.embeddings.dimensions)
    throw new TriageEmbeddingsError(
      embedding
        ? `the model needs ${model.embeddings.dimensions}-dimensional embeddings, got ${embedding.length}`
        : `the model needs sentence embeddings (${model.embeddings.model}) of each text`,
    );
  const probabilities = linearProbabilities(model.intent, text, model.embeddings ? embedding : undefined);
  const ranked: { label: string; probability: number }[] = [];
  let oos = 0;
  model.intent.labels.forEach((label, k) => {
    const probability = probabilities[k] as number;
    if (label === outOfScopeLabel) oos = probability;
    else ranked.push({ label, probability });
  });
  ranked.sort((a, b) => b.probability - a.probability || (a.label < b.label ? -1 : 1));
  const top = ranked[0] as { label: string; probability: number };
  const outOfScope = oos > top.probability || top.probability < model.outOfScope.threshold;
  return {
    intent: outOfScope ? null : top.label,
    best: top.label,
    probability: top.probability,
    outOfScope,
    oosProbability: oos,
    ranked: ranked.slice(0, 5),
  };
}

/** Share of a text's words (not numbers) that the intent model has weights for: how much of it the model knows. */
export function wordCoverage(model: TriageModel, text: string): number {
  const words = linearWords(text).filter((word) => word !== '#num');
  if (words.length === 0) return 0;
  const wordOnly = { ...model.intent.features, wordNgrams: 1, charMin: 0, charMax: 0 };
  let known = 0;
  for (const word of words) {
    const bucket = featurize(word, wordOnly).index[0] as number;
    if (binarySearch(model.intent.buckets, bucket)) known += 1;
  }
  return known / words.length;
}

function binarySearch(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = sorted[mid] as number;
    if (at === value) return true;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export const defaultModelPath = join(__dirname, '..', '..', 'models', 'triage-model.json');

let cached: TriageModel | undefined;
/** Loads a model file (the built-in one once, lazily); errors name the file. */
export function loadTriageModel(path = defaultModelPath): TriageModel {
  if (cached && path === defaultModelPath) return cached;
  let source: Buffer;
  try {
    source = readFileSync(path);
  } catch (error) {
    throw new TriageModelFormatError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let model: TriageModel;
  try {
    model = parseTriageModel(source);
  } catch (error) {
    throw new TriageModelFormatError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (path === defaultModelPath) cached = model;
  return model;
}
