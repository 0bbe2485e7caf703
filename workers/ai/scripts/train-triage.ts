/**
 * Trains the built-in triage model from ../shared/data/bitext-support/train.csv (CDLA-Sharing-1.0),
 * reports 5-fold cross-validated intent figures, escalation recall and false escalations, and writes
 * workers/ai/models/triage-model.json (figures in its metadata).
 * Run: npx tsx workers/ai/scripts/train-triage.ts [csv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bitextLinearOptions, crossValidateBitext } from '../src/triage/bitext';
import { triageModelToJson } from '../src/triage/model';
import { defaultCsvPath, loadRows, trainTriage } from '../src/triage/train';

const rows = loadRows(process.argv[2] ?? defaultCsvPath);
const bitext = crossValidateBitext(rows, 5);
const { model, figures } = trainTriage(rows, {
  folds: 5,
  linear: bitextLinearOptions,
  crossValidation: bitext.crossValidation,
  metadata: {
    data: 'Bitext Customer Support LLM Chatbot Training Dataset sample (train.csv), CDLA-Sharing-1.0; see LICENSE-bitext.md',
  },
});
model.metadata = {
  ...model.metadata,
  crossValidation: {
    folds: 5,
    intentAccuracy: bitext.intent.accuracy,
    macroF1: bitext.intent.macroF1,
    escalationRecall: bitext.escalationRecall,
    escalationRecallBy: bitext.escalationRecallBy,
    falseEscalations: bitext.falseEscalations,
  },
};
const out = join(__dirname, '..', 'models', 'triage-model.json');
writeFileSync(out, triageModelToJson(model));
const { crossValidation: _cv, ...shown } = bitext;
console.log(JSON.stringify({ bitext: shown, figures, bytes: readFileSync(out).length }, null, 2));
