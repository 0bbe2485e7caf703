/**
 * Trains the frustration model (workers/ai/src/frustration) on ../shared/data/bitext-support/train.csv
 * (CDLA-Sharing-1.0): "asks for a person" from contact_human_agent rows, "complains" from complaint
 * rows, "profanity" from W-tagged rows, every other row a negative. Prints 5-fold cross-validated
 * escalation recall and false escalations on Bitext, the false-escalation rate on language not from
 * Bitext (CLINC150 train+val, Banking77 train: none of it complaints) and the hand-written phrasings
 * of test/frustration-phrasings.ts, then writes workers/ai/models/frustration-model.json.
 * `--corrections FILE` adds agents' corrections (JSON lines {text, escalate, signal?}) to every training.
 * Run: npx tsx workers/ai/scripts/train-frustration.ts [--dry-run] [--corrections FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assessFrustration,
  parseEscalationCorrections,
  trainFrustration,
  type FrustrationModel,
  type LabelledText,
} from '../src/frustration';
import { defaultFrustrationModelPath } from '../src/frustration/model';
import { loadRows, parseCsv, type Row } from '../src/triage/train';
import {
  complaintPhrasings,
  freshComplaints,
  freshOrdinary,
  ordinaryPhrasings,
  untouchedComplaints,
  untouchedOrdinary,
} from '../test/frustration-phrasings';

const dataDir = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
const pct = (a: number, b: number): number => Math.round((a / b) * 1000) / 10;

function labelled(row: Row): LabelledText {
  const positive = new Set<'person' | 'complaint' | 'profanity'>();
  if (row.intent === 'contact_human_agent') positive.add('person');
  if (row.intent === 'complaint') positive.add('complaint');
  if (row.offensive) positive.add('profanity');
  return { text: row.text, positive };
}

const mustEscalate = (row: Row): boolean =>
  row.intent === 'complaint' || row.intent === 'contact_human_agent' || row.offensive;

function textsOf(file: string, column: string): { text: string; label: string }[] {
  const [header, ...body] = parseCsv(readFileSync(join(dataDir, file), 'utf8'));
  const textAt = (header ?? []).indexOf(column);
  const labelAt =
    (header ?? []).length -
    1 -
    (header ?? [])
      .slice()
      .reverse()
      .findIndex((name) => name !== column);
  return body
    .filter((row) => row.length === (header ?? []).length)
    .map((row) => ({ text: row[textAt] ?? '', label: row[labelAt] ?? '' }));
}

const rows = loadRows();
const correctionsAt = process.argv.indexOf('--corrections');
const correctionsPath = correctionsAt >= 0 ? process.argv[correctionsAt + 1] : undefined;
const corrections = correctionsPath
  ? parseEscalationCorrections(readFileSync(correctionsPath, 'utf8'), correctionsPath)
  : [];
const k = 5;
const order = rows.map((_, i) => i);
let seed = 42;
for (let i = order.length - 1; i > 0; i -= 1) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  const j = Math.floor((seed / 2147483648) * (i + 1));
  [order[i], order[j]] = [order[j] as number, order[i] as number];
}
const recall: Record<string, [number, number]> = {
  complaint: [0, 0],
  contact_human_agent: [0, 0],
  offensive_W: [0, 0],
};
let must = 0;
let caught = 0;
let others = 0;
let falseEscalations = 0;
for (let fold = 0; fold < k; fold += 1) {
  const model = trainFrustration([
    ...order.filter((_, i) => i % k !== fold).map((i) => labelled(rows[i] as Row)),
    ...corrections,
  ]);
  for (const row of order.filter((_, i) => i % k === fold).map((i) => rows[i] as Row)) {
    const { escalate } = assessFrustration(row.text, [], model);
    if (mustEscalate(row)) {
      must += 1;
      if (escalate) caught += 1;
    } else {
      others += 1;
      if (escalate) falseEscalations += 1;
    }
    for (const key of [row.intent, ...(row.offensive ? ['offensive_W'] : [])]) {
      const slot = recall[key];
      if (!slot) continue;
      slot[0] += 1;
      if (escalate) slot[1] += 1;
    }
  }
}

const model: FrustrationModel = trainFrustration([...rows.map(labelled), ...corrections]);
const escalated = (texts: readonly string[]): number =>
  pct(texts.filter((text) => assessFrustration(text, [], model).escalate).length, texts.length);
const clinc = [...textsOf('clinc150/train.csv', 'text'), ...textsOf('clinc150/val.csv', 'text')];
const banking = textsOf('banking77/train.csv', 'text');
const figures = {
  bitextCrossValidation: {
    rows: rows.length,
    folds: k,
    escalationRecall: pct(caught, must),
    escalationRecallBy: Object.fromEntries(
      Object.entries(recall).map(([key, [n, hit]]) => [key, { rows: n, recall: pct(hit, n) }]),
    ),
    falseEscalations: pct(falseEscalations, others),
  },
  notFromBitext: {
    clincTrainValRows: clinc.length,
    clincFalseEscalations: escalated(clinc.map((row) => row.text)),
    banking77TrainRows: banking.length,
    banking77FalseEscalations: escalated(banking.map((row) => row.text)),
    handwrittenComplaintsEscalated: escalated(complaintPhrasings),
    handwrittenOrdinaryEscalated: escalated(ordinaryPhrasings),
    freshComplaintsEscalated: escalated(freshComplaints),
    freshOrdinaryEscalated: escalated(freshOrdinary),
    untouchedComplaintsEscalated: escalated(untouchedComplaints),
    untouchedOrdinaryEscalated: escalated(untouchedOrdinary),
  },
};
model.metadata = {
  data: 'Bitext Customer Support LLM Chatbot Training Dataset sample (train.csv), CDLA-Sharing-1.0; see LICENSE-bitext.md',
  algorithm:
    'three binary logistic regressions (person, complaint, profanity) over stemmed words with negation marks, bigrams and support concepts seen in >= 2 rows; SGD, L2',
  figures,
};
if (!process.argv.includes('--dry-run')) writeFileSync(defaultFrustrationModelPath, `${JSON.stringify(model)}\n`);
console.log(JSON.stringify({ ...figures, bytes: JSON.stringify(model).length }, null, 2));
if (process.argv.includes('--show')) {
  for (const text of [
    ...complaintPhrasings,
    ...ordinaryPhrasings,
    ...freshComplaints,
    ...freshOrdinary,
    ...untouchedComplaints,
    ...untouchedOrdinary,
  ])
    console.log(JSON.stringify({ text, ...assessFrustration(text, [], model) }));
  for (const row of clinc.filter((row) => assessFrustration(row.text, [], model).escalate).slice(0, 40))
    console.log('clinc FP', row.label, row.text, assessFrustration(row.text, [], model).reasons.join(' | '));
}
