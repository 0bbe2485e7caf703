/**
 * The opt-in embedding triage (`baton triage train --embeddings minilm`), called by triage.ts:
 * messages/s on one core (embedding + intent, one message at a time, as a classify node asks), the
 * time to train one Banking77 model with embeddings (embedding every text included) and its file
 * size. Without the MiniLM files (scripts/minilm-model.sh) it says it skipped.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { findEmbeddingFiles, loadEmbedder } from '@baton/ai/embeddings';
import { predictIntent, triageModelToJson } from '@baton/ai/triage';
import { loadTriageData, trainingEmbeddings, trainTriage } from '@baton/ai/triage/train';

const targets = { trainSeconds: 60, messagesPerSecond: 5000, modelMegabytes: 20 };

function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

export async function benchEmbeddingTriage(banking77: string): Promise<void> {
  try {
    findEmbeddingFiles();
  } catch (error) {
    console.log(`embedding triage: skipped (${error instanceof Error ? error.message : String(error)})`);
    return;
  }
  if (!existsSync(banking77)) {
    console.log(`embedding triage: skipped (${banking77} is absent)`);
    return;
  }
  const embedder = await loadEmbedder({ threads: 1 });
  const { rows } = loadTriageData([banking77]);
  let start = performance.now();
  let cpuStart = process.cpuUsage();
  const embeddings = await trainingEmbeddings(embedder, rows);
  const embedSeconds = (performance.now() - start) / 1000;
  const embedCpu = cpuSeconds(cpuStart);
  // The final model only, as triage.ts measures the n-gram one.
  const trainStart = performance.now();
  const trainCpuStart = process.cpuUsage();
  const trained = trainTriage(rows, { validation: rows.slice(0, 1), embeddings });
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const trainCpu = cpuSeconds(trainCpuStart);
  const megabytes = Buffer.byteLength(triageModelToJson(trained.model)) / 1024 / 1024;
  console.log(
    `embedding triage training on Banking77 (${rows.length} rows): embedding ${embedSeconds.toFixed(1)} s wall (${embedCpu.toFixed(1)} s CPU) + training ${trainSeconds.toFixed(1)} s wall (${trainCpu.toFixed(1)} s CPU) = ${(embedCpu + trainCpu).toFixed(1)} s CPU (target ≤ ${targets.trainSeconds} s; ${(embedSeconds + trainSeconds).toFixed(1)} s wall); model file ${megabytes.toFixed(2)} MB (target ≤ ${targets.modelMegabytes} MB)`,
  );

  const texts = rows.slice(0, 1000).map((row) => row.text);
  for (const text of texts.slice(0, 50)) predictIntent(trained.model, text, (await embedder.embed([text]))[0]);
  start = performance.now();
  cpuStart = process.cpuUsage();
  for (const text of texts) predictIntent(trained.model, text, (await embedder.embed([text]))[0]);
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuSeconds(cpuStart);
  console.log(
    `embedding triage throughput (embedding + intent, one message at a time, 1 onnxruntime thread): ${Math.round(texts.length / seconds)} messages/s wall, ${Math.round(texts.length / cpu)} per CPU second (${texts.length} messages; the n-gram target ≥ ${targets.messagesPerSecond} does not apply to this opt-in model)`,
  );
  await embedder.release();
}
