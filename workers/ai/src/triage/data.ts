/**
 * Training data for triage models: a CSV file with a header (text in `text` or `instruction`, label
 * in `intent`, `category` or `label`) or JSON lines `{"text": …, "intent": …}`. Every problem is an
 * error naming the file and line; duplicate rows are dropped and counted.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export interface LabelledRow {
  text: string;
  intent: string;
}

export interface TriageData {
  rows: LabelledRow[];
  /** Rows dropped because the same text with the same label came earlier. */
  duplicates: number;
  /** The same text under different labels (kept; the model cannot get all of them right). */
  conflicts: number;
}

export const maxTextLength = 4000;
const textColumns = ['text', 'instruction'];
const labelColumns = ['intent', 'category', 'label'];

export class TriageDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriageDataError';
  }
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF): each record's fields and the line it starts on. */
export function parseCsvRecords(source: string): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\n') line += 1;
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
      records.push({ fields: row, line: start });
      row = [];
      field = '';
      start = line;
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    records.push({ fields: row, line: start });
  }
  return records;
}

const jsonLine = z.object({
  text: z.string({ error: 'text must be a string' }),
  intent: z.string({ error: 'intent must be a string' }),
});

function checkRow(where: string, text: string, intent: string): LabelledRow {
  if (text.includes('\uFFFD')) throw new TriageDataError(`${where}: bad UTF-8 (a replacement character in the text)`);
  if (intent.includes('\uFFFD'))
    throw new TriageDataError(`${where}: bad UTF-8 (a replacement character in the label)`);
  const trimmed = text.trim();
  const label = intent.trim();
  if (trimmed === '') throw new TriageDataError(`${where}: empty text`);
  if (label === '') throw new TriageDataError(`${where}: empty label`);
  if (trimmed.length > maxTextLength)
    throw new TriageDataError(`${where}: the text has ${trimmed.length} characters, more than ${maxTextLength}`);
  return { text: trimmed, intent: label };
}

function csvRows(name: string, source: string): LabelledRow[] {
  const records = parseCsvRecords(source).filter((record) => record.fields.some((field) => field.trim() !== ''));
  const header = records.shift();
  if (!header) throw new TriageDataError(`${name}: empty file`);
  const columns = header.fields.map((field) =>
    field
      .trim()
      .replace(/^\uFEFF/, '')
      .toLowerCase(),
  );
  const textAt = columns.findIndex((column) => textColumns.includes(column));
  const labelAt = columns.findIndex((column) => labelColumns.includes(column));
  const has = `the header has ${columns.map((column) => JSON.stringify(column)).join(', ')}`;
  if (textAt < 0)
    throw new TriageDataError(
      `${name}:${header.line}: no text column (expected one of ${textColumns.join(', ')}); ${has}`,
    );
  if (labelAt < 0)
    throw new TriageDataError(
      `${name}:${header.line}: no label column (expected one of ${labelColumns.join(', ')}); ${has}`,
    );
  return records.map(({ fields, line }) => {
    const where = `${name}:${line}`;
    if (fields.length !== columns.length)
      throw new TriageDataError(`${where}: ${fields.length} fields, the header has ${columns.length}`);
    return checkRow(where, fields[textAt] as string, fields[labelAt] as string);
  });
}

function jsonlRows(name: string, source: string): LabelledRow[] {
  const rows: LabelledRow[] = [];
  source.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const where = `${name}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new TriageDataError(`${where}: not JSON`);
    }
    const parsed = jsonLine.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('/') ?? '';
      const missing = value !== null && typeof value === 'object' && !(field in value);
      throw new TriageDataError(`${where}: ${missing ? `missing "${field}"` : (issue?.message ?? 'invalid')}`);
    }
    rows.push(checkRow(where, parsed.data.text, parsed.data.intent));
  });
  return rows;
}

/** Parses one data file's text; `name` (its path) prefixes every error. */
export function parseTriageData(name: string, source: string): TriageData {
  if (source.trim() === '') throw new TriageDataError(`${name}: empty file`);
  const body = source.replace(/^\uFEFF/, '');
  const jsonl = /\.jsonl?$/i.test(name) || (!/\.csv$/i.test(name) && body.trimStart().startsWith('{'));
  const all = jsonl ? jsonlRows(name, body) : csvRows(name, body);
  if (all.length === 0) throw new TriageDataError(`${name}: no rows`);
  return dedupe(all);
}

function dedupe(all: readonly LabelledRow[]): TriageData {
  const seen = new Map<string, Set<string>>();
  const rows: LabelledRow[] = [];
  let duplicates = 0;
  let conflicts = 0;
  for (const row of all) {
    const labels = seen.get(row.text) ?? new Set<string>();
    if (labels.has(row.intent)) {
      duplicates += 1;
      continue;
    }
    if (labels.size > 0) conflicts += 1;
    labels.add(row.intent);
    seen.set(row.text, labels);
    rows.push(row);
  }
  return { rows, duplicates, conflicts };
}

/**
 * Reads and merges data files (bytes decoded as UTF-8; bad bytes are an error naming the line).
 * Training data needs two labels at least (`minLabels`); evaluation data may have one.
 */
export function loadTriageData(
  paths: readonly string[],
  read: (path: string) => Buffer = readFileSync,
  minLabels = 2,
): TriageData {
  if (paths.length === 0) throw new TriageDataError('no data file given');
  const all: LabelledRow[] = [];
  let withinFiles = 0;
  for (const path of paths) {
    const parsed = parseTriageData(path, read(path).toString('utf8'));
    all.push(...parsed.rows);
    withinFiles += parsed.duplicates;
  }
  const data = dedupe(all);
  const labels = new Set(data.rows.map((row) => row.intent));
  if (labels.size < minLabels)
    throw new TriageDataError(
      `${paths.join(', ')}: only one label (${[...labels].join('')}); a classifier needs at least two`,
    );
  return { ...data, duplicates: data.duplicates + withinFiles };
}
