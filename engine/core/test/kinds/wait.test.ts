import { n } from '@baton/test-support/fixtures/journeys';
import { T0 } from '@baton/test-support/fixtures/conversation';
import { around, handleTaken } from './support';

test('a wait node is a durable timer that goes on by "next" when it fires', () => {
  const conversation = around(n.wait('pause', 60), ['next']).conversation();
  expect(conversation.state.waiting).toEqual({ kind: 'timer', nodeId: 'pause', until: T0 + 60_000 });
  conversation.timeout(T0 + 60_000);
  expect(handleTaken(conversation, 'pause')).toBe('next');
});
