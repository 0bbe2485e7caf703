/**
 * Training and evaluation of the triage model (used by workers/ai/scripts/train-triage.ts and
 * engine/bench/triage.ts); needs the Bitext CSV, which only the training side has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { triageTokens, type NaiveBayes, type TriageModel } from './model';
import { triage } from './index';

export const defaultCsvPath = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'shared',
  'data',
  'bitext-support',
  'train.csv',
);

export interface Row {
  text: string;
  intent: string;
  offensive: boolean;
  entityType?: string;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) as rows of fields. */
export function parseCsv(source: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function train(
  docs: { tokens: string[]; label: string }[],
  labels: string[],
  minCount: number,
  alpha = 0.1,
): NaiveBayes {
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = new Map<string, number[]>();
  const docCount = labels.map(() => 0);
  const totals = labels.map(() => 0);
  for (const doc of docs) {
    const k = index.get(doc.label) as number;
    docCount[k] = (docCount[k] as number) + 1;
    for (const t of doc.tokens) {
      let row = counts.get(t);
      if (!row) {
        row = labels.map(() => 0);
        counts.set(t, row);
      }
      row[k] = (row[k] as number) + 1;
    }
  }
  const kept = [...counts].filter(([, row]) => row.reduce((a, b) => a + b, 0) >= minCount);
  for (const [, row] of kept)
    row.forEach((c, k) => {
      totals[k] = (totals[k] as number) + c;
    });
  const v = kept.length + 1;
  const features: Record<string, number[]> = {};
  const unseen = labels.map((_, k) => Math.log(alpha / ((totals[k] as number) + alpha * v)));
  for (const [t, row] of kept) {
    // Stored relative to the unseen log-probability so absent features cost nothing at inference.
    features[t] = row.map((c, k) =>
      Math.round((Math.log((c + alpha) / ((totals[k] as number) + alpha * v)) - (unseen[k] as number)) * 100),
    );
  }
  const prior = docCount.map((c) => Math.log((c + 1) / (docs.length + labels.length)));
  return { labels, prior, unseen: unseen.map((u) => Math.round(u * 100)), features };
}

/** Unigrams seen >= 3 times, >= 90 % of them in W-tagged rows. */
function offensiveWords(rows: Row[], toks: string[][]): string[] {
  const seen = new Map<string, [number, number]>();
  rows.forEach((r, i) => {
    for (const t of new Set((toks[i] as string[]).filter((x) => !x.includes('_')))) {
      const c = seen.get(t) ?? [0, 0];
      c[0] += 1;
      if (r.offensive) c[1] += 1;
      seen.set(t, c);
    }
  });
  return [...seen]
    .filter(([, [n, w]]) => n >= 3 && w / n >= 0.9)
    .map(([t]) => t)
    .sort();
}

const referencePattern = /\b(order|purchase|invoice|bill)(?: number| no\.?| #)?\s*#?\d{3,}\b/gi;

/**
 * The dataset's bias: every order or invoice utterance carries its number ("track order
 * 732201349959"), so a model trained on it alone learns that "where is my order?" without a number
 * is not track_order. Each such row is also learned as a customer says it without the number at
 * hand ("track my order"); only training rows are augmented, never the rows a fold is tested on.
 */
export function withoutReferenceNumbers(rows: readonly Row[]): Row[] {
  const extra: Row[] = [];
  for (const row of rows) {
    if (row.entityType !== 'order_id' && row.entityType !== 'invoice_id') continue;
    const text = row.text.replace(referencePattern, (_match, noun: string) => `my ${noun}`);
    if (text !== row.text) extra.push({ ...row, text });
  }
  return [...rows, ...extra];
}

// Unseen terms: a document's score adds unseen[k] per token; we fold it into scoring below.
export function buildModel(original: Row[], labels: string[]): TriageModel {
  const rows = withoutReferenceNumbers(original);
  const toks = rows.map((r) => triageTokens(r.text));
  return {
    version: 1,
    intent: train(
      rows.map((r, i) => ({ tokens: toks[i] as string[], label: r.intent })),
      labels,
      3,
    ),
    offensiveWords: offensiveWords(rows, toks),
    metadata: {},
  };
}

export function loadRows(csvPath = defaultCsvPath): Row[] {
  const [header, ...body] = parseCsv(readFileSync(csvPath, 'utf8'));
  const col = (name: string): number => (header as string[]).indexOf(name);
  return body
    .filter((r) => r.length === (header as string[]).length)
    .map((r) => ({
      text: r[col('instruction')] as string,
      intent: r[col('intent')] as string,
      offensive: (r[col('tags')] as string).includes('W'),
      entityType: r[col('entity_type')] as string,
    }));
}

export function labelsOf(rows: readonly Row[]): string[] {
  return [...new Set(rows.map((r) => r.intent))].sort();
}

export interface CvFigures {
  rows: number;
  folds: number;
  intentAccuracy: number;
  escalationRecall: number;
  escalationRecallBy: Record<string, { rows: number; recall: number }>;
  falseEscalations: number;
}

/** k-fold cross-validation (fixed shuffle): intent accuracy, escalation recall, false escalations (percentages). */
export function crossValidate(rows: Row[], k = 5): CvFigures {
  const labels = labelsOf(rows);
  let seed = 42;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const order = rows.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  let correct = 0;
  let mustEscalate = 0,
    escalated = 0,
    others = 0,
    falseEsc = 0;
  const recallBy: Record<string, [number, number]> = {
    complaint: [0, 0],
    contact_human_agent: [0, 0],
    offensive_W: [0, 0],
  };
  for (let f = 0; f < k; f += 1) {
    const test = order.filter((_, i) => i % k === f).map((i) => rows[i] as Row);
    const trainRows = order.filter((_, i) => i % k !== f).map((i) => rows[i] as Row);
    const model = buildModel(trainRows, labels);
    for (const r of test) {
      const out = triage(r.text, model);
      if (out.intent === r.intent) correct += 1;
      const must = r.intent === 'complaint' || r.intent === 'contact_human_agent' || r.offensive;
      if (must) {
        mustEscalate += 1;
        if (out.escalate) escalated += 1;
      } else {
        others += 1;
        if (out.escalate) falseEsc += 1;
      }
      for (const [key, hit] of [
        [r.intent, true],
        ['offensive_W', r.offensive],
      ] as const) {
        const slot = recallBy[key];
        if (slot && hit) {
          slot[0] += 1;
          if (out.escalate) slot[1] += 1;
        }
      }
    }
  }
  const pct = (a: number, b: number): number => Math.round((a / b) * 10000) / 100;
  const figures = {
    rows: rows.length,
    folds: k,
    intentAccuracy: pct(correct, rows.length),
    escalationRecall: pct(escalated, mustEscalate),
    escalationRecallBy: Object.fromEntries(
      Object.entries(recallBy).map(([key, [n, e]]) => [key, { rows: n, recall: pct(e, n) }]),
    ),
    falseEscalations: pct(falseEsc, others),
  };
  return figures;
}
