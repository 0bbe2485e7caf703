/**
 * Example-phrase classify benchmark: a classify node with CLINC150's 30 banking and credit-card
 * intents (100 and 10 train phrases each; synthetic phrases without ../shared): the time to build
 * the node's model on its first message (then cached), and the latency of `classify` (intent,
 * sentiment and frustration) per message afterwards, p50 and p99, on val.csv texts.
 * Run: npx tsx engine/bench/phrases.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEmbeddedProvider, type IntentExamples } from '@baton/ai';
import { parseCsv } from '@baton/ai/triage/train';

const dataDir = join(__dirname, '..', '..', '..', 'shared', 'data', 'clinc150');

function rowsOf(file: string): { text: string; intent: string }[] {
  const [, ...body] = parseCsv(readFileSync(join(dataDir, file), 'utf8'));
  return body.filter((row) => row.length === 2).map(([text, intent]) => ({ text: text ?? '', intent: intent ?? '' }));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

let intentsOf: (perIntent: number) => IntentExamples[];
let texts: string[];
if (existsSync(join(dataDir, 'train.csv'))) {
  const domains = JSON.parse(readFileSync(join(dataDir, 'domains.json'), 'utf8')) as Record<string, string[]>;
  const known = [...(domains.banking ?? []), ...(domains.credit_cards ?? [])];
  const train = rowsOf('train.csv');
  intentsOf = (perIntent) =>
    known.map((name) => ({
      name,
      examples: train
        .filter((row) => row.intent === name)
        .slice(0, perIntent)
        .map((row) => row.text),
    }));
  texts = rowsOf('val.csv')
    .filter((_, index) => index % 3 === 0)
    .map((row) => row.text);
} else {
  console.log(`phrases: ${dataDir} is absent; synthetic intents`);
  intentsOf = (perIntent) =>
    Array.from({ length: 30 }, (_, i) => ({
      name: `intent_${i}`,
      examples: Array.from({ length: perIntent }, (_, j) => `request ${i} about topic ${i * 7} variant ${j}`),
    }));
  texts = Array.from({ length: 1000 }, (_, i) => `a question about topic ${(i * 13) % 210} please`);
}

async function main(): Promise<void> {
  for (const perIntent of [100, 10]) {
    const provider = createEmbeddedProvider();
    const intents = intentsOf(perIntent);
    const started = performance.now();
    await provider.classify('hello', intents);
    const buildMs = performance.now() - started;
    const latencies: number[] = [];
    for (const text of texts) {
      const before = performance.now();
      await provider.classify(text, intents);
      latencies.push(performance.now() - before);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        phrases: `30 intents x ${perIntent} example phrases`,
        firstMessageMs: Math.round(buildMs),
        messages: latencies.length,
        classifyP50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
        classifyP99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
      }),
    );
  }
}

void main();
