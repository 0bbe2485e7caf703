import { n } from '@baton/test-support/fixtures/journeys';
import { around, handleTaken } from './support';

test('a follow-up sends the transcript, asks for CES and CSAT and leaves by "answered"', () => {
  const conversation = around(n.followup('survey'), ['answered', 'timeout']).conversation();
  expect(conversation.pendingCall().activity).toBe('baton.sendTranscript');
  conversation.succeed({});
  expect(conversation.state.waiting).toMatchObject({ kind: 'survey', nodeId: 'survey' });
  conversation.send({ type: 'survey_answered', ces: 6, csat: 5 });
  conversation.succeed({});
  expect(handleTaken(conversation, 'survey')).toBe('answered');
  expect(conversation.state.survey).toMatchObject({ ces: 6, csat: 5 });
});

test('without the transcript and without an answer it leaves by "timeout"', () => {
  const conversation = around(n.followup('survey', { sendTranscript: false }), ['answered', 'timeout']).conversation();
  expect(conversation.lastCalls()).toEqual([]);
  conversation.timeout(conversation.at + 3 * 24 * 3600 * 1000);
  expect(handleTaken(conversation, 'survey')).toBe('timeout');
});
