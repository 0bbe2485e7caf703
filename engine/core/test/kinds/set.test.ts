import { n } from '@baton/test-support/fixtures/journeys';
import { around } from './support';

test('assignments run in order, each seeing the ones before it', () => {
  const conversation = around(
    n.set('count', [
      { variable: 'attempts', value: 1 },
      { variable: 'attempts', value: { '+': [{ var: 'attempts' }, 1] } },
    ]),
    ['next'],
    { attempts: { type: 'number' } },
  ).conversation();
  expect(conversation.state.vars.attempts).toBe(2);
});
