/**
 * Triage benchmark. Bitext (the built-in model's data): 5-fold cross-validated intent figures,
 * escalation recall and false escalations. Banking77: the time to train one model on its whole
 * train.csv and the model file's size. Throughput of `triage()` on one core. Without ../shared it
 * prints the figures stored in the built-in model and measures throughput on a few phrases.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadTriageModel, predictIntent, triage, triageModelToJson } from '@baton/ai/triage';
import { crossValidateBitext } from '@baton/ai/triage/bitext';
import { defaultCsvPath, loadRows, loadTriageData, trainTriage } from '@baton/ai/triage/train';

const targets = { trainSeconds: 60, messagesPerSecond: 5000, modelMegabytes: 20 };
const model = loadTriageModel();
const csvPath = process.env.BATON_TRIAGE_CSV ?? defaultCsvPath;
const banking77 = join(csvPath, '..', '..', 'banking77', 'train.csv');

let texts: string[];
if (existsSync(csvPath)) {
  const rows = loadRows(csvPath);
  console.log('triage: 5-fold cross-validation on', csvPath);
  const { crossValidation: _cv, ...figures } = crossValidateBitext(rows, 5);
  console.log(JSON.stringify(figures, null, 2));
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

if (existsSync(banking77)) {
  const { rows } = loadTriageData([banking77]);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  // The final model only: the threshold's cross-validation is `baton triage train`'s extra cost.
  const trained = trainTriage(rows, { validation: rows.slice(0, 1) });
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuSeconds(cpuStart);
  const megabytes = Buffer.byteLength(triageModelToJson(trained.model)) / 1024 / 1024;
  console.log(
    `triage training on Banking77 (${rows.length} rows, ${trained.model.labels.length} intents): ${seconds.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU (target ≤ ${targets.trainSeconds} s); model file ${megabytes.toFixed(2)} MB (target ≤ ${targets.modelMegabytes} MB)`,
  );
}

/** CPU seconds of this process since `start`: on a shared machine the wall clock also counts the others' work. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function throughput(label: string, run: (text: string) => unknown): void {
  for (const text of texts.slice(0, 500)) run(text); // warm-up
  const rounds = Math.max(1, Math.ceil(20000 / texts.length));
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let n = 0;
  for (let r = 0; r < rounds; r += 1)
    for (const text of texts) {
      run(text);
      n += 1;
    }
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuSeconds(cpuStart);
  console.log(
    `${label}: ${Math.round(n / seconds)} messages/s wall, ${Math.round(n / cpu)} per CPU second on one core (${n} messages; target ≥ ${targets.messagesPerSecond})`,
  );
}
throughput('triage throughput (intent + frustration + sentiment)', (text) => triage(text, model));
throughput('intent model alone', (text) => predictIntent(model, text));

// The opt-in embedding triage: its own figures (skipped without the MiniLM files).
void import('./triage-embeddings').then(({ benchEmbeddingTriage }) => benchEmbeddingTriage(banking77));
