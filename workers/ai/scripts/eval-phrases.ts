/**
 * How well the embedded provider's example-phrase classifier knows what it knows, on CLINC150 TRAIN +
 * VAL only: a classify node with the 30 banking + credit_cards intents, built from N train phrases
 * per intent (100 and 10), evaluated on val.csv rows of those intents (in-scope accuracy, needless
 * fallbacks at minConfidence 0.5) and on val's out_of_scope rows plus other domains' val rows
 * (share caught, i.e. sent to the fallback).
 * Run: npx tsx workers/ai/scripts/eval-phrases.ts [minConfidence …]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbeddedProvider } from '../src/embedded';
import type { IntentExamples } from '../src/provider';
import { parseCsv } from '../src/triage/train';

const dataDir = join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'clinc150');

function rowsOf(file: string): { text: string; intent: string }[] {
  const [, ...body] = parseCsv(readFileSync(join(dataDir, file), 'utf8'));
  return body.filter((row) => row.length === 2).map(([text, intent]) => ({ text: text ?? '', intent: intent ?? '' }));
}

const domains = JSON.parse(readFileSync(join(dataDir, 'domains.json'), 'utf8')) as Record<string, string[]>;
const known = [...(domains.banking ?? []), ...(domains.credit_cards ?? [])];
const knownSet = new Set(known);
const train = rowsOf('train.csv');
const val = rowsOf('val.csv');
const thresholds = process.argv.slice(2).map(Number);
if (thresholds.length === 0) thresholds.push(0.5, 0.3);

const pct = (a: number, b: number): number => Math.round((a / b) * 1000) / 10;

for (const perIntent of [100, 10]) {
  const intents: IntentExamples[] = known.map((name) => ({
    name,
    examples: train
      .filter((row) => row.intent === name)
      .slice(0, perIntent)
      .map((row) => row.text),
  }));
  const provider = createEmbeddedProvider();
  const inScope = val.filter((row) => knownSet.has(row.intent));
  const outside = val.filter((row) => !knownSet.has(row.intent));
  const building = process.hrtime.bigint();
  provider.classifyIntent('hello', intents);
  const buildMs = Number(process.hrtime.bigint() - building) / 1e6;
  const started = process.hrtime.bigint();
  // The example phrases alone: no CLINC150 intent maps to the trained triage model, so this is what
  // a classify node's combined intent answers for them.
  const classify = (text: string): { intent: string | null; confidence: number } =>
    provider.classifyIntent(text, intents);
  const inResults = inScope.map((row) => ({ row, out: classify(row.text) }));
  const outResults = outside.map((row) => ({ row, out: classify(row.text) }));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  for (const threshold of thresholds) {
    const taken = (out: { intent: string | null; confidence: number }): boolean =>
      out.intent !== null && out.confidence >= threshold;
    const right = inResults.filter(({ row, out }) => taken(out) && out.intent === row.intent).length;
    const needless = inResults.filter(({ out }) => !taken(out)).length;
    const oos = outResults.filter(({ row }) => row.intent === 'out_of_scope');
    const other = outResults.filter(({ row }) => row.intent !== 'out_of_scope');
    console.log(
      JSON.stringify({
        perIntent,
        minConfidence: threshold,
        inScopeRows: inScope.length,
        inScopeRight: pct(right, inScope.length),
        needlessFallback: pct(needless, inScope.length),
        outOfScopeRows: oos.length,
        outOfScopeCaught: pct(oos.filter(({ out }) => !taken(out)).length, oos.length),
        otherDomainRows: other.length,
        otherDomainsCaught: pct(other.filter(({ out }) => !taken(out)).length, other.length),
        rightIgnoringThreshold: pct(
          inResults.filter(({ row, out }) => out.intent === row.intent).length,
          inScope.length,
        ),
        buildMs: Math.round(buildMs),
        msPerMessage: Math.round((ms / (inScope.length + outside.length)) * 1000) / 1000,
      }),
    );
  }
}
