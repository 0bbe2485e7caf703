import type { CompiledJourney } from '@baton/schemas';
import { migrateState, migrationVerdict, step, type ConversationState } from '../src/interpreter';
import { Conversation, sam } from '@baton/test-support/fixtures/conversation';
import { compileOk, deepFreeze, edge, journey, n, type RawJourney } from '@baton/test-support/fixtures/journeys';

/** start → ask q → (reply) thanks → handoff → (resolved) bye → end; timeouts → gone. Version 1. */
function v1(): RawJourney {
  return journey(
    [
      n.start(),
      n.ask('q', 'color', 'Favourite colour?'),
      n.message('thanks', 'You said {{color}}.'),
      n.activity('lookup', 'accounts.lookup', { output: 'account' }),
      n.handoff('human', 'wants a person'),
      n.message('bye', 'Bye from v1.'),
      n.end('done'),
      n.end('gone', 'abandoned'),
    ],
    [
      edge('start', 'next', 'q'),
      edge('q', 'reply', 'thanks'),
      edge('q', 'timeout', 'gone'),
      edge('thanks', 'next', 'lookup'),
      edge('lookup', 'ok', 'human'),
      edge('lookup', 'error', 'human'),
      edge('human', 'resolved', 'bye'),
      edge('human', 'timeout', 'gone'),
      edge('bye', 'next', 'done'),
    ],
    { version: 1, variables: { color: { type: 'string' }, account: { type: 'object' } } },
  );
}

function compile(raw: RawJourney, version: number): CompiledJourney {
  return deepFreeze(compileOk({ ...raw, version }));
}

function dataOf(raw: RawJourney, id: string): Record<string, unknown> {
  const found = raw.nodes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found.data;
}

/** Answers every pending activity call with a success, until the conversation waits on something else. */
function settle(conversation: Conversation): void {
  for (let i = 0; i < 10 && conversation.state.waiting?.kind === 'activity'; i += 1)
    conversation.succeed({ ticketId: 't1' });
}

describe('migrationVerdict', () => {
  const from = compile(v1(), 1);

  function atAsk(): Conversation {
    const conversation = new Conversation(from);
    expect(conversation.state.waiting).toMatchObject({ kind: 'reply', nodeId: 'q' });
    return conversation;
  }

  it('a conversation waiting for a reply moves to a version that changes only texts and adds a variable', () => {
    const raw = v1();
    dataOf(raw, 'bye').text = 'Bye from v2.';
    raw.variables = { ...raw.variables, mood: { type: 'string', default: 'calm' } };
    const to = compile(raw, 2);
    expect(migrationVerdict(atAsk().state, from, to)).toEqual({ movable: true });
  });

  it('refuses when the node it waits at is gone', () => {
    const raw = v1();
    raw.nodes = raw.nodes.map((node) => (node.id === 'q' ? { ...node, id: 'q2' } : node));
    raw.edges = raw.edges.map((e) => ({
      ...e,
      source: e.source === 'q' ? 'q2' : e.source,
      target: e.target === 'q' ? 'q2' : e.target,
    }));
    const to = compile(raw, 2);
    const verdict = migrationVerdict(atAsk().state, from, to);
    expect(verdict).toMatchObject({ movable: false, code: 'node_missing' });
    expect(verdict.movable === false && verdict.reason).toMatch(/node "q".*version 2/);
  });

  it('refuses when the node changed kind', () => {
    const raw = v1();
    raw.nodes = raw.nodes.map((node) =>
      node.id === 'q' ? { ...node, type: 'message', data: { text: 'no question any more' } } : node,
    );
    raw.edges = raw.edges
      .filter((e) => !(e.source === 'q' && e.sourceHandle === 'timeout'))
      .map((e) => (e.source === 'q' ? { ...e, sourceHandle: 'next' } : e));
    const to = compileOk({ ...raw, version: 2 });
    expect(migrationVerdict(atAsk().state, from, to)).toMatchObject({ movable: false, code: 'node_type_changed' });
  });

  it('refuses when a handle it could leave by is gone', () => {
    // Every waiting kind's handles are required by the compiler, so a hand-made v2 stands in for one
    // whose handoff lost its `timeout` handle (the verdict does not trust the compiler on that).
    const to = structuredClone(compileOk({ ...v1(), version: 2, name: 'Second' })) as CompiledJourney;
    const human = to.nodes.human;
    if (!human) throw new Error('fixture changed');
    delete human.next.timeout;
    const conversation = atAsk();
    conversation.say('blue');
    settle(conversation);
    expect(conversation.state.waiting).toMatchObject({ kind: 'agent', nodeId: 'human' });
    const verdict = migrationVerdict(conversation.state, from, to);
    expect(verdict).toMatchObject({ movable: false, code: 'handle_missing' });
    expect(verdict.movable === false && verdict.reason).toContain('"timeout"');
    // A handle added in v2 is fine the other way round.
    expect(
      migrationVerdict({ ...conversation.state, journey: { id: to.id, version: to.version, hash: to.hash } }, to, from),
    ).toEqual({ movable: true });
  });

  it('refuses in the middle of an activity, after the end, on another version, and says when it is already there', () => {
    const raw = v1();
    dataOf(raw, 'bye').text = 'Bye from v2.';
    const to = compile(raw, 2);
    const conversation = atAsk();
    conversation.say('blue');
    expect(conversation.state.waiting).toMatchObject({ kind: 'activity', nodeId: 'lookup' });
    expect(migrationVerdict(conversation.state, from, to)).toMatchObject({ movable: false, code: 'busy' });

    const ended = atAsk();
    ended.timeout();
    expect(ended.state.status).toBe('ended');
    expect(migrationVerdict(ended.state, from, to)).toMatchObject({
      movable: false,
      code: 'ended',
      reason: 'the conversation has ended',
    });

    const moved = migrateState(atAsk().state, to);
    expect(migrationVerdict(moved, from, to)).toMatchObject({
      movable: false,
      code: 'already_migrated',
      reason: 'already on version 2',
    });
    const third = compile({ ...raw, name: 'Third' }, 3);
    expect(migrationVerdict(moved, from, third)).toMatchObject({ movable: false, code: 'other_version' });
    expect(migrationVerdict(atAsk().state, from, { ...to, id: 'elsewhere' })).toMatchObject({
      movable: false,
      code: 'other_journey',
    });
  });

  it('a conversation waiting on a timer or a survey can move', () => {
    const raw = journey(
      [n.start(), n.wait('pause', 60), n.followup('survey', { responseTimeoutSeconds: 60 }), n.end('done')],
      [
        edge('start', 'next', 'pause'),
        edge('pause', 'next', 'survey'),
        edge('survey', 'answered', 'done'),
        edge('survey', 'timeout', 'done'),
      ],
      { version: 1 },
    );
    const a = compile(raw, 1);
    const b = compile({ ...raw, name: 'Renamed' }, 2);
    const conversation = new Conversation(a);
    expect(conversation.state.waiting).toMatchObject({ kind: 'timer', nodeId: 'pause' });
    expect(migrationVerdict(conversation.state, a, b)).toEqual({ movable: true });
    conversation.timeout();
    if (conversation.state.waiting?.kind === 'activity') conversation.succeed(null);
    expect(conversation.state.waiting).toMatchObject({ kind: 'survey', nodeId: 'survey' });
    expect(migrationVerdict(conversation.state, a, b)).toEqual({ movable: true });
  });
});

describe('migrateState', () => {
  it('pins the new version, adds new defaults, keeps values and the wait, notes the path, leaves its input alone', () => {
    const from = compile(v1(), 1);
    const raw = v1();
    dataOf(raw, 'bye').text = 'Bye from v2.';
    raw.variables = {
      color: { type: 'string', default: 'red' },
      account: { type: 'object' },
      mood: { type: 'string', default: 'calm' },
    };
    const to = compile(raw, 2);
    const conversation = new Conversation(from, { variables: { color: 'green' } });
    const before: ConversationState = deepFreeze(conversation.state);
    const snapshot = JSON.stringify(before);
    const after = migrateState(before, to);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after.journey).toEqual({ id: to.id, version: 2, hash: to.hash });
    expect(after.vars).toEqual({ color: 'green', mood: 'calm' });
    expect(after.waiting).toEqual(before.waiting);
    expect(after.nodeId).toBe('q');
    expect(after.transcript).toEqual(before.transcript);
    expect(after.path[after.path.length - 1]).toMatchObject({ nodeId: 'q', note: 'migrated from v1 to v2' });

    // The conversation goes on in v2: the reply leads through v2's nodes and texts.
    const out = step(to, after, {
      type: 'customer_message',
      at: conversation.at + 1000,
      text: 'blue',
      clientMessageId: 'm1',
    });
    expect(out.state.journey.version).toBe(2);
    expect(out.state.waiting).toMatchObject({ kind: 'activity', nodeId: 'lookup' });
    const moved = new Conversation(to);
    moved.state = out.state;
    moved.at = conversation.at + 1000;
    settle(moved);
    moved.send({ type: 'agent_claimed', agent: sam });
    moved.send({ type: 'ticket_resolved', agent: sam });
    settle(moved);
    const resolved = moved.state;
    expect(resolved.transcript.map((entry) => entry.text)).toContain('Bye from v2.');
    expect(resolved.transcript.map((entry) => entry.text)).not.toContain('Bye from v1.');
  });
});
