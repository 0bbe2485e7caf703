/**
 * A triage model as an opaque, validated artefact: what `baton triage publish` stores, the API lists
 * and the worker's `baton.classify` loads. Callers hold the bytes of a model file and go through
 * `parseTriageArtefact` / `classifyWithArtefact`, so the file's format stays the triage module's own.
 */
import { createHash } from 'node:crypto';
import { triage } from './triage';
import { parseTriageData, TriageDataError, type LabelledRow } from './triage/data';
import { evaluateTriage, type TriageFigures } from './triage/evaluate';
import { outOfScopeLabel, parseTriageModel, type TriageModel } from './triage/model';

export type { LabelledRow, TriageFigures };

export { outOfScopeLabel };

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
export function classifyWithArtefact(artefact: TriageArtefact, text: string): ArtefactTriage {
  const result = triage(text, artefact.model);
  const outOfScope = result.outOfScope || result.intent === null || result.intent === outOfScopeLabel;
  return {
    intent: outOfScope ? null : result.intent,
    confidence: result.confidence,
    outOfScope,
    sentiment: result.sentiment,
    escalate: result.escalate,
    reasons: result.reasons,
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
export function evaluateArtefact(artefact: TriageArtefact, rows: readonly LabelledRow[]): TriageFigures {
  return evaluateTriage(artefact.model, rows);
}
