import {
  featurize,
  LinearFormatError,
  parseLinear,
  predictLinear,
  serializeLinear,
  trainLinear,
  type LinearExample,
} from '../src/linear';

const toy: LinearExample[] = [];
const subjects = ['card', 'payment', 'refund', 'account', 'transfer', 'order', 'invoice', 'balance'];
subjects.forEach((subject, i) => {
  toy.push({ text: `my ${subject} is lost, where is it`, label: 'lost' });
  toy.push({ text: `please close the ${subject} today`, label: 'close' });
  toy.push({ text: `I want to open a new ${subject} ${i}`, label: 'open' });
});

describe('linear classifier', () => {
  it('learns a separable set and ranks every label, best first', () => {
    const model = trainLinear(toy, { bits: 14, epochs: 10 });
    expect(model.labels).toEqual(['close', 'lost', 'open']);
    const correct = toy.filter((e) => predictLinear(model, e.text).label === e.label).length;
    expect(correct).toBe(toy.length);
    // Unseen subjects: the frame words decide.
    expect(predictLinear(model, 'my wallet is lost, where is it').label).toBe('lost');
    expect(predictLinear(model, 'please close the subscription today').label).toBe('close');
    const out = predictLinear(model, 'I want to open a new loan');
    expect(out.label).toBe('open');
    expect(out.ranked.map((r) => r.label)).toHaveLength(3);
    expect(out.ranked[0]).toEqual({ label: 'open', probability: out.probability });
    const probabilities = out.ranked.map((r) => r.probability);
    expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('works with two labels (balanced class weights)', () => {
    const rows: LinearExample[] = [
      ...['this is ridiculous', 'I am furious', 'worst service ever', 'absolutely useless'].map((text) => ({
        text,
        label: 'upset',
      })),
      ...Array.from({ length: 12 }, (_, i) => ({ text: `thanks, order ${i} arrived fine`, label: 'calm' })),
    ];
    const model = trainLinear(rows, { bits: 12, epochs: 20, classWeight: 'balanced' });
    expect(predictLinear(model, 'I am furious, this is ridiculous').label).toBe('upset');
    expect(predictLinear(model, 'thanks, it arrived').label).toBe('calm');
  });

  it('is deterministic for a seed and differs for another seed', () => {
    const a = trainLinear(toy, { bits: 12, epochs: 3, seed: 5 });
    const b = trainLinear(toy, { bits: 12, epochs: 3, seed: 5 });
    const c = trainLinear(toy, { bits: 12, epochs: 3, seed: 6 });
    expect(Buffer.from(serializeLinear(a)).equals(Buffer.from(serializeLinear(b)))).toBe(true);
    expect(Buffer.from(serializeLinear(a)).equals(Buffer.from(serializeLinear(c)))).toBe(false);
  });

  it('features: L2-normalised, digits folded, same text same vector', () => {
    const options = { bits: 16, wordNgrams: 2, charMin: 3, charMax: 5 };
    const x = featurize('Order 12345 is late', options);
    const norm = Math.sqrt(x.value.reduce((sum, v) => sum + v * v, 0));
    expect(norm).toBeCloseTo(1, 5);
    expect([...featurize('order 999 is late', options).index]).toEqual([...x.index]);
    expect([...featurize('order is late', options).index]).not.toEqual([...x.index]);
  });

  it('round-trips through serialisation with int8 weights (same predictions, close probabilities)', () => {
    const model = trainLinear(toy, { bits: 14, epochs: 10 });
    const bytes = serializeLinear(model);
    const back = parseLinear(bytes);
    expect(back.labels).toEqual(model.labels);
    expect(back.features).toEqual(model.features);
    for (const e of [...toy, { text: 'something else entirely', label: '' }]) {
      const before = predictLinear(model, e.text);
      const after = predictLinear(back, e.text);
      expect(after.label).toBe(before.label);
      expect(after.probability).toBeCloseTo(before.probability, 1);
    }
    expect(bytes.length).toBeLessThan(model.weights.length * 4);
  });

  it('rejects a corrupt, truncated or newer file with a clear error', () => {
    const bytes = serializeLinear(trainLinear(toy, { bits: 12, epochs: 2 }));
    expect(() => parseLinear(new TextEncoder().encode('{"labels": []}'))).toThrow(/not a linear model/);
    expect(() => parseLinear(bytes.subarray(0, bytes.length - 3))).toThrow(/expected \d+ bytes/);
    expect(() => parseLinear(bytes.subarray(0, 4))).toThrow(/too short/);
    const newer = bytes.slice();
    newer[4] = 9;
    expect(() => parseLinear(newer)).toThrow(/format version 9 is newer/);
    const badHeader = bytes.slice();
    badHeader[10] = 0xff;
    expect(() => parseLinear(badHeader)).toThrow(LinearFormatError);
  });

  it('refuses training data with one label or none', () => {
    expect(() => trainLinear([])).toThrow(/no examples/);
    expect(() => trainLinear([{ text: 'a', label: 'x' }])).toThrow(/at least 2 labels/);
  });
});
