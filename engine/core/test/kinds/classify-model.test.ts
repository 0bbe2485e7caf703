import { compileJourney } from '@baton/core/compiler';
import { edge, journey, n, node } from '@baton/test-support/fixtures/journeys';
import { around, handleTaken } from './support';

const modelNode = (extra: Record<string, unknown> = {}) =>
  node('triage', 'classify', {
    model: { name: 'banking', version: 3 },
    routes: [
      { handle: 'cards', intents: ['card_arrival', 'lost_or_stolen_card'] },
      { handle: 'refunds', intents: ['refund_not_showing_up'] },
    ],
    variable: 'result',
    ...extra,
  });

const modelBacked = (extra: Record<string, unknown> = {}) =>
  around(modelNode(extra), ['cards', 'refunds', 'other', 'fallback'], { result: { type: 'object' } });

test('a model-backed node asks the worker for its pinned model, without example phrases', () => {
  const conversation = modelBacked().conversation();
  expect(conversation.pendingCall().input).toEqual({
    text: expect.any(String),
    model: { name: 'banking', version: 3 },
    journeyId: expect.any(String),
  });
});

test("the model's intent leaves by the handle of the route that names it", () => {
  const conversation = modelBacked().conversation();
  conversation.succeed({ intent: 'lost_or_stolen_card', confidence: 0.41, sentiment: { score: -0.5 } });
  expect(handleTaken(conversation, 'triage')).toBe('cards');
  expect(conversation.state.intent).toEqual({ name: 'lost_or_stolen_card', confidence: 0.41 });
  expect(conversation.state.vars.result).toEqual({ intent: 'lost_or_stolen_card', confidence: 0.41, sentiment: -0.5 });
  const refund = modelBacked().conversation();
  refund.succeed({ intent: 'refund_not_showing_up', confidence: 0.9 });
  expect(handleTaken(refund, 'triage')).toBe('refunds');
});

test('an intent the node does not route leaves by "other"', () => {
  const conversation = modelBacked().conversation();
  conversation.succeed({ intent: 'exchange_rate', confidence: 0.8 });
  expect(handleTaken(conversation, 'triage')).toBe('other');
  expect(conversation.state.path.find((step) => step.nodeId === 'triage')?.note).toBe(
    'intent exchange_rate (0.80) by banking@3, not routed: other',
  );
});

test('out of scope, below the optional bar, or a failing model leaves by "fallback"', () => {
  const outOfScope = modelBacked().conversation();
  outOfScope.succeed({ intent: null, confidence: 0.2, outOfScope: true });
  expect(handleTaken(outOfScope, 'triage')).toBe('fallback');
  expect(outOfScope.state.counters.lowConfidence).toBe(1);
  // outOfScope wins over an intent the model still names
  const flagged = modelBacked().conversation();
  flagged.succeed({ intent: 'card_arrival', confidence: 0.3, outOfScope: true });
  expect(handleTaken(flagged, 'triage')).toBe('fallback');
  const barred = modelBacked({ model: { name: 'banking', version: 3, minConfidence: 0.6 } }).conversation();
  barred.succeed({ intent: 'card_arrival', confidence: 0.55 });
  expect(handleTaken(barred, 'triage')).toBe('fallback');
  const failing = modelBacked().conversation();
  failing.fail('no triage model "banking" is published');
  expect(handleTaken(failing, 'triage')).toBe('fallback');
  expect(failing.state.counters.failures).toBe(1);
});

function diagnosticsOf(data: Record<string, unknown>) {
  const result = compileJourney(
    journey(
      [n.start(), node('triage', 'classify', data), n.end('done')],
      [edge('start', 'next', 'triage'), edge('triage', 'fallback', 'done')],
    ),
  );
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.nodeId} ${d.path}: ${d.message}`);
}

test('a model-backed node takes hundreds of model intents; example-phrase intents stay at 50', () => {
  const many = Array.from({ length: 300 }, (_, i) => `intent_${i}`);
  expect(diagnosticsOf({ model: { name: 'clinc' }, routes: [{ handle: 'all', intents: many }] })).toEqual([]);
  const phrases = Array.from({ length: 51 }, (_, i) => ({ name: `i${i}`, examples: ['x'] }));
  expect(diagnosticsOf({ intents: phrases })[0]).toMatch(/triage \/nodes\/1\/data\/intents: at most 50/);
});

test('the compiler names the node for a model-backed node that is inconsistent', () => {
  expect(diagnosticsOf({ model: { name: 'banking' } })).toEqual([
    'triage /nodes/1/data/routes: a model-backed node needs at least one route',
  ]);
  expect(
    diagnosticsOf({
      model: { name: 'banking' },
      routes: [
        { handle: 'other', intents: ['a'] },
        { handle: 'x', intents: ['a'] },
      ],
    }),
  ).toEqual([
    'triage /nodes/1/data/routes/0/handle: "other" is reserved (unrouted intents leave by "other", out of scope by "fallback")',
    'triage /nodes/1/data/routes/1/intents: model intent "a" is already routed to "other"',
  ]);
  expect(
    diagnosticsOf({ routes: [{ handle: 'x', intents: ['a'] }], intents: [{ name: 'x', examples: ['y'] }] }),
  ).toEqual(["triage /nodes/1/data/routes: routes map a model's intents to handles: name the model"]);
  expect(diagnosticsOf({ model: { name: 'Bad Name' }, routes: [{ handle: 'x', intents: ['a'] }] })[0]).toMatch(
    /^triage \/nodes\/1\/data\/model\/name: a model name is lowercase/,
  );
  expect(diagnosticsOf({})).toEqual(['triage /nodes/1/data/intents: declare at least one intent']);
});
