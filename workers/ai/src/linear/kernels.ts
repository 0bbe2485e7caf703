/**
 * The inner loops of `trainLinear` over its dense block (e.g. a sentence embedding), class-major:
 * class k's weights are `weights[k * width … (k + 1) * width)`. Four classes are taken at a time so
 * that four independent sums run side by side; each class's sum still adds the same products in
 * the same order as one feature after another, so the results are bit-identical to the plain loop.
 */

/** scores[k] += Σ_d x[d] · weights[k][d], for every class k. */
export function addDenseScores(scores: Float64Array, x: Float64Array, weights: Float32Array, width: number): void {
  const classes = scores.length;
  let k = 0;
  for (; k + 3 < classes; k += 4) {
    const r0 = k * width;
    const r1 = r0 + width;
    const r2 = r1 + width;
    const r3 = r2 + width;
    let s0 = scores[k] as number;
    let s1 = scores[k + 1] as number;
    let s2 = scores[k + 2] as number;
    let s3 = scores[k + 3] as number;
    for (let d = 0; d < width; d += 1) {
      const v = x[d] as number;
      s0 += v * (weights[r0 + d] as number);
      s1 += v * (weights[r1 + d] as number);
      s2 += v * (weights[r2 + d] as number);
      s3 += v * (weights[r3 + d] as number);
    }
    scores[k] = s0;
    scores[k + 1] = s1;
    scores[k + 2] = s2;
    scores[k + 3] = s3;
  }
  for (; k < classes; k += 1) {
    const row = k * width;
    let s = scores[k] as number;
    for (let d = 0; d < width; d += 1) s += (x[d] as number) * (weights[row + d] as number);
    scores[k] = s;
  }
}

/** weights[k][d] -= x[d] · gradient[k], for the first `count` classes k of `active`. */
export function subtractDenseGradient(
  weights: Float32Array,
  x: Float64Array,
  gradient: Float64Array,
  active: Int32Array,
  count: number,
  width: number,
): void {
  let a = 0;
  for (; a + 3 < count; a += 4) {
    const k0 = active[a] as number;
    const k1 = active[a + 1] as number;
    const k2 = active[a + 2] as number;
    const k3 = active[a + 3] as number;
    const g0 = gradient[k0] as number;
    const g1 = gradient[k1] as number;
    const g2 = gradient[k2] as number;
    const g3 = gradient[k3] as number;
    const r0 = k0 * width;
    const r1 = k1 * width;
    const r2 = k2 * width;
    const r3 = k3 * width;
    for (let d = 0; d < width; d += 1) {
      const v = x[d] as number;
      weights[r0 + d] = (weights[r0 + d] as number) - v * g0;
      weights[r1 + d] = (weights[r1 + d] as number) - v * g1;
      weights[r2 + d] = (weights[r2 + d] as number) - v * g2;
      weights[r3 + d] = (weights[r3 + d] as number) - v * g3;
    }
  }
  for (; a < count; a += 1) {
    const k = active[a] as number;
    const g = gradient[k] as number;
    const row = k * width;
    for (let d = 0; d < width; d += 1) weights[row + d] = (weights[row + d] as number) - (x[d] as number) * g;
  }
}
