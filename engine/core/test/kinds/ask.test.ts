import { n } from '@baton/test-support/fixtures/journeys';
import { T0 } from '@baton/test-support/fixtures/conversation';
import { around, handleTaken } from './support';

const ask = () =>
  around(n.ask('q', 'answer', 'Your order number?'), ['reply', 'timeout'], { answer: { type: 'string' } });

test('an ask node asks, waits for the reply (default timeout from the schema) and stores it', () => {
  const conversation = ask().conversation();
  expect(conversation.said()).toEqual(['Your order number?']);
  expect(conversation.state.waiting).toEqual({ kind: 'reply', nodeId: 'q', until: T0 + 600_000 });
  conversation.say('12345');
  expect(conversation.state.vars.answer).toBe('12345');
  expect(handleTaken(conversation, 'q')).toBe('reply');
});

test('without a reply in time it leaves by "timeout"', () => {
  const conversation = ask().conversation();
  conversation.timeout(T0 + 600_000);
  expect(handleTaken(conversation, 'q')).toBe('timeout');
});
