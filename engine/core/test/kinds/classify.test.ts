import { n } from '@baton/test-support/fixtures/journeys';
import { around, handleTaken } from './support';

const classify = () =>
  around(n.classify('triage', ['billing'], { variable: 'result' }), ['billing', 'fallback'], {
    result: { type: 'object' },
  });

test('a confident intent leaves by its own handle and fills the result variable', () => {
  const conversation = classify().conversation();
  expect(conversation.pendingCall().input).toMatchObject({ intents: [expect.objectContaining({ name: 'billing' })] });
  conversation.succeed({ intent: 'billing', confidence: 0.9, sentiment: { score: 0 } });
  expect(handleTaken(conversation, 'triage')).toBe('billing');
  expect(conversation.state.vars.result).toEqual({ intent: 'billing', confidence: 0.9, sentiment: 0 });
});

test('below the minimum confidence (0.5 by default) or on a failing model it takes "fallback"', () => {
  const unsure = classify().conversation();
  unsure.succeed({ intent: 'billing', confidence: 0.4 });
  expect(handleTaken(unsure, 'triage')).toBe('fallback');
  const failing = classify().conversation();
  failing.fail('model down');
  expect(handleTaken(failing, 'triage')).toBe('fallback');
  expect(failing.state.counters.failures).toBe(1);
});
