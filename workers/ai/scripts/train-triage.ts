/**
 * Trains the triage model from ../shared/data/bitext-support/train.csv (CDLA-Sharing-1.0), reports
 * 5-fold cross-validated intent accuracy, escalation recall and false escalations, and writes
 * workers/ai/models/triage-model.json (figures in its metadata). Run: npx tsx workers/ai/scripts/train-triage.ts [csv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, crossValidate, defaultCsvPath, labelsOf, loadRows } from '../src/triage/train';

const rows = loadRows(process.argv[2] ?? defaultCsvPath);
const figures = crossValidate(rows, 5);
const model = buildModel(rows, labelsOf(rows));
model.metadata = {
  data: 'Bitext Customer Support LLM Chatbot Training Dataset sample (train.csv), CDLA-Sharing-1.0; see LICENSE-bitext.md',
  algorithm:
    'multinomial naive Bayes, word unigrams+bigrams, alpha 0.1, features seen >= 3 times; offensive words learned from W-tagged rows; log-probabilities x100 as integers',
  crossValidation: figures,
};
const out = join(__dirname, '..', 'models', 'triage-model.json');
writeFileSync(out, `${JSON.stringify(model)}\n`);
console.log(JSON.stringify({ ...figures, bytes: readFileSync(out).length }, null, 2));
