import { applyViewChanges, conversationView, viewChanges, viewLengths } from '../src/interpreter';
import { Conversation } from '@baton/test-support/fixtures/conversation';
import { compileOk, edge, journey, n } from '@baton/test-support/fixtures/journeys';

/** start → ask q → (reply) thanks → ask again …; (timeout) → gone */
const echoJourney = compileOk(
  journey(
    [
      n.start(),
      n.ask('q', 'said', 'Say something', { timeoutSeconds: 60 }),
      n.message('thanks', 'You said {{said}}.'),
      n.end('gone', 'abandoned', 'Bye for now.'),
    ],
    [
      edge('start', 'next', 'q'),
      edge('q', 'reply', 'thanks'),
      edge('q', 'timeout', 'gone'),
      edge('thanks', 'next', 'q'),
    ],
    { variables: { said: { type: 'string' } } },
  ),
);

/** What travels: JSON both ways, as an Update's answer and a stored projection do. */
const overTheWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('view changes', () => {
  test('the stored view and an Update’s changes make the whole view, message after message', () => {
    const c = new Conversation(echoJourney);
    for (const text of ['one', 'two', 'three']) {
      const base = overTheWire(conversationView(c.state));
      const since = viewLengths(c.state);
      c.say(text);
      const changes = overTheWire(viewChanges(c.state, since));
      // Only this message's entries travel, not the transcript so far.
      expect(changes.transcript.map((entry) => entry.text)).toEqual([text, `You said ${text}.`, 'Say something']);
      expect(applyViewChanges(base, changes)).toEqual(overTheWire(conversationView(c.state)));
    }
  });

  test('the last path step, annotated after the projection was taken, travels again', () => {
    const c = new Conversation(echoJourney);
    const base = overTheWire(conversationView(c.state));
    const since = viewLengths(c.state);
    expect(base.path.at(-1)).toMatchObject({ nodeId: 'q' });
    expect(base.path.at(-1)?.note).toBeUndefined();
    c.timeout();
    const changes = viewChanges(c.state, since);
    expect(changes.path[0]).toMatchObject({ nodeId: 'q', handle: 'timeout', note: 'no reply in time' });
    expect(applyViewChanges(base, overTheWire(changes))).toEqual(overTheWire(conversationView(c.state)));
  });

  test('changes apply to a projection at least as long as where they start, of the same conversation', () => {
    const c = new Conversation(echoJourney);
    const older = overTheWire(conversationView(c.state));
    c.say('one');
    const base = overTheWire(conversationView(c.state));
    const since = viewLengths(c.state);
    c.say('two');
    const changes = overTheWire(viewChanges(c.state, since));
    const answered = overTheWire(conversationView(c.state));
    c.say('three');
    // A projection written meanwhile (by the worker) and already past the answer.
    const newer = overTheWire(conversationView(c.state));
    expect(applyViewChanges(base, changes)).toEqual(answered);
    expect(applyViewChanges(newer, changes)).toEqual(answered);
    expect(applyViewChanges(older, changes)).toBeUndefined();
    expect(applyViewChanges({ ...base, conversationId: 'another' }, changes)).toBeUndefined();
  });

  test('a duplicate message changes nothing and applies as the identity', () => {
    const c = new Conversation(echoJourney);
    c.say('one');
    const base = overTheWire(conversationView(c.state));
    const changes = viewChanges(c.state, viewLengths(c.state));
    expect(changes.transcript).toEqual([]);
    expect(applyViewChanges(base, overTheWire(changes))).toEqual(base);
  });
});
