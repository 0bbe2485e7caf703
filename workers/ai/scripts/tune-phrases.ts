/**
 * Chooses the example-phrase classifier's calibration (src/embedded/phrases.ts `calibration`) on
 * CLINC150 TRAIN + VAL only: scores every val row once per node (100 and 10 train phrases per
 * banking/credit-card intent), then tries a grid of gate and temperature settings and prints, per
 * setting, the figures at minConfidence 0.5 (calibrationFor takes the best for 10 and for 100). Run: npx tsx workers/ai/scripts/tune-phrases.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, scoreIntents, shareOf, type Scored } from '../src/embedded/phrases';
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
const pct = (a: number, b: number): number => Math.round((a / b) * 1000) / 10;

const scoredBy = [100, 10].map((perIntent) => {
  const model = buildModel(
    known.map((name) => ({
      name,
      examples: train
        .filter((row) => row.intent === name)
        .slice(0, perIntent)
        .map((row) => row.text),
    })),
  );
  return { perIntent, rows: val.map((row) => ({ row, scored: scoreIntents(model, row.text) as Scored[] })) };
});

const grid = {
  linearShare: [0.5, 0.7, 0.85, 1],
  linearTemperature: [0.3, 0.5, 0.7, 1],
  gateFloor: [0.06, 0.1, 0.15],
  gateSpan: [0.1, 0.2, 0.3],
};
for (const linearShare of grid.linearShare)
  for (const linearTemperature of grid.linearTemperature)
    for (const gateFloor of grid.gateFloor)
      for (const gateSpan of grid.gateSpan) {
        const parameters = { linearShare, linearTemperature, gateFloor, gateSpan };
        const figures = scoredBy.map(({ perIntent, rows }) => {
          let right = 0;
          let needless = 0;
          let inScope = 0;
          let caught = 0;
          let outside = 0;
          for (const { row, scored } of rows) {
            const share = shareOf(scored, parameters);
            let best = '';
            let top = -1;
            for (const [name, value] of share) if (value > top) [best, top] = [name, value];
            const taken = top >= 0.5;
            if (knownSet.has(row.intent)) {
              inScope += 1;
              if (!taken) needless += 1;
              else if (best === row.intent) right += 1;
            } else {
              outside += 1;
              if (!taken) caught += 1;
            }
          }
          return {
            perIntent,
            right: pct(right, inScope),
            needless: pct(needless, inScope),
            caught: pct(caught, outside),
          };
        });
        console.log(JSON.stringify({ linearShare, linearTemperature, gateFloor, gateSpan, figures }));
      }
