/**
 * Multinomial logistic regression (softmax) over hashed features, trained by SGD with L2
 * regularisation. The weights are kept as `scale * W` so the L2 decay of every weight costs one
 * multiplication per step (sparse updates stay sparse). Deterministic: a seeded shuffle per epoch.
 * Dense features (a sentence embedding) are scored and updated class by class, four at a time
 * (kernels.ts), and only classes with a gradient are updated: the same arithmetic, in the same order,
 * as one weight row per feature (workers/ai/test/linear-dense.test.ts checks it bit for bit).
 */
import { defaultFeatureOptions, featurize, type FeatureOptions, type SparseVector } from './features';
import { addDenseScores, subtractDenseGradient } from './kernels';

export interface LinearOptions extends Partial<FeatureOptions> {
  epochs?: number;
  /** L2 strength per example. */
  l2?: number;
  /** Initial learning rate (it decays as 1 / (1 + lr * l2 * t)). */
  learningRate?: number;
  /** `balanced` weighs each class by rows / (classes * rows of the class). */
  classWeight?: 'none' | 'balanced';
  seed?: number;
  /** Length of each example's dense features (e.g. a sentence embedding), learned beside the hashed n-grams (default 0). */
  dense?: number;
}

export interface LinearModel {
  labels: string[];
  features: FeatureOptions;
  /** Per class. */
  bias: Float32Array;
  /** Buckets that carry weights, ascending. */
  buckets: Int32Array;
  /** buckets.length x labels.length, row-major. */
  weights: Float32Array;
  /** bucket → row in `weights`, or -1; built on demand. */
  rowOf?: Int32Array;
  /** Dense features per input (0 or absent: none) and their weights, dense x labels.length, row-major. */
  dense?: number;
  denseWeights?: Float32Array;
}

export interface LinearExample {
  text: string;
  label: string;
  /** The example's dense features (their count is the `dense` option). */
  dense?: Float32Array;
}

/** The sparse n-grams of a text followed by its dense features at `offset` (the number of hash buckets). */
export function withDense(x: SparseVector, dense: Float32Array | undefined, offset: number): SparseVector {
  if (!dense || dense.length === 0) return x;
  const index = new Int32Array(x.index.length + dense.length);
  const value = new Float32Array(x.value.length + dense.length);
  index.set(x.index);
  value.set(x.value);
  for (let d = 0; d < dense.length; d += 1) {
    index[x.index.length + d] = offset + d;
    value[x.value.length + d] = dense[d] as number;
  }
  return { index, value };
}

function checkDense(dense: Float32Array | undefined, expected: number, where: string): void {
  if ((dense?.length ?? 0) !== expected)
    throw new Error(`${where}: expected ${expected} dense features, got ${dense?.length ?? 0}`);
}

/** Largest dense weight matrix training allocates when the caller leaves `bits` to it. */
export const maxTrainingBytes = 512 * 1024 * 1024;

export const defaultLinearOptions = {
  epochs: 20,
  l2: 1e-6,
  learningRate: 2,
  classWeight: 'none',
  seed: 1,
} as const;

/** Park–Miller style generator: the same seed gives the same shuffles. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) >>> 0;
    state = (state ^ (state + Math.imul(state ^ (state >>> 7), 0x297a2d39))) >>> 0;
    return ((state ^ (state >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function softmaxInPlace(scores: Float64Array): void {
  let top = -Infinity;
  for (const s of scores) if (s > top) top = s;
  let total = 0;
  for (let k = 0; k < scores.length; k += 1) {
    const e = Math.exp((scores[k] as number) - top);
    scores[k] = e;
    total += e;
  }
  for (let k = 0; k < scores.length; k += 1) scores[k] = (scores[k] as number) / total;
}

export function trainLinear(examples: readonly LinearExample[], options: LinearOptions = {}): LinearModel {
  if (examples.length === 0) throw new Error('trainLinear: no examples');
  const features: FeatureOptions = {
    bits: options.bits ?? defaultFeatureOptions.bits,
    wordNgrams: options.wordNgrams ?? defaultFeatureOptions.wordNgrams,
    charMin: options.charMin ?? defaultFeatureOptions.charMin,
    charMax: options.charMax ?? defaultFeatureOptions.charMax,
    wordWeight: options.wordWeight ?? defaultFeatureOptions.wordWeight,
  };
  if (!Number.isInteger(features.bits) || features.bits < 8 || features.bits > 24)
    throw new Error(`trainLinear: bits must be an integer in 8…24, got ${features.bits}`);
  if (!Number.isInteger(features.wordWeight) || (features.wordWeight ?? 1) < 1 || (features.wordWeight ?? 1) > 10)
    throw new Error(`trainLinear: wordWeight must be an integer in 1…10, got ${features.wordWeight}`);
  const epochs = options.epochs ?? defaultLinearOptions.epochs;
  const l2 = options.l2 ?? defaultLinearOptions.l2;
  const lr0 = options.learningRate ?? defaultLinearOptions.learningRate;
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new Error(`trainLinear: needs at least 2 labels, got ${labels.length}`);
  // The dense training matrix is buckets x labels floats: with many labels, fewer buckets keep it in memory.
  if (options.bits === undefined)
    while (features.bits > 12 && 2 ** features.bits * labels.length * 4 > maxTrainingBytes) features.bits -= 1;
  const classes = labels.length;
  const labelIndex = new Map(labels.map((label, k) => [label, k]));
  const denseCount = options.dense ?? 0;
  if (!Number.isInteger(denseCount) || denseCount < 0 || denseCount > 4096)
    throw new Error(`trainLinear: dense must be an integer in 0…4096, got ${denseCount}`);
  const offset = 1 << features.bits;
  const xs: SparseVector[] = examples.map((e) => featurize(e.text, features));
  const ds: (Float32Array | undefined)[] = examples.map((e, i) => {
    checkDense(e.dense, denseCount, `trainLinear: example ${i}`);
    return denseCount > 0 ? e.dense : undefined;
  });
  const ys = Int32Array.from(examples, (e) => labelIndex.get(e.label) as number);
  const classWeight = new Float64Array(classes).fill(1);
  if (options.classWeight === 'balanced') {
    const counts = new Float64Array(classes);
    for (const y of ys) counts[y] = (counts[y] as number) + 1;
    for (let k = 0; k < classes; k += 1) classWeight[k] = examples.length / (classes * (counts[k] as number));
  }

  // Only the buckets some example uses get a row of weights, the most used first: the rows most
  // steps touch stay together in the cache. `rows[i]` is example i's feature indices as rows.
  const uses = new Int32Array(offset);
  for (const x of xs) for (const b of x.index) uses[b] = (uses[b] as number) + 1;
  const buckets: number[] = [];
  for (let b = 0; b < offset; b += 1) if (uses[b]) buckets.push(b);
  const byUse = [...buckets].sort((a, b) => (uses[b] as number) - (uses[a] as number) || a - b);
  const rowOf = new Int32Array(offset);
  byUse.forEach((b, row) => {
    rowOf[b] = row;
  });
  const rows = xs.map((x) => x.index.map((b) => rowOf[b] as number));
  // Used buckets x classes (row-major); the dense block class-major, so that each class's score
  // and update run over one contiguous row. Both are kept as `scale * W`.
  const sparse = new Float32Array(byUse.length * classes);
  const denseW = new Float32Array(classes * denseCount);
  const bias = new Float64Array(classes);
  let scale = 1;
  let t = 0;
  const random = seededRandom(options.seed ?? defaultLinearOptions.seed);
  const order = Array.from(examples, (_, i) => i);
  const p = new Float64Array(classes);
  const active = new Int32Array(classes);
  const scaled = new Float64Array(denseCount);
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    shuffle(order, random);
    for (const i of order) {
      const x = xs[i] as SparseVector;
      const xRows = rows[i] as Int32Array;
      const xd = ds[i];
      const y = ys[i] as number;
      const eta = lr0 / (1 + lr0 * l2 * t);
      t += 1;
      for (let k = 0; k < classes; k += 1) p[k] = bias[k] as number;
      for (let f = 0; f < x.index.length; f += 1) {
        const base = (xRows[f] as number) * classes;
        const v = (x.value[f] as number) * scale;
        for (let k = 0; k < classes; k += 1) p[k] = (p[k] as number) + v * (sparse[base + k] as number);
      }
      if (xd) {
        for (let d = 0; d < denseCount; d += 1) scaled[d] = (xd[d] as number) * scale;
        addDenseScores(p, scaled, denseW, denseCount);
      }
      softmaxInPlace(p);
      p[y] = (p[y] as number) - 1;
      const weight = classWeight[y] as number;
      scale *= 1 - eta * l2;
      if (scale < 1e-6) {
        for (let j = 0; j < sparse.length; j += 1) sparse[j] = (sparse[j] as number) * scale;
        for (let j = 0; j < denseW.length; j += 1) denseW[j] = (denseW[j] as number) * scale;
        scale = 1;
      }
      const step = (eta * weight) / scale;
      // Classes the example barely touches are skipped: most of the softmax is ~0.
      let n = 0;
      for (let k = 0; k < classes; k += 1) {
        const g = p[k] as number;
        if (g > 1e-7 || g < -1e-7) active[n++] = k;
      }
      for (let f = 0; f < x.index.length; f += 1) {
        const base = (xRows[f] as number) * classes;
        const v = (x.value[f] as number) * step;
        for (let a = 0; a < n; a += 1) {
          const k = active[a] as number;
          sparse[base + k] = (sparse[base + k] as number) - v * (p[k] as number);
        }
      }
      if (xd) {
        for (let d = 0; d < denseCount; d += 1) scaled[d] = (xd[d] as number) * step;
        subtractDenseGradient(denseW, scaled, p, active, n, denseCount);
      }
      for (let k = 0; k < classes; k += 1) bias[k] = (bias[k] as number) - eta * weight * (p[k] as number);
    }
  }
  // The used buckets ascending, as the model stores them.
  const weights = new Float32Array(buckets.length * classes);
  buckets.forEach((b, row) => {
    const from = (rowOf[b] as number) * classes;
    for (let k = 0; k < classes; k += 1) weights[row * classes + k] = (sparse[from + k] as number) * scale;
  });
  const model: LinearModel = {
    labels,
    features,
    bias: Float32Array.from(bias),
    buckets: Int32Array.from(buckets),
    weights,
  };
  if (denseCount > 0) {
    // Stored dense x classes (row-major), as before.
    const denseWeights = new Float32Array(denseCount * classes);
    for (let k = 0; k < classes; k += 1)
      for (let d = 0; d < denseCount; d += 1)
        denseWeights[d * classes + k] = (denseW[k * denseCount + d] as number) * scale;
    model.dense = denseCount;
    model.denseWeights = denseWeights;
  }
  return model;
}

export interface LinearPrediction {
  label: string;
  probability: number;
  /** Every label, most probable first. */
  ranked: { label: string; probability: number }[];
}

function rowIndex(model: LinearModel): Int32Array {
  if (!model.rowOf) {
    const rowOf = new Int32Array(1 << model.features.bits).fill(-1);
    model.buckets.forEach((bucket, row) => {
      rowOf[bucket] = row;
    });
    model.rowOf = rowOf;
  }
  return model.rowOf;
}

/**
 * The probability of every label, in the order of `model.labels`. A model with dense features needs
 * the text's (as many as `model.dense`).
 */
export function linearProbabilities(model: LinearModel, text: string, dense?: Float32Array): Float64Array {
  const classes = model.labels.length;
  const rowOf = rowIndex(model);
  const x = featurize(text, model.features);
  const scores = Float64Array.from(model.bias);
  checkDense(dense, model.dense ?? 0, 'linear model');
  if (dense && model.denseWeights)
    for (let d = 0; d < dense.length; d += 1) {
      const v = dense[d] as number;
      const base = d * classes;
      for (let k = 0; k < classes; k += 1)
        scores[k] = (scores[k] as number) + v * (model.denseWeights[base + k] as number);
    }
  for (let f = 0; f < x.index.length; f += 1) {
    const row = rowOf[x.index[f] as number] as number;
    if (row < 0) continue;
    const base = row * classes;
    const v = x.value[f] as number;
    for (let k = 0; k < classes; k += 1) scores[k] = (scores[k] as number) + v * (model.weights[base + k] as number);
  }
  softmaxInPlace(scores);
  return scores;
}

export function predictLinear(model: LinearModel, text: string, dense?: Float32Array): LinearPrediction {
  const probabilities = linearProbabilities(model, text, dense);
  const ranked = model.labels
    .map((label, k) => ({ label, probability: probabilities[k] as number }))
    .sort((a, b) => b.probability - a.probability || (a.label < b.label ? -1 : 1));
  const best = ranked[0] as { label: string; probability: number };
  return { label: best.label, probability: best.probability, ranked };
}
