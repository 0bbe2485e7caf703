/**
 * `baton triage train DATA… --out MODEL [--validation VAL] [--folds N] [--with-corrections]` and
 * `baton triage eval DATA --model MODEL [--min-accuracy A] [--min-oos-recall R]`: train a triage
 * model on the team's own labelled messages (CSV or JSON lines, see @baton/ai/triage/train) and
 * measure one. Figures go to stdout, progress to stderr; a data or model problem exits 2 naming the
 * file and line, a model below a bar exits 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { TriageFigures } from '@baton/ai/triage/train';
import { apiBase, apiRequest, problemText } from './http';
import { CliError, displayPath, type Io } from './io';

type TrainModule = typeof import('@baton/ai/triage/train');
type TriageModule = typeof import('@baton/ai/triage');

// Loaded on first use: only these commands need the trainer.
function trainer(): TrainModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@baton/ai/triage/train') as TrainModule;
}
function triageModule(): TriageModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@baton/ai/triage') as TriageModule;
}

function readData(paths: readonly string[], io: Io, minLabels = 2): ReturnType<TrainModule['loadTriageData']> {
  const { loadTriageData, TriageDataError } = trainer();
  try {
    return loadTriageData(
      paths.map((path) => displayPath(path, io.cwd)),
      (path) => readFileSync(resolve(io.cwd, path)),
      minLabels,
    );
  } catch (error) {
    if (error instanceof TriageDataError) throw new CliError(error.message, 2);
    if (error instanceof Error && 'code' in error) throw new CliError(`cannot read data: ${error.message}`, 2);
    throw error;
  }
}

/** A percentage option: a number from 0 to 100. */
export function percentage(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 100)
    throw new CliError(`${name} must be a percentage from 0 to 100, got ${JSON.stringify(value)}`, 2);
  return number;
}

function figureLines(figures: TriageFigures): string[] {
  const lines = [
    `accuracy ${figures.accuracy} %, macro-F1 ${figures.macroF1} % (${figures.rows} rows)`,
    `in-scope accuracy ${figures.inScopeAccuracy} %, called out of scope ${figures.falseOutOfScope} % (best intent right before the out-of-scope decision: ${figures.topIntentAccuracy} %)`,
    figures.outOfScopeRecall === null
      ? 'out-of-scope recall: no out_of_scope rows'
      : `out-of-scope recall ${figures.outOfScopeRecall} % (${figures.outOfScopeRows} rows)`,
  ];
  if (figures.confusions.length > 0) {
    lines.push('worst confusions (expected → predicted: rows):');
    for (const c of figures.confusions) lines.push(`  ${c.expected} → ${c.predicted}: ${c.count}`);
  }
  return lines;
}

export interface TrainCommandOptions {
  out: string;
  validation?: string;
  folds?: string;
  /** Add the agents' intent corrections stored by a running API. */
  withCorrections?: boolean;
  /** Only the corrections made in this journey. */
  journey?: string;
  api?: string;
  /** `minilm`: also weigh a sentence embedding of each text (all-MiniLM-L6-v2; scripts/minilm-model.sh). */
  embeddings?: string;
  /** `auto` (default): chosen on the held-out predictions; or a fixed threshold from 0 to 1. */
  oosThreshold?: string;
}

/** `--oos-threshold`: undefined for `auto`, else a number from 0 to 1. */
export function oosThresholdOption(value: string | undefined): number | undefined {
  if (value === undefined || value === 'auto') return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1)
    throw new CliError(`--oos-threshold must be auto or a number from 0 to 1, got ${JSON.stringify(value)}`, 2);
  return number;
}

export const embeddingKinds = ['minilm'] as const;

const CorrectionRows = z.object({
  rows: z
    .array(z.object({ text: z.string().min(1).max(4000), intent: z.string().min(1).max(200) }).loose())
    .max(1_000_000),
});

/**
 * The agents' corrections as training rows. Only those labelled with an intent of the data (or
 * out_of_scope) are learned: a correction to a journey's own intent name ("yes" at one ask) means
 * nothing to a model trained on other labels.
 */
export async function correctionRows(
  labels: ReadonlySet<string>,
  options: { journey?: string; api?: string },
  io: Io,
): Promise<{ rows: { text: string; intent: string }[]; skipped: number }> {
  const query = options.journey ? `?journeyId=${encodeURIComponent(options.journey)}` : '';
  const answer = await apiRequest('GET', `${apiBase(options.api, io)}/api/triage-corrections${query}`);
  if (answer.status !== 200) throw new CliError(`reading the agents' corrections failed: ${problemText(answer)}`, 1);
  const parsed = CorrectionRows.safeParse(answer.body);
  if (!parsed.success)
    throw new CliError(`the API answered no list of corrections: ${parsed.error.issues[0]?.message ?? ''}`, 1);
  const rows: { text: string; intent: string }[] = [];
  let skipped = 0;
  for (const row of parsed.data.rows) {
    if (labels.has(row.intent) || row.intent === 'out_of_scope') rows.push({ text: row.text, intent: row.intent });
    else skipped += 1;
  }
  return { rows, skipped };
}

export async function runTriageTrain(data: readonly string[], options: TrainCommandOptions, io: Io): Promise<number> {
  if (options.embeddings !== undefined && !(embeddingKinds as readonly string[]).includes(options.embeddings))
    throw new CliError(
      `--embeddings must be one of ${embeddingKinds.join(', ')}, got ${JSON.stringify(options.embeddings)}`,
      2,
    );
  const oosThreshold = oosThresholdOption(options.oosThreshold);
  const folds = options.folds === undefined ? 5 : Number(options.folds);
  if (!Number.isInteger(folds) || folds < 2 || folds > 20)
    throw new CliError(`--folds must be an integer from 2 to 20, got ${JSON.stringify(options.folds)}`, 2);
  const training = readData(data, io);
  const validation = options.validation ? readData([options.validation], io, 1) : undefined;
  const labels = new Set(training.rows.map((row) => row.intent));
  if (options.withCorrections) {
    const corrections = await correctionRows(labels, options, io);
    const known = new Set(training.rows.map((row) => `${row.intent}\u0000${row.text}`));
    const added = corrections.rows.filter((row) => !known.has(`${row.intent}\u0000${row.text}`));
    training.rows.push(...added);
    io.err(
      `${added.length} agents' corrections added${corrections.skipped ? `; ${corrections.skipped} skipped (labelled with an intent the data does not have)` : ''}`,
    );
  } else if (options.journey) throw new CliError('--journey needs --with-corrections', 2);
  io.err(
    `${training.rows.length} rows, ${labels.size} labels${training.duplicates ? `; ${training.duplicates} duplicate rows dropped` : ''}${training.conflicts ? `; ${training.conflicts} texts under more than one label` : ''}`,
  );
  if (!validation && training.rows.length < folds)
    throw new CliError(`${training.rows.length} rows cannot make ${folds} folds`, 2);
  const { trainTriage, trainingEmbeddings } = trainer();
  let embeddings: Awaited<ReturnType<typeof trainingEmbeddings>> | undefined;
  if (options.embeddings) {
    const embedder = await loadTrainingEmbedder();
    const started = Date.now();
    embeddings = await trainingEmbeddings(embedder, training.rows, validation?.rows);
    io.err(`embedded the texts with ${embedder.id} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const { model, figures, heldOut } = trainTriage(training.rows, {
    folds,
    embeddings,
    oosThreshold,
    validation: validation?.rows,
    progress: (message) => io.err(message),
    metadata: { data: data.map((path) => displayPath(path, io.cwd)), validation: options.validation },
  });
  const { triageModelToJson } = triageModule();
  const text = triageModelToJson(model);
  try {
    writeFileSync(resolve(io.cwd, options.out), text);
  } catch (error) {
    throw new CliError(`cannot write ${options.out}: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  io.out(`${heldOut}:`);
  for (const line of figureLines(figures)) io.out(`  ${line}`);
  io.out(`out-of-scope threshold ${model.outOfScope.threshold} (${model.outOfScope.chosenBy})`);
  io.out(
    `wrote ${displayPath(options.out, io.cwd)} (${Buffer.byteLength(text)} bytes, ${model.labels.length} intents)`,
  );
  return 0;
}

type EmbeddingsModule = typeof import('@baton/ai/embeddings');

async function loadTrainingEmbedder(): Promise<import('@baton/ai/embeddings').Embedder> {
  // Loaded on first use: only --embeddings needs the embedder (and onnxruntime-node).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const embeddings = require('@baton/ai/embeddings') as EmbeddingsModule;
  const { loadEmbedder, EmbeddingModelMissingError } = embeddings;
  try {
    return await loadEmbedder();
  } catch (error) {
    if (error instanceof EmbeddingModelMissingError) throw new CliError(`--embeddings minilm: ${error.message}`, 2);
    throw error;
  }
}

/** The embeddings a model needs for these texts (none for a model without); a machine without them exits 2. */
export async function embeddingsFor(
  model: ReturnType<TriageModule['parseTriageModel']>,
  texts: readonly string[],
  path: string,
): Promise<(Float32Array | undefined)[]> {
  const { embedTexts, TriageEmbeddingsError } = triageModule();
  try {
    return await embedTexts(model, texts);
  } catch (error) {
    if (error instanceof TriageEmbeddingsError) throw new CliError(`${path}: ${error.message}`, 2);
    throw error;
  }
}

export interface EvalCommandOptions {
  model: string;
  minAccuracy?: string;
  minOosRecall?: string;
}

export function loadModelFile(path: string, io: Io): ReturnType<TriageModule['parseTriageModel']> {
  const { parseTriageModel, TriageModelFormatError } = triageModule();
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(io.cwd, path));
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  try {
    return parseTriageModel(bytes);
  } catch (error) {
    if (error instanceof TriageModelFormatError) throw new CliError(`${path}: ${error.message}`, 2);
    throw error;
  }
}

export async function runTriageEval(data: string, options: EvalCommandOptions, io: Io): Promise<number> {
  const minAccuracy = percentage('--min-accuracy', options.minAccuracy);
  const minOosRecall = percentage('--min-oos-recall', options.minOosRecall);
  const model = loadModelFile(options.model, io);
  const rows = readData([data], io, 1).rows;
  const embeddings = await embeddingsFor(
    model,
    rows.map((row) => row.text),
    options.model,
  );
  const figures = trainer().evaluateTriage(model, rows, embeddings);
  for (const line of figureLines(figures)) io.out(line);
  const failures: string[] = [];
  if (minAccuracy !== undefined && figures.accuracy < minAccuracy)
    failures.push(`accuracy ${figures.accuracy} % is below ${minAccuracy} %`);
  if (minOosRecall !== undefined) {
    if (figures.outOfScopeRecall === null) failures.push('--min-oos-recall: the data has no out_of_scope rows');
    else if (figures.outOfScopeRecall < minOosRecall)
      failures.push(`out-of-scope recall ${figures.outOfScopeRecall} % is below ${minOosRecall} %`);
  }
  for (const failure of failures) io.err(failure);
  return failures.length > 0 ? 1 : 0;
}
