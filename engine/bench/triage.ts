/**
 * Triage benchmark: 5-fold cross-validated intent accuracy, escalation recall and false escalations
 * on ../shared/data/bitext-support/train.csv when it is there (otherwise the figures stored in the
 * model's metadata by the training script), and messages/s on one core.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadTriageModel, triage } from '@baton/ai/triage';
import { crossValidate, defaultCsvPath, loadRows } from '@baton/ai/triage/train';

const model = loadTriageModel();
const csvPath = process.env.BATON_TRIAGE_CSV ?? defaultCsvPath;
let texts: string[];
if (existsSync(csvPath)) {
  const rows = loadRows(csvPath);
  console.log('triage: 5-fold cross-validation on', csvPath);
  console.log(JSON.stringify(crossValidate(rows, 5), null, 2));
  texts = rows.map((row) => row.text);
} else {
  console.log(`triage: ${csvPath} is absent; cross-validated figures from the training run (model metadata):`);
  console.log(JSON.stringify(model.metadata.crossValidation, null, 2));
  const synthetic = [
    'where is my order',
    'I want to speak to a human',
    'how do I reset my password?',
    'this is ridiculous, I have tried everything',
    'can I get a refund for order 12345',
    'please cancel my subscription',
  ];
  texts = Array.from(
    { length: 3000 },
    (_, i) => `${synthetic[i % synthetic.length] as string} ${i % 7 === 0 ? 'please' : ''}`,
  );
}
for (const text of texts.slice(0, 500)) triage(text, model); // warm-up
const rounds = Math.max(1, Math.ceil(20000 / texts.length));
const start = performance.now();
let n = 0;
for (let r = 0; r < rounds; r += 1)
  for (const text of texts) {
    triage(text, model);
    n += 1;
  }
const seconds = (performance.now() - start) / 1000;
console.log(`triage throughput: ${Math.round(n / seconds)} messages/s on one core (${n} messages)`);
