import { n } from '@baton/test-support/fixtures/journeys';
import { Conversation, ann } from '@baton/test-support/fixtures/conversation';
import { around, handleTaken } from './support';

const condition = around(
  n.condition('tier', [{ id: 'gold', label: 'gold tier', when: { '==': [{ var: 'customer.tier' }, 'gold'] } }]),
  ['gold', 'else'],
).journey;

test('the first rule that holds picks its handle, otherwise "else"', () => {
  expect(handleTaken(new Conversation(condition), 'tier')).toBe('gold');
  expect(handleTaken(new Conversation(condition, { customer: { ...ann, tier: 'silver' } }), 'tier')).toBe('else');
});
