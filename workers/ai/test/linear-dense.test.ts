import {
  defaultLinearOptions,
  featurize,
  predictLinear,
  seededRandom,
  shuffle,
  trainLinear,
  type FeatureOptions,
  type LinearExample,
} from '../src/linear';

/**
 * The straightforward SGD `trainLinear` implements: one weight row per hash bucket and per dense
 * feature (appended after the buckets), every class scored and updated per step. With `lazyL2` the
 * weights are kept as `scale * W` (the decay of every weight is one multiplication), as the trainer
 * does; without it, every weight is decayed explicitly at every step.
 */
function referenceTrain(examples: LinearExample[], bits: number, epochs: number, l2: number, lazyL2: boolean) {
  const features: FeatureOptions = { bits, wordNgrams: 2, charMin: 3, charMax: 5, wordWeight: 1 };
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const classes = labels.length;
  const width = examples[0]?.dense?.length ?? 0;
  const offset = 1 << bits;
  const xs = examples.map((e) => {
    const x = featurize(e.text, features);
    return {
      index: [...x.index, ...Array.from({ length: width }, (_, d) => offset + d)],
      value: [...x.value, ...(e.dense ?? [])],
    };
  });
  const ys = examples.map((e) => labels.indexOf(e.label));
  const w = lazyL2 ? new Float32Array((offset + width) * classes) : new Float64Array((offset + width) * classes);
  const bias = new Float64Array(classes);
  const lr0 = defaultLinearOptions.learningRate;
  const random = seededRandom(defaultLinearOptions.seed);
  const order = examples.map((_, i) => i);
  let scale = 1;
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    shuffle(order, random);
    for (const i of order) {
      const x = xs[i]!;
      const eta = lr0 / (1 + lr0 * l2 * t);
      t += 1;
      const p = Float64Array.from(bias);
      x.index.forEach((b, f) => {
        for (let k = 0; k < classes; k += 1) p[k] = p[k]! + x.value[f]! * scale * w[b * classes + k]!;
      });
      const top = Math.max(...p);
      let total = 0;
      for (let k = 0; k < classes; k += 1) total += p[k] = Math.exp(p[k]! - top);
      for (let k = 0; k < classes; k += 1) p[k] = p[k]! / total;
      p[ys[i]!] = p[ys[i]!]! - 1;
      if (lazyL2) scale *= 1 - eta * l2;
      else for (let j = 0; j < w.length; j += 1) w[j] = w[j]! * (1 - eta * l2);
      const step = eta / scale;
      x.index.forEach((b, f) => {
        for (let k = 0; k < classes; k += 1)
          if (p[k]! > 1e-7 || p[k]! < -1e-7) w[b * classes + k] = w[b * classes + k]! - x.value[f]! * step * p[k]!;
      });
      for (let k = 0; k < classes; k += 1) bias[k] = bias[k]! - eta * p[k]!;
    }
  }
  const weightOf = (row: number, k: number): number => Math.fround(w[row * classes + k]! * scale);
  return { labels, bias: Float32Array.from(bias), weightOf, offset, classes };
}

// Five labels (one more than a block of four classes) and seven dense features, deterministic.
const random = seededRandom(3);
const subjects = ['card', 'refund', 'transfer', 'pin', 'top up', 'fee'];
const frames = ['my {} is lost', 'cancel the {} now', 'how long does a {} take', 'why was I charged for {}', 'hello'];
const examples: LinearExample[] = [];
frames.forEach((frame, label) =>
  subjects.forEach((subject) =>
    examples.push({
      text: frame.replace('{}', subject),
      label: `intent_${label}`,
      dense: Float32Array.from({ length: 7 }, (_, d) => (d === label ? 1 : 0) + (random() - 0.5) * 0.4),
    }),
  ),
);

describe('linear classifier with dense features', () => {
  it('gives bit-identical weights to the plain per-class loop it replaces', () => {
    const model = trainLinear(examples, { bits: 12, epochs: 6, l2: 1e-3, wordWeight: 1, dense: 7 });
    const reference = referenceTrain(examples, 12, 6, 1e-3, true);
    expect(model.labels).toEqual(reference.labels);
    expect([...model.bias]).toEqual([...reference.bias]);
    const used = new Set(examples.flatMap((e) => [...featurize(e.text, model.features).index]));
    expect([...model.buckets]).toEqual([...used].sort((a, b) => a - b));
    model.buckets.forEach((bucket, row) => {
      for (let k = 0; k < reference.classes; k += 1)
        expect(model.weights[row * reference.classes + k]).toBe(reference.weightOf(bucket, k));
    });
    for (let d = 0; d < 7; d += 1)
      for (let k = 0; k < reference.classes; k += 1)
        expect(model.denseWeights?.[d * reference.classes + k]).toBe(reference.weightOf(reference.offset + d, k));
  });

  it('keeps L2 as one scale factor, the same weights as decaying every weight at every step', () => {
    const model = trainLinear(examples, { bits: 12, epochs: 6, l2: 1e-2, wordWeight: 1, dense: 7 });
    const naive = referenceTrain(examples, 12, 6, 1e-2, false);
    let largest = 0;
    model.buckets.forEach((bucket, row) => {
      for (let k = 0; k < naive.classes; k += 1) {
        largest = Math.max(largest, Math.abs(naive.weightOf(bucket, k)));
        expect(model.weights[row * naive.classes + k]).toBeCloseTo(naive.weightOf(bucket, k), 4);
      }
    });
    for (let d = 0; d < 7; d += 1)
      for (let k = 0; k < naive.classes; k += 1)
        expect(model.denseWeights?.[d * naive.classes + k]).toBeCloseTo(naive.weightOf(naive.offset + d, k), 4);
    // The decay did something: weights are not all ~0 and a strong L2 shrinks them.
    expect(largest).toBeGreaterThan(0.05);
    for (const e of examples) expect(predictLinear(model, e.text, e.dense).label).toBe(e.label);
  });
});
