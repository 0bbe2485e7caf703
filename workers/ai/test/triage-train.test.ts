import { chooseThreshold, evaluateTriage, scorePredictions, type HeldOutPrediction } from '../src/triage/evaluate';
import {
  parseTriageModel,
  predictIntent,
  triageModelToJson,
  TriageModelFormatError,
  type TriageModel,
} from '../src/triage/model';
import { trainTriage } from '../src/triage/train';
import { triage } from '../src/triage';

const subjects = ['card', 'account', 'transfer', 'loan', 'payment', 'statement', 'pin', 'limit'];
const frames: Record<string, string[]> = {
  lost_card: ['I lost my {s} card', 'my {s} card was stolen', 'cannot find my {s} card'],
  refund: ['I want my money back for the {s}', 'refund the {s} please', 'give me a refund on the {s}'],
  open_account: ['how do I open a {s} account', 'open a new {s} account', 'sign me up for a {s} account'],
};
const rows = Object.entries(frames).flatMap(([intent, templates]) =>
  templates.flatMap((template) => subjects.map((s) => ({ text: template.replace('{s}', s), intent }))),
);
const oos = [
  'what is the weather tomorrow',
  'tell me a joke',
  'who won the football game',
  'play some jazz music',
  'what is the capital of peru',
  'how tall is mount everest',
  'recommend a good movie',
  'set an alarm for seven',
].map((text) => ({ text, intent: 'out_of_scope' }));

const p = (truth: string, best: string, probability: number, oosProbability = 0): HeldOutPrediction => ({
  truth,
  best,
  probability,
  oos: oosProbability,
});

describe('triage figures and the out-of-scope threshold', () => {
  it('scores accuracy, in-scope accuracy, out-of-scope recall, macro-F1 and confusions', () => {
    const predictions = [
      p('a', 'a', 0.9),
      p('a', 'b', 0.8),
      p('b', 'b', 0.3),
      p('out_of_scope', 'a', 0.2),
      p('out_of_scope', 'b', 0.6, 0.7),
    ];
    const figures = scorePredictions(predictions, 0.25);
    expect(figures).toEqual(
      expect.objectContaining({
        rows: 5,
        accuracy: 80,
        inScopeAccuracy: 66.67,
        topIntentAccuracy: 66.67,
        falseOutOfScope: 0,
        outOfScopeRows: 2,
        outOfScopeRecall: 100,
        threshold: 0.25,
        confusions: [{ expected: 'a', predicted: 'b', count: 1 }],
      }),
    );
    // F1: a 2/3, b 2/3, out_of_scope 1.
    expect(figures.macroF1).toBeCloseTo(77.78, 2);
    const strict = scorePredictions(predictions, 0.5);
    expect(strict.inScopeAccuracy).toBe(33.33);
    expect(strict.confusions).toContainEqual({ expected: 'b', predicted: 'out_of_scope', count: 1 });
  });

  it('chooses the threshold with the best held-out accuracy when out-of-scope rows exist', () => {
    const predictions = [
      p('a', 'a', 0.9),
      p('a', 'a', 0.7),
      p('b', 'b', 0.45),
      p('out_of_scope', 'a', 0.3),
      p('out_of_scope', 'b', 0.35),
    ];
    // 0.36 … 0.45 catch both out-of-scope rows and keep every in-scope one.
    expect(chooseThreshold(predictions).threshold).toBe(0.36);
  });

  it('without out-of-scope rows: the 1st percentile of rightly classified rows, at most 0.5', () => {
    const right = Array.from({ length: 200 }, (_, i) => p('a', 'a', 0.2 + (i / 200) * 0.8));
    expect(chooseThreshold(right).threshold).toBe(0.208);
    const sure = Array.from({ length: 100 }, () => p('a', 'a', 0.95));
    expect(chooseThreshold(sure)).toEqual(expect.objectContaining({ threshold: 0.5 }));
  });
});

describe('trainTriage', () => {
  let model: TriageModel;
  beforeAll(() => {
    model = trainTriage([...rows, ...oos], { folds: 3, linear: { bits: 14, epochs: 15 } }).model;
  });

  it('learns the intents and an out_of_scope label, with a threshold and its figures in the metadata', () => {
    expect(model.labels).toEqual(['lost_card', 'open_account', 'refund']);
    expect(model.outOfScope.learnedLabel).toBe(true);
    expect(model.metadata).toEqual(
      expect.objectContaining({ rows: 80, heldOut: '3-fold cross-validation', figures: expect.any(Object) }),
    );
    expect(predictIntent(model, 'someone stole my visa card')).toEqual(
      expect.objectContaining({ intent: 'lost_card', outOfScope: false }),
    );
    expect(predictIntent(model, 'what is the capital of chile')).toEqual(
      expect.objectContaining({ intent: null, outOfScope: true }),
    );
    const out = triage('what is the capital of chile', model);
    expect(out).toEqual(expect.objectContaining({ intent: null, outOfScope: true }));
  });

  it('evaluates a model on rows', () => {
    const figures = evaluateTriage(model, [
      { text: 'refund the subscription please', intent: 'refund' },
      { text: 'tell me a funny joke', intent: 'out_of_scope' },
    ]);
    expect(figures.accuracy).toBe(100);
    expect(figures.outOfScopeRecall).toBe(100);
  });

  it('round-trips through the v2 file and refuses corrupt, v1 and newer files clearly', () => {
    const back = parseTriageModel(triageModelToJson(model));
    expect(back.labels).toEqual(model.labels);
    expect(predictIntent(back, 'I lost my pin card').intent).toBe('lost_card');
    const file = JSON.parse(triageModelToJson(model)) as Record<string, unknown>;
    expect(file.version).toBe(2);
    expect(() => parseTriageModel(JSON.stringify({ ...file, version: 4 }))).toThrow(
      'the model file has format version 4, newer than this Baton reads (3)',
    );
    // Version 3 is a model with embeddings: a v2 body under that number is refused with the reason.
    expect(() => parseTriageModel(JSON.stringify({ ...file, version: 3 }))).toThrow(
      /\/embeddings is missing in a version 3 file/,
    );
    expect(() => parseTriageModel(JSON.stringify({ version: 1, intent: {} }))).toThrow(/version 1 triage model file/);
    expect(() => parseTriageModel(JSON.stringify({ ...file, intent: 'AAAA' }))).toThrow(
      /corrupt triage model file: \/intent: linear model: /,
    );
    expect(() => parseTriageModel(JSON.stringify({ ...file, labels: ['x'] }))).toThrow(/\/labels differ/);
    expect(() => parseTriageModel('')).toThrow(TriageModelFormatError);
    expect(() => parseTriageModel('{"format":"baton-triage","version":2}')).toThrow(/corrupt triage model file: \//);
  });
});
