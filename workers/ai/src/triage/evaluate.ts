/**
 * Figures of a triage model on labelled rows (accuracy, macro-F1, in-scope accuracy, out-of-scope
 * recall, worst confusions), and the choice of the out-of-scope threshold from held-out predictions.
 */
import type { LabelledRow } from './data';
import { outOfScopeLabel, predictIntent, type TriageModel } from './model';

/** What a model said about one held-out row. */
export interface HeldOutPrediction {
  truth: string;
  /** Best in-scope label and its probability. */
  best: string;
  probability: number;
  /** Probability of the learned `out_of_scope` label (0 without one). */
  oos: number;
}

export interface Confusion {
  expected: string;
  predicted: string;
  count: number;
}

export interface TriageFigures {
  rows: number;
  /** Percentages (two decimals). An out-of-scope row is right when called out of scope. */
  accuracy: number;
  macroF1: number;
  /** Right intent among the in-scope rows (a row called out of scope is wrong). */
  inScopeAccuracy: number;
  /** Right best intent among the in-scope rows before the out-of-scope decision (what the threshold costs). */
  topIntentAccuracy: number;
  /** In-scope rows called out of scope. */
  falseOutOfScope: number;
  outOfScopeRows: number;
  /** Null without out-of-scope rows. */
  outOfScopeRecall: number | null;
  threshold: number;
  /** Most frequent (expected, predicted) mistakes, at most 10. */
  confusions: Confusion[];
}

const pct = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10000) / 100);

export function decide(prediction: HeldOutPrediction, threshold: number): string {
  return prediction.oos > prediction.probability || prediction.probability < threshold
    ? outOfScopeLabel
    : prediction.best;
}

export function scorePredictions(predictions: readonly HeldOutPrediction[], threshold: number): TriageFigures {
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let topCorrect = 0;
  let falseOos = 0;
  let oosRows = 0;
  let oosCaught = 0;
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const confusions = new Map<string, Confusion>();
  const bump = (map: Map<string, number>, key: string): void => {
    map.set(key, (map.get(key) ?? 0) + 1);
  };
  for (const p of predictions) {
    const predicted = decide(p, threshold);
    const truthOos = p.truth === outOfScopeLabel;
    if (truthOos) {
      oosRows += 1;
      if (predicted === outOfScopeLabel) oosCaught += 1;
    } else {
      inScope += 1;
      if (predicted === p.truth) inScopeCorrect += 1;
      if (p.best === p.truth) topCorrect += 1;
      if (predicted === outOfScopeLabel) falseOos += 1;
    }
    if (predicted === p.truth) {
      correct += 1;
      bump(tp, p.truth);
    } else {
      bump(fn, p.truth);
      bump(fp, predicted);
      const key = `${p.truth}\n${predicted}`;
      const slot = confusions.get(key) ?? { expected: p.truth, predicted, count: 0 };
      slot.count += 1;
      confusions.set(key, slot);
    }
  }
  const labels = new Set(predictions.map((p) => p.truth));
  let f1Sum = 0;
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const denominator = 2 * t + (fp.get(label) ?? 0) + (fn.get(label) ?? 0);
    f1Sum += denominator === 0 ? 0 : (2 * t) / denominator;
  }
  return {
    rows: predictions.length,
    accuracy: pct(correct, predictions.length),
    macroF1: labels.size === 0 ? 0 : Math.round((f1Sum / labels.size) * 10000) / 100,
    inScopeAccuracy: pct(inScopeCorrect, inScope),
    topIntentAccuracy: pct(topCorrect, inScope),
    falseOutOfScope: pct(falseOos, inScope),
    outOfScopeRows: oosRows,
    outOfScopeRecall: oosRows === 0 ? null : pct(oosCaught, oosRows),
    threshold,
    confusions: [...confusions.values()]
      .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected))
      .slice(0, 10),
  };
}

/** Share of in-scope rows the threshold may turn away when there are no out-of-scope rows to tune on. */
export const noOosRejection = 0.01;
/** Without out-of-scope rows the threshold is at most this: an intent likelier than all others together is kept. */
export const noOosCeiling = 0.5;

/**
 * The out-of-scope threshold from held-out predictions. With out-of-scope rows: the threshold (0 …
 * 0.99 by 0.01) with the best accuracy over all held-out rows, an out-of-scope row counting as right
 * when it is called out of scope (the lowest such threshold on a tie). Without: the
 * probability below which 1 % of the rightly classified rows fall (a message less sure than that is
 * unlike what the model was trained on), at most 0.5 (templated data makes that percentile high).
 */
export function chooseThreshold(predictions: readonly HeldOutPrediction[]): { threshold: number; chosenBy: string } {
  const hasOos = predictions.some((p) => p.truth === outOfScopeLabel);
  if (!hasOos) {
    const right = predictions
      .filter((p) => p.best === p.truth && p.oos <= p.probability)
      .map((p) => p.probability)
      .sort((a, b) => a - b);
    const percentile = right.length === 0 ? 0 : (right[Math.floor(right.length * noOosRejection)] ?? 0);
    return {
      threshold: Math.floor(Math.min(noOosCeiling, percentile) * 1000) / 1000,
      chosenBy: `no out_of_scope rows: the top probability of the lowest ${noOosRejection * 100} % of rightly classified held-out rows, at most ${noOosCeiling}`,
    };
  }
  let best = { threshold: 0, score: -1 };
  for (let step = 0; step < 100; step += 1) {
    const threshold = step / 100;
    const figures = scorePredictions(predictions, threshold);
    if (figures.accuracy > best.score) best = { threshold, score: figures.accuracy };
  }
  return {
    threshold: best.threshold,
    chosenBy: 'the best accuracy on held-out rows, out_of_scope rows included',
  };
}

export function heldOutPrediction(model: TriageModel, row: LabelledRow, embedding?: Float32Array): HeldOutPrediction {
  const probabilities = predictIntent(model, row.text, embedding);
  return {
    truth: row.intent,
    best: probabilities.best,
    probability: probabilities.probability,
    oos: probabilities.oosProbability,
  };
}

/**
 * The model's figures on labelled rows, with its own out-of-scope threshold. A model with embeddings
 * needs each row's (in the order of `rows`; ./embedding-inputs.ts `embedTexts`).
 */
export function evaluateTriage(
  model: TriageModel,
  rows: readonly LabelledRow[],
  embeddings?: readonly (Float32Array | undefined)[],
): TriageFigures {
  return scorePredictions(
    rows.map((row, i) => heldOutPrediction(model, row, embeddings?.[i])),
    model.outOfScope.threshold,
  );
}
