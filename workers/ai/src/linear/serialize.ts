/**
 * Binary file format of a linear model (little-endian):
 *   "BLIN" · u8 format version · u32 header length · header (UTF-8 JSON: labels, feature options,
 *   rows) · f32 bias[classes] · u32 bucket[rows] · f32 rowScale[rows] · i8 weight[rows x classes]
 * Each bucket's weights are quantised to int8 against that bucket's largest weight; buckets whose
 * weights all round to 0 are dropped. Version 2 (a model with dense features, e.g. a sentence
 * embedding) has `dense` in the header and appends f32 denseWeight[dense x classes]; a model
 * without them is still written as version 1.
 */
import { z } from 'zod';
import type { LinearModel } from './train';

export const linearFormatVersion = 2;
const magic = 'BLIN';

const headerSchema = z
  .object({
    labels: z
      .array(z.string().min(1, 'a label must not be empty'))
      .min(2, 'needs at least 2 labels')
      .refine((labels) => new Set(labels).size === labels.length, 'labels must be unique'),
    features: z
      .object({
        bits: z.number().int().min(8).max(24),
        wordNgrams: z.number().int().min(1).max(2),
        charMin: z.number().int().min(0).max(10),
        charMax: z.number().int().min(0).max(10),
        // Absent in files written before it existed: 1.
        wordWeight: z.number().int().min(1).max(10).optional(),
      })
      .strict(),
    rows: z.number().int().min(0),
    /** Version 2: dense features per input. */
    dense: z.number().int().min(1).max(4096).optional(),
  })
  .strict();

/** Smallest weight (relative to the largest of the model) worth keeping. */
const pruneBelow = 1e-3;

export function serializeLinear(model: LinearModel): Uint8Array {
  const classes = model.labels.length;
  let globalMax = 0;
  for (const w of model.weights) globalMax = Math.max(globalMax, Math.abs(w));
  const keptRows: number[] = [];
  const scales: number[] = [];
  for (let row = 0; row < model.buckets.length; row += 1) {
    let max = 0;
    for (let k = 0; k < classes; k += 1) max = Math.max(max, Math.abs(model.weights[row * classes + k] as number));
    if (max > globalMax * pruneBelow) {
      keptRows.push(row);
      scales.push(max / 127);
    }
  }
  const denseCount = model.dense ?? 0;
  const header = new TextEncoder().encode(
    JSON.stringify({
      labels: model.labels,
      features: model.features,
      rows: keptRows.length,
      ...(denseCount > 0 ? { dense: denseCount } : {}),
    }),
  );
  const rows = keptRows.length;
  const size = 4 + 1 + 4 + header.length + 4 * classes + 8 * rows + rows * classes + 4 * denseCount * classes;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (let i = 0; i < 4; i += 1) bytes[at + i] = magic.charCodeAt(i);
  at += 4;
  view.setUint8(at, denseCount > 0 ? 2 : 1);
  at += 1;
  view.setUint32(at, header.length, true);
  at += 4;
  bytes.set(header, at);
  at += header.length;
  for (let k = 0; k < classes; k += 1, at += 4) view.setFloat32(at, model.bias[k] as number, true);
  for (const row of keptRows) {
    view.setUint32(at, model.buckets[row] as number, true);
    at += 4;
  }
  for (const scale of scales) {
    view.setFloat32(at, scale, true);
    at += 4;
  }
  keptRows.forEach((row, i) => {
    const scale = scales[i] as number;
    for (let k = 0; k < classes; k += 1, at += 1)
      view.setInt8(at, Math.max(-127, Math.min(127, Math.round((model.weights[row * classes + k] as number) / scale))));
  });
  for (let i = 0; i < denseCount * classes; i += 1, at += 4) view.setFloat32(at, model.denseWeights?.[i] ?? 0, true);
  return bytes;
}

export class LinearFormatError extends Error {
  constructor(message: string) {
    super(`linear model: ${message}`);
    this.name = 'LinearFormatError';
  }
}

/** Reads what serializeLinear wrote; a truncated, corrupt or newer file throws a LinearFormatError. */
export function parseLinear(data: Uint8Array): LinearModel {
  if (data.length < 9) throw new LinearFormatError(`file too short (${data.length} bytes)`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const found = String.fromCharCode(...data.subarray(0, 4));
  if (found !== magic) throw new LinearFormatError(`not a linear model (starts with ${JSON.stringify(found)})`);
  const version = view.getUint8(4);
  if (version > linearFormatVersion)
    throw new LinearFormatError(
      `format version ${version} is newer than this reader (${linearFormatVersion}); upgrade Baton`,
    );
  if (version !== 1 && version !== 2) throw new LinearFormatError(`unknown format version ${version}`);
  const headerLength = view.getUint32(5, true);
  let at = 9;
  if (at + headerLength > data.length) throw new LinearFormatError('truncated header');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(at, at + headerLength)));
  } catch {
    throw new LinearFormatError('header is not UTF-8 JSON');
  }
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LinearFormatError(`header /${issue?.path.join('/') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const { labels, features, rows } = parsed.data;
  const denseCount = parsed.data.dense ?? 0;
  if ((version === 2) !== denseCount > 0)
    throw new LinearFormatError(
      `header /dense: ${version === 2 ? 'missing in' : 'not allowed in'} a version ${version} file`,
    );
  at += headerLength;
  const classes = labels.length;
  const expected = at + 4 * classes + 8 * rows + rows * classes + 4 * denseCount * classes;
  if (data.length !== expected)
    throw new LinearFormatError(`expected ${expected} bytes for ${rows} rows x ${classes} labels, got ${data.length}`);
  const bias = new Float32Array(classes);
  for (let k = 0; k < classes; k += 1, at += 4) bias[k] = view.getFloat32(at, true);
  const buckets = new Int32Array(rows);
  const limit = 2 ** features.bits;
  for (let row = 0; row < rows; row += 1, at += 4) {
    const bucket = view.getUint32(at, true);
    if (bucket >= limit || (row > 0 && bucket <= (buckets[row - 1] as number)))
      throw new LinearFormatError(`bucket ${row} is out of order or range`);
    buckets[row] = bucket;
  }
  const scales = new Float32Array(rows);
  for (let row = 0; row < rows; row += 1, at += 4) scales[row] = view.getFloat32(at, true);
  const weights = new Float32Array(rows * classes);
  for (let row = 0; row < rows; row += 1)
    for (let k = 0; k < classes; k += 1, at += 1)
      weights[row * classes + k] = view.getInt8(at) * (scales[row] as number);
  const denseWeights = new Float32Array(denseCount * classes);
  for (let i = 0; i < denseWeights.length; i += 1, at += 4) denseWeights[i] = view.getFloat32(at, true);
  for (const values of [bias, scales, denseWeights])
    for (const value of values)
      if (!Number.isFinite(value)) throw new LinearFormatError('a weight is not a finite number');
  const model: LinearModel = { labels, features, bias, buckets, weights };
  if (denseCount > 0) {
    model.dense = denseCount;
    model.denseWeights = denseWeights;
  }
  return model;
}
