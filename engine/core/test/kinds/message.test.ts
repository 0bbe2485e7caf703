import { n } from '@baton/test-support/fixtures/journeys';
import { around } from './support';

test('a message node says its rendered text and goes on by "next"', () => {
  const conversation = around(n.message('hello', 'Hi {{customer.name}}'), ['next']).conversation();
  expect(conversation.said()).toEqual(['Hi Ann', 'left by next']);
  expect(conversation.state.status).toBe('ended');
});
