/**
 * The triage quality gate of `baton test`: a journey's `tests/<name>.eval.json` names a model file,
 * a labelled data file (CSV or JSON lines, as `baton triage train` reads them) and the bars the model
 * must reach on it; below a bar the test fails, so CI refuses a model or data change that makes the
 * bot worse.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import { displayPath, type Io } from './io';

export const evalFileSuffix = '.eval.json';

const Fraction = z.number().min(0, 'a bar is a fraction from 0 to 1').max(1, 'a bar is a fraction from 0 to 1');

export const EvalFile = z
  .object({
    $schema: z.string().optional(),
    /** The model file, relative to this file. */
    model: z.string().min(1),
    /** The labelled rows, relative to this file; rows labelled out_of_scope measure out-of-scope recall. */
    data: z.string().min(1),
    /** Share of rows right (an out-of-scope row is right when called out of scope). */
    minAccuracy: Fraction.optional(),
    /** Share of in-scope rows given their intent. */
    minInScopeAccuracy: Fraction.optional(),
    /** Share of out_of_scope rows called out of scope (the data must hold some). */
    minOosRecall: Fraction.optional(),
    minMacroF1: Fraction.optional(),
  })
  .strict()
  .refine(
    (file) =>
      [file.minAccuracy, file.minInScopeAccuracy, file.minOosRecall, file.minMacroF1].some((bar) => bar !== undefined),
    { message: 'give at least one bar (minAccuracy, minInScopeAccuracy, minOosRecall, minMacroF1)' },
  );

export interface GateResult {
  file: string;
  name: string;
  passed: boolean;
  ms: number;
  /** What fell short, or why the gate could not run; the figures when it passed. */
  lines: string[];
}

const percent = (fraction: number) => `${Math.round(fraction * 10000) / 100} %`;

/**
 * Runs one eval file (a model with embeddings embeds the rows first). Never throws: a problem, such
 * as a machine without the embedding model such a model needs, is a failed gate with the reason.
 */
export async function runTriageGate(file: string, io: Pick<Io, 'cwd'>): Promise<GateResult> {
  const shown = displayPath(file, io.cwd);
  const name = basename(file).slice(0, -evalFileSuffix.length);
  const started = Date.now();
  const done = (passed: boolean, lines: string[]): GateResult => ({
    file: shown,
    name: `triage gate ${name}`,
    passed,
    ms: Date.now() - started,
    lines,
  });
  let spec: z.infer<typeof EvalFile>;
  try {
    const parsed = EvalFile.safeParse(JSON.parse(readFileSync(resolve(io.cwd, file), 'utf8')));
    if (!parsed.success)
      return done(
        false,
        parsed.error.issues.map((issue) => `${shown}: /${issue.path.map(String).join('/')}: ${issue.message}`),
      );
    spec = parsed.data;
  } catch (error) {
    return done(false, [`${shown}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const here = dirname(resolve(io.cwd, file));
  const modelPath = resolve(here, spec.model);
  const dataPath = resolve(here, spec.data);
  // Loaded on first use: journeys without an eval file never load the model code.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const artefacts = require('@baton/ai/triage-artefact') as typeof import('@baton/ai/triage-artefact');
  let figures: ReturnType<typeof artefacts.evaluateArtefact>;
  try {
    const artefact = artefacts.parseTriageArtefact(new Uint8Array(readFileSync(modelPath)));
    const rows = artefacts.readLabelledRows(displayPath(dataPath, io.cwd), readFileSync(dataPath, 'utf8'));
    const embeddings = await artefacts.embeddingsForArtefact(
      artefact,
      rows.map((row) => row.text),
    );
    figures = artefacts.evaluateArtefact(artefact, rows, embeddings);
  } catch (error) {
    return done(false, [`${shown}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  // The evaluator gives percentages; the bars are fractions.
  const measured: { bar: number | undefined; what: string; value: number | null }[] = [
    { bar: spec.minAccuracy, what: 'accuracy', value: figures.accuracy / 100 },
    { bar: spec.minInScopeAccuracy, what: 'in-scope accuracy', value: figures.inScopeAccuracy / 100 },
    {
      bar: spec.minOosRecall,
      what: 'out-of-scope recall',
      value: figures.outOfScopeRecall === null ? null : figures.outOfScopeRecall / 100,
    },
    { bar: spec.minMacroF1, what: 'macro-F1', value: figures.macroF1 / 100 },
  ];
  const short: string[] = [];
  for (const { bar, what, value } of measured) {
    if (bar === undefined) continue;
    if (value === null) short.push(`${what}: the data has no out_of_scope rows to measure it on`);
    else if (value < bar) short.push(`${what} ${percent(value)} is below the bar ${percent(bar)}`);
  }
  const summary = `${figures.rows} rows: accuracy ${percent(figures.accuracy / 100)}, in-scope ${percent(figures.inScopeAccuracy / 100)}${
    figures.outOfScopeRecall === null ? '' : `, out-of-scope recall ${percent(figures.outOfScopeRecall / 100)}`
  }, macro-F1 ${percent(figures.macroF1 / 100)}`;
  if (short.length > 0) {
    const confusions = figures.confusions
      .slice(0, 3)
      .map((c) => `${c.expected} → ${c.predicted} (${c.count})`)
      .join(', ');
    return done(false, [...short, summary, ...(confusions ? [`worst confusions: ${confusions}`] : [])]);
  }
  return done(true, [summary]);
}
