import { n } from '@baton/test-support/fixtures/journeys';
import { sam } from '@baton/test-support/fixtures/conversation';
import { around, handleTaken } from './support';

const handoff = () => around(n.handoff('human', 'needs {{customer.name}}'), ['resolved', 'timeout']);

test('a handoff opens a ticket, waits for an agent and leaves by "resolved"', () => {
  const conversation = handoff().conversation();
  expect(conversation.pendingCall().input).toMatchObject({ reason: 'needs Ann', queue: 'support', priority: 'normal' });
  conversation.succeed({});
  expect(conversation.state.waiting).toMatchObject({ kind: 'agent', nodeId: 'human' });
  conversation.send({ type: 'agent_claimed', agent: sam });
  expect(conversation.said()).toContain("You're now speaking with Sam, a human agent.");
  conversation.send({ type: 'ticket_resolved', agent: sam });
  expect(handleTaken(conversation, 'human')).toBe('resolved');
});

test('a ticket nobody claims in time leaves by "timeout"', () => {
  const conversation = handoff().conversation();
  conversation.succeed({});
  conversation.timeout(conversation.at + 24 * 3600 * 1000);
  expect(handleTaken(conversation, 'human')).toBe('timeout');
});
