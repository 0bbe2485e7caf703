/**
 * The built-in model's figures on the Bitext sample: cross-validated intent figures and, with the
 * fold models in `triage()`, escalation recall (complaint, contact_human_agent and offensive
 * `W`-tagged rows must escalate) and false escalations (any other row that escalates).
 */
import { type TriageFigures, chooseThreshold, scorePredictions } from './evaluate';
import { triage } from './index';
import type { LinearOptions } from '../linear';
import { crossValidate, triageLinearOptions, type CrossValidation, type Row } from './train';

export interface BitextFigures {
  intent: TriageFigures;
  escalationRecall: number;
  escalationRecallBy: Record<string, { rows: number; recall: number }>;
  falseEscalations: number;
  crossValidation: CrossValidation;
}

const pct = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10000) / 100);

/** Bitext's settings: word weight 1 is as good by 5-fold CV as 3 and keeps "where is my order 12345?" track_order (docs/ai.md). */
export const bitextLinearOptions: LinearOptions = { ...triageLinearOptions, wordWeight: 1 };

export function crossValidateBitext(rows: readonly Row[], folds = 5, linear = bitextLinearOptions): BitextFigures {
  const cv = crossValidate(rows, { folds, linear });
  const { threshold } = chooseThreshold(cv.predictions);
  const recallBy: Record<string, [number, number]> = {
    complaint: [0, 0],
    contact_human_agent: [0, 0],
    offensive_W: [0, 0],
  };
  let mustEscalate = 0;
  let escalated = 0;
  let others = 0;
  let falseEscalations = 0;
  rows.forEach((row, i) => {
    const model = cv.models[cv.fold[i] as number];
    if (!model) return;
    const out = triage(row.text, { ...model, outOfScope: { ...model.outOfScope, threshold } });
    const must = row.intent === 'complaint' || row.intent === 'contact_human_agent' || row.offensive;
    if (must) {
      mustEscalate += 1;
      if (out.escalate) escalated += 1;
    } else {
      others += 1;
      if (out.escalate) falseEscalations += 1;
    }
    for (const key of [row.intent, row.offensive ? 'offensive_W' : '']) {
      const slot = recallBy[key];
      if (slot) {
        slot[0] += 1;
        if (out.escalate) slot[1] += 1;
      }
    }
  });
  return {
    intent: scorePredictions(cv.predictions, threshold),
    escalationRecall: pct(escalated, mustEscalate),
    escalationRecallBy: Object.fromEntries(
      Object.entries(recallBy).map(([key, [n, e]]) => [key, { rows: n, recall: pct(e, n) }]),
    ),
    falseEscalations: pct(falseEscalations, others),
    crossValidation: cv,
  };
}
