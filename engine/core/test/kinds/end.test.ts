import { Conversation } from '@baton/test-support/fixtures/conversation';
import { compileOk, minimalJourney } from '@baton/test-support/fixtures/journeys';

test('an end node says its message and ends with its outcome', () => {
  const conversation = new Conversation(compileOk(minimalJourney()));
  expect(conversation.state).toMatchObject({ status: 'ended', outcome: 'resolved_by_bot', waiting: null });
  expect(conversation.last.effects.at(-1)).toEqual({ type: 'end', outcome: 'resolved_by_bot' });
});
