import { n } from '@baton/test-support/fixtures/journeys';
import { around } from './support';

test('a conversation enters at the start node and leaves it by "next" at once', () => {
  const conversation = around(n.message('hello', 'Hello'), ['next']).conversation();
  expect(conversation.pathIds().slice(0, 2)).toEqual(['start', 'hello']);
  expect(conversation.state.path[0]).toMatchObject({ nodeId: 'start', type: 'start', handle: 'next' });
});
