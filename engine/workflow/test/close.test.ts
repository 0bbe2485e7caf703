/**
 * The `close` Update's pure part: the bot's last message joins the transcript with the next seq, the
 * conversation ends as abandoned wherever it waited, and an ended one is left as it is.
 */
import { startConversation, type ConversationState } from '@baton/core/interpreter';
import { compileJourney } from '@baton/core/compiler';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closedState } from '../src/close';

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as unknown;

function started(): ConversationState {
  const compiled = compileJourney(journey as never);
  if (!compiled.ok) throw new Error('the example compiles');
  return startConversation(compiled.journey, {
    conversationId: 'conv-close',
    channel: 'web',
    customer: { id: 'c1' },
    variables: {},
    at: 1000,
  }).state;
}

it('adds the message as the bot and ends the conversation as abandoned', () => {
  const state = started();
  const closed = closedState(state, 'Closed at your request.', 5000);
  expect(closed.transcript).toHaveLength(state.transcript.length + 1);
  expect(closed.transcript.at(-1)).toMatchObject({
    seq: state.transcript.length + 1,
    from: 'bot',
    text: 'Closed at your request.',
    at: 5000,
  });
  expect(closed).toMatchObject({ status: 'ended', outcome: 'abandoned', endedAt: 5000, waiting: null });
  expect(state.status).toBe('active');
});

it('leaves an ended conversation unchanged', () => {
  const once = closedState(started(), 'first', 5000);
  expect(closedState(once, 'second', 6000)).toBe(once);
});
