/**
 * A triage model as an opaque, validated artefact: what `baton triage publish` stores, the API lists
 * and the worker's `baton.classify` loads. Callers hold the bytes of a model file and go through
 * `parseTriageArtefact` / `classifyWithArtefact`, so the file's format stays the triage module's own.
 */
import { createHash } from 'node:crypto';
import { triageRanked } from './triage';
import { embedTexts, TriageEmbeddingsError } from './triage/embedding-inputs';
import { parseTriageData, TriageDataError, type LabelledRow } from './triage/data';
import { evaluateTriage, type TriageFigures } from './triage/evaluate';
import { outOfScopeLabel, parseTriageModel, type TriageModel } from './triage/model';

export type { LabelledRow, TriageFigures };

export { outOfScopeLabel, TriageEmbeddingsError };

/**
 * The sentence embeddings a model with embeddings needs for `texts` (all undefined for others):
 * pass each to classifyWithArtefact / classifyForNode / evaluateArtefact. Throws
 * TriageEmbeddingsError when this machine lacks the embedding model the file names.
 */
export function embeddingsForArtefact(
  artefact: TriageArtefact,
  texts: readonly string[],
): Promise<(Float32Array | undefined)[]> {
  return embedTexts(artefact.model, texts);
}

/** Whether the model needs sentence embeddings (format v3). */
export function needsEmbeddings(artefact: TriageArtefact): boolean {
  return artefact.model.embeddings !== undefined;
}

/** Largest model file the store keeps (the trainer writes files well under it). */
export const maxTriageModelBytes = 20 * 1024 * 1024;

/** A model file that cannot be used: corrupt, of an unknown or newer format, too large. */
export class TriageModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriageModelError';
  }
}

export interface TriageArtefact {
  /** The file's format version. */
  formatVersion: number;
  /** The intents it answers, in the model's order (without the out-of-scope label). */
  labels: string[];
  /** What its trainer recorded (trained at, rows, figures …), as found in the file. */
  metadata: Record<string, unknown>;
  /** sha256 of the file's bytes. */
  hash: string;
  readonly model: TriageModel;
}

export interface ArtefactTriage {
  /** Null when the text is out of scope. */
  intent: string | null;
  confidence: number;
  outOfScope: boolean;
  /** -1…1 */
  sentiment: number;
  escalate: boolean;
  reasons: string[];
}

export function triageModelHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads a model file; a corrupt, oversized or newer file throws TriageModelError saying what is wrong. */
export function parseTriageArtefact(bytes: Uint8Array): TriageArtefact {
  if (bytes.byteLength > maxTriageModelBytes)
    throw new TriageModelError(
      `the model file is ${bytes.byteLength} bytes; the limit is ${maxTriageModelBytes} bytes (20 MB)`,
    );
  let model: TriageModel;
  try {
    model = parseTriageModel(bytes);
  } catch (error) {
    throw new TriageModelError(error instanceof Error ? error.message : String(error));
  }
  return {
    formatVersion: model.version,
    labels: model.labels.filter((label) => label !== outOfScopeLabel),
    metadata: model.metadata,
    hash: triageModelHash(bytes),
    model,
  };
}

/** Triage with a parsed artefact: the model's intent, or null when it says the text is out of scope. */
export function classifyWithArtefact(artefact: TriageArtefact, text: string, embedding?: Float32Array): ArtefactTriage {
  // `baton triage --model` prints this: the documented fields only.
  const { ranking: _ranking, ...result } = rankedWithArtefact(artefact, text, embedding);
  return result;
}

function rankedWithArtefact(
  artefact: TriageArtefact,
  text: string,
  embedding?: Float32Array,
): ArtefactTriage & { ranking: { intent: string; confidence: number }[] } {
  const result = triageRanked(text, artefact.model, embedding);
  const outOfScope = result.outOfScope || result.intent === null || result.intent === outOfScopeLabel;
  return {
    intent: outOfScope ? null : result.intent,
    confidence: result.confidence,
    outOfScope,
    sentiment: result.sentiment,
    escalate: result.escalate,
    reasons: result.reasons,
    ranking: result.ranking,
  };
}

/** Labelled rows of an eval file (CSV or JSON lines, as `baton triage train` reads them); errors name the line. */
export function readLabelledRows(name: string, source: string): LabelledRow[] {
  try {
    return parseTriageData(name, source).rows;
  } catch (error) {
    if (error instanceof TriageDataError) throw new TriageModelError(error.message);
    throw error;
  }
}

/** The model's figures on labelled rows (percentages), as `baton triage eval` prints them. */
export function evaluateArtefact(
  artefact: TriageArtefact,
  rows: readonly LabelledRow[],
  embeddings?: readonly (Float32Array | undefined)[],
): TriageFigures {
  return evaluateTriage(artefact.model, rows, embeddings);
}

/** No such published model (or version). */
export class TriageModelMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriageModelMissingError';
  }
}

/** Where published models are read from (the store's `triageModels`). */
export interface PublishedModels {
  latestVersion(name: string): Promise<number | null>;
  readFile(name: string, version: number): Promise<{ file: Uint8Array } | null>;
}

export interface TriageModelCache {
  get(key: string): TriageArtefact | undefined;
  set(key: string, artefact: TriageArtefact): void;
  readonly size: number;
}

/** A least-recently-used map of parsed models by `name@version` (a model may be megabytes). */
export function triageModelCache(capacity: number): TriageModelCache {
  const entries = new Map<string, TriageArtefact>();
  return {
    get(key) {
      const found = entries.get(key);
      if (found) {
        entries.delete(key);
        entries.set(key, found);
      }
      return found;
    },
    set(key, artefact) {
      entries.delete(key);
      entries.set(key, artefact);
      while (entries.size > Math.max(1, capacity)) entries.delete(entries.keys().next().value as string);
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * The parsed model `name@version` (the newest without a version), from the cache or the store.
 * Throws TriageModelMissingError when it is not published, TriageModelError when it cannot be read.
 */
export async function loadPublishedModel(
  cache: TriageModelCache,
  models: PublishedModels,
  ref: { name: string; version?: number | undefined },
): Promise<{ key: string; artefact: TriageArtefact }> {
  // A pinned version never changes, so only "the newest" needs the store each time.
  const version = ref.version ?? (await models.latestVersion(ref.name));
  if (version === null)
    throw new TriageModelMissingError(
      `no triage model "${ref.name}" is published (baton triage publish MODEL --name ${ref.name})`,
    );
  const key = `${ref.name}@${version}`;
  const cached = cache.get(key);
  if (cached) return { key, artefact: cached };
  const stored = await models.readFile(ref.name, version);
  if (!stored) throw new TriageModelMissingError(`triage model ${key} is not published`);
  let artefact: TriageArtefact;
  try {
    artefact = parseTriageArtefact(stored.file);
  } catch (error) {
    throw new TriageModelError(
      `triage model ${key} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  cache.set(key, artefact);
  return { key, artefact };
}

export interface ModelClassification {
  intent: string | null;
  confidence: number;
  outOfScope: boolean;
  sentiment: { score: number; label: 'negative' | 'neutral' | 'positive' };
  /** The model and its answer first (`support@1: track_order (0.98)`), then the model's own reasons. */
  reasons: string[];
  /** The model's intents, most probable first (at most 5). */
  ranking: { intent: string; confidence: number }[];
}

/** What a model-backed classify node gets: the model's intent (null when out of scope), its sentiment labelled. */
export function classifyForNode(
  key: string,
  artefact: TriageArtefact,
  text: string,
  embedding?: Float32Array,
): ModelClassification {
  const result = rankedWithArtefact(artefact, text, embedding);
  const score = Math.min(1, Math.max(-1, result.sentiment));
  const label = score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral';
  const outOfScope = result.outOfScope || result.intent === null;
  return {
    intent: outOfScope ? null : result.intent,
    confidence: Math.min(1, Math.max(0, result.confidence)),
    outOfScope,
    sentiment: { score, label },
    reasons: [
      outOfScope
        ? `${key}: out of scope (${result.confidence.toFixed(2)})`
        : `${key}: ${result.intent} (${result.confidence.toFixed(2)})`,
      ...result.reasons,
    ],
    ranking: result.ranking,
  };
}
