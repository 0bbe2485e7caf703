/**
 * Training of triage models (used by `baton triage train`, workers/ai/scripts/train-triage.ts and
 * engine/bench/triage.ts): the linear intent model, the out-of-scope threshold chosen on held-out
 * predictions (the validation rows, or k-fold cross-validation), figures. Plus the Bitext CSV
 * reader of the built-in model's data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom, shuffle, trainLinear, type LinearOptions } from '../linear';
import { parseCsvRecords, type LabelledRow } from './data';
import {
  chooseThreshold,
  heldOutPrediction,
  scorePredictions,
  type HeldOutPrediction,
  type TriageFigures,
} from './evaluate';
import type { Embedder } from '../embeddings/embedder';
import { embeddingRequirement } from './embedding-inputs';
import { outOfScopeLabel, triageFormat, type EmbeddingRequirement, type TriageModel } from './model';

export {
  loadTriageData,
  maxTextLength,
  parseTriageData,
  TriageDataError,
  type LabelledRow,
  type TriageData,
} from './data';
export {
  chooseThreshold,
  evaluateTriage,
  scorePredictions,
  type Confusion,
  type HeldOutPrediction,
  type TriageFigures,
} from './evaluate';

export const defaultCsvPath = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'shared',
  'data',
  'bitext-support',
  'train.csv',
);

/** A Bitext row. */
export interface Row {
  text: string;
  intent: string;
  offensive: boolean;
  entityType?: string;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) as rows of fields. */
export function parseCsv(source: string): string[][] {
  return parseCsvRecords(source).map((record) => record.fields);
}

export function loadRows(csvPath = defaultCsvPath): Row[] {
  const [header, ...body] = parseCsv(readFileSync(csvPath, 'utf8'));
  const col = (name: string): number => (header as string[]).indexOf(name);
  return body
    .filter((r) => r.length === (header as string[]).length)
    .map((r) => ({
      text: r[col('instruction')] as string,
      intent: r[col('intent')] as string,
      offensive: (r[col('tags')] as string).includes('W'),
      entityType: r[col('entity_type')] as string,
    }));
}

export function labelsOf(rows: readonly { intent: string }[]): string[] {
  return [...new Set(rows.map((r) => r.intent))].sort();
}

const referencePattern = /\b(order|purchase|invoice|bill)(?: number| no\.?| #)?\s*#?\d{3,}\b/gi;

/**
 * Data such as Bitext's carries an order or invoice number in every such utterance ("track order
 * 732201349959"), so a model trained on it alone learns that "where is my order?" without a number
 * is something else. Each such row is also learned as said without the number ("track my order");
 * only training rows are augmented, never held-out ones.
 */
export function withoutReferenceNumbers<T extends { text: string; entityType?: string }>(rows: readonly T[]): T[] {
  const extra: T[] = [];
  for (const row of rows) {
    if (row.entityType !== undefined && row.entityType !== 'order_id' && row.entityType !== 'invoice_id') continue;
    const text = row.text.replace(referencePattern, (_match, noun: string) => `my ${noun}`);
    if (text !== row.text) extra.push({ ...row, text });
  }
  return [...rows, ...extra];
}

/** The linear settings of triage models, chosen by cross-validation on Banking77 (docs/ai.md). */
export const triageLinearOptions: LinearOptions = { epochs: 20, learningRate: 2, l2: 1e-6, wordWeight: 3 };

/** Sentence embeddings of every text training sees (`trainingEmbeddings`), for a model with embeddings. */
export interface TrainingEmbeddings {
  requirement: EmbeddingRequirement;
  /** The embedding of a text given to `trainingEmbeddings` (throws for another). */
  of(text: string): Float32Array;
}

/** Embeds every text training will see: the rows, their forms without reference numbers, the validation rows. */
export async function trainingEmbeddings(
  embedder: Embedder,
  rows: readonly LabelledRow[],
  validation: readonly LabelledRow[] = [],
): Promise<TrainingEmbeddings> {
  const texts = [...new Set([...withoutReferenceNumbers(rows), ...validation].map((row) => row.text))];
  const vectors = await embedder.embed(texts);
  const byText = new Map(texts.map((text, i) => [text, vectors[i] as Float32Array]));
  return {
    requirement: embeddingRequirement(embedder),
    of(text) {
      const found = byText.get(text);
      if (!found) throw new Error(`no embedding was computed for ${JSON.stringify(text.slice(0, 60))}`);
      return found;
    },
  };
}

export interface TrainTriageOptions {
  /** Also weigh each text's sentence embedding (the model file then needs the same embedding model). */
  embeddings?: TrainingEmbeddings;
  /** Held-out rows to choose the out-of-scope threshold on (otherwise k-fold cross-validation). */
  validation?: readonly LabelledRow[];
  /** Folds of the cross-validation when there is no validation set (default 5). */
  folds?: number;
  linear?: LinearOptions;
  /** Called after each fold or training, for progress lines. */
  progress?: (message: string) => void;
  metadata?: Record<string, unknown>;
  /** A cross-validation of these rows already run (with the same linear options): not run again. */
  crossValidation?: CrossValidation;
  /** A fixed out-of-scope threshold (0..1) instead of one chosen on the held-out predictions. */
  oosThreshold?: number;
}

export interface TrainedTriage {
  model: TriageModel;
  /** Figures on the held-out predictions the threshold was chosen on, with that threshold. */
  figures: TriageFigures;
  heldOut: 'validation' | `${number}-fold cross-validation`;
}

function fit(rows: readonly LabelledRow[], linear: LinearOptions, embeddings?: TrainingEmbeddings): TriageModel {
  const examples = withoutReferenceNumbers(rows).map((row) => ({
    text: row.text,
    label: row.intent,
    ...(embeddings ? { dense: embeddings.of(row.text) } : {}),
  }));
  const intent = trainLinear(examples, { ...linear, dense: embeddings?.requirement.dimensions ?? 0 });
  return {
    format: triageFormat,
    version: embeddings ? 3 : 2,
    labels: intent.labels.filter((label) => label !== outOfScopeLabel),
    outOfScope: { threshold: 0, learnedLabel: intent.labels.includes(outOfScopeLabel), chosenBy: '' },
    intent,
    metadata: {},
    ...(embeddings ? { embeddings: embeddings.requirement } : {}),
  };
}

function predictionOf(model: TriageModel, row: LabelledRow, embeddings?: TrainingEmbeddings): HeldOutPrediction {
  return heldOutPrediction(model, row, embeddings?.of(row.text));
}

/** Deterministic fold of each row (a seeded shuffle, then round-robin). */
export function foldsOf(count: number, folds: number): Int32Array {
  const order = shuffle(
    Array.from({ length: count }, (_, i) => i),
    seededRandom(42),
  );
  const fold = new Int32Array(count);
  order.forEach((row, position) => {
    fold[row] = position % folds;
  });
  return fold;
}

export interface CrossValidation {
  folds: number;
  predictions: HeldOutPrediction[];
  /** The fold models, in order (for callers that score more than the intent on them). */
  models: TriageModel[];
  fold: Int32Array;
}

/** k-fold cross-validation: every row predicted by a model that did not see it. */
export function crossValidate(
  rows: readonly LabelledRow[],
  options: {
    folds?: number;
    linear?: LinearOptions;
    progress?: (message: string) => void;
    embeddings?: TrainingEmbeddings;
  } = {},
): CrossValidation {
  const folds = options.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2 || folds > rows.length)
    throw new Error(`folds must be an integer from 2 to the number of rows (${rows.length}), got ${folds}`);
  const fold = foldsOf(rows.length, folds);
  const predictions: HeldOutPrediction[] = new Array<HeldOutPrediction>(rows.length);
  const models: TriageModel[] = [];
  for (let f = 0; f < folds; f += 1) {
    const model = fit(
      rows.filter((_, i) => fold[i] !== f),
      options.linear ?? triageLinearOptions,
      options.embeddings,
    );
    models.push(model);
    rows.forEach((row, i) => {
      if (fold[i] === f) predictions[i] = predictionOf(model, row, options.embeddings);
    });
    options.progress?.(`fold ${f + 1}/${folds} done`);
  }
  return { folds, predictions, models, fold };
}

/** Trains a triage model: the threshold on held-out predictions, then the final model on every row. */
export function trainTriage(rows: readonly LabelledRow[], options: TrainTriageOptions = {}): TrainedTriage {
  const linear = options.linear ?? triageLinearOptions;
  if (labelsOf(rows).filter((label) => label !== outOfScopeLabel).length < 1 || labelsOf(rows).length < 2)
    throw new Error('training needs at least two labels, one of them in scope');
  let predictions: HeldOutPrediction[];
  let heldOut: TrainedTriage['heldOut'];
  let model: TriageModel;
  if (options.validation && options.validation.length > 0) {
    model = fit(rows, linear, options.embeddings);
    predictions = options.validation.map((row) => predictionOf(model, row, options.embeddings));
    heldOut = 'validation';
    options.progress?.('trained; scored the validation rows');
  } else {
    const cv =
      options.crossValidation ??
      crossValidate(rows, { folds: options.folds, linear, progress: options.progress, embeddings: options.embeddings });
    predictions = cv.predictions;
    heldOut = `${cv.folds}-fold cross-validation`;
    model = fit(rows, linear, options.embeddings);
    options.progress?.('trained the final model on every row');
  }
  const { threshold, chosenBy } =
    options.oosThreshold === undefined
      ? chooseThreshold(predictions)
      : { threshold: options.oosThreshold, chosenBy: 'set by the trainer (--oos-threshold)' };
  model.outOfScope = { threshold, learnedLabel: model.outOfScope.learnedLabel, chosenBy };
  const figures = scorePredictions(predictions, threshold);
  model.metadata = {
    trainedAt: new Date().toISOString(),
    rows: rows.length,
    labels: model.labels.length,
    algorithm: options.embeddings
      ? `softmax regression (SGD, L2) over hashed word uni+bigrams and char 3-5-grams (sublinear TF, L2-normalised; int8 weights) and the ${options.embeddings.requirement.dimensions}-d ${options.embeddings.requirement.model} sentence embedding (f32 weights)`
      : 'softmax regression (SGD, L2) over hashed word uni+bigrams and char 3-5-grams, sublinear TF, L2-normalised; int8 weights',
    linear,
    heldOut,
    figures: { ...figures, confusions: figures.confusions.slice(0, 5) },
    ...options.metadata,
  };
  return { model, figures, heldOut };
}
