import { compileJourney } from '../../src/compiler';
import { edge, journey, n } from '@baton/test-support/fixtures/journeys';
import { around, handleTaken } from './support';

const lookup = () =>
  around(
    n.activity('lookup', 'orders.lookup', { input: { id: { var: 'customer.id' } }, output: 'order' }),
    ['ok', 'error'],
    { order: { type: 'object' } },
  );

test('an activity node calls its activity with the evaluated input and stores the output', () => {
  const conversation = lookup().conversation();
  expect(conversation.pendingCall()).toMatchObject({
    activity: 'orders.lookup',
    input: { id: 'cus_1' },
    timeoutSeconds: 30,
  });
  conversation.succeed({ status: 'shipped' });
  expect(conversation.state.vars.order).toEqual({ status: 'shipped' });
  expect(handleTaken(conversation, 'lookup')).toBe('ok');
});

test('a failed call leaves by "error"', () => {
  const conversation = lookup().conversation();
  conversation.fail('not found');
  expect(handleTaken(conversation, 'lookup')).toBe('error');
});

test("the compiler checks the catalog and copies the activity's task queue", () => {
  const raw = journey(
    [n.start(), n.activity('lookup', 'orders.lookup'), n.end('done'), n.end('failed', 'abandoned')],
    [edge('start', 'next', 'lookup'), edge('lookup', 'ok', 'done'), edge('lookup', 'error', 'failed')],
  );
  const activities = new Map([
    ['orders.lookup', { name: 'orders.lookup', input: { required: ['id'] }, taskQueue: 'orders' }],
  ]);
  const missingInput = compileJourney(raw, { activities });
  expect(missingInput.diagnostics.map((d) => d.code)).toEqual(['missing_activity_input']);
  const unknown = compileJourney(raw, { activities: new Map() });
  expect(unknown.diagnostics.map((d) => d.code)).toEqual(['unknown_activity']);
  const fine = compileJourney(raw, {
    activities: new Map([['orders.lookup', { ...activities.get('orders.lookup')!, input: {} }]]),
  });
  expect(fine.ok && fine.journey.nodes.lookup?.data).toMatchObject({ taskQueue: 'orders' });
});
