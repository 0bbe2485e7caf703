import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { CompiledJourney, JsonValue } from '@baton/schemas';
import {
  startConversation,
  step,
  type ConversationEvent,
  type ConversationState,
  type StepOutput,
} from '../src/interpreter';
import { T0, ann, sam } from '@baton/test-support/fixtures/conversation';
import { compileOk, deepFreeze, everyKindJourney, passwordResetJourney } from '@baton/test-support/fixtures/journeys';

/**
 * A fixed seed keeps CI reproducible (the coverage assertions depend on what the generators
 * produce); BATON_PROPERTY_SEED=random (or a number) explores other inputs.
 */
const seedSetting = process.env.BATON_PROPERTY_SEED ?? '20261125';
if (seedSetting !== 'random') fc.configureGlobal({ seed: Number(seedSetting) });

/** BATON_PROPERTY_RUNS=10 runs every property ten times as often (a deeper local hunt). */
const runs = (count: number) => Math.max(1, Math.round(count * Number(process.env.BATON_PROPERTY_RUNS ?? 1)));

/**
 * A command is an event before it meets a state: "the result of the pending call" only gets its
 * call id when it is sent, so that sequences reach deep into the journey instead of being rejected.
 */
type Command =
  | { kind: 'message'; text: string; clientMessageId: string }
  | { kind: 'timeout'; atUntil: boolean }
  | { kind: 'result'; ok: true; classification: JsonValue; output: JsonValue; stale: boolean }
  | { kind: 'result'; ok: false; error: string; stale: boolean }
  | { kind: 'claim'; agentName: string }
  | { kind: 'agentMessage'; text: string; clientMessageId: string }
  | { kind: 'resolve'; resolution?: string }
  | { kind: 'survey'; ces?: number; csat?: number; comment?: string }
  /** Whatever moves the conversation on from where it waits, chosen by `pick` among what applies there. */
  | {
      kind: 'progress';
      pick: number;
      text: string;
      classification: JsonValue;
      output: JsonValue;
      answer: { intent: number; confidence: number; score: number } | null;
    };

/** The intents of both journeys, and some that neither declares. */
const declaredIntents = ['reset_password', 'human', 'yes', 'no', 'billing'];
const otherIntents = ['undeclared', 'toString', 'fallback', ''];

/** Numbers that can travel in JSON (activity results come through a JSON payload converter). */
const jsonNumber = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n));

/** An activity's output as it arrives through JSON (so no -0). */
const jsonOutput = fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.parse(JSON.stringify(value)) as JsonValue);

/** Evenly spread over [min, max] in hundredths (fc.double crowds around 0 and the bounds). */
const hundredths = (min: number, max: number) => fc.integer({ min: min * 100, max: max * 100 }).map((n) => n / 100);

/** What baton.classify answers: mostly well formed, sometimes odd. */
const classification = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        intent: fc.constantFrom(...declaredIntents),
        confidence: hundredths(0, 1),
        sentiment: fc.record({ score: hundredths(-1, 1) }, { noNullPrototype: true }),
      },
      { noNullPrototype: true },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        intent: fc.oneof(fc.constantFrom(...declaredIntents, ...otherIntents), fc.string({ maxLength: 5 }), jsonNumber),
        confidence: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), jsonNumber, fc.string({ maxLength: 3 })),
        sentiment: fc.oneof(
          fc.record({ score: fc.oneof(jsonNumber, fc.constant(null)) }, { noNullPrototype: true }),
          jsonOutput,
        ),
      },
      { requiredKeys: [], noNullPrototype: true },
    ),
  },
  { weight: 1, arbitrary: jsonOutput },
) as fc.Arbitrary<JsonValue>;

const command = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constant('progress' as const),
      pick: fc.integer({ min: 0, max: 999 }),
      text: fc.constantFrom('I forgot my password', 'no', 'yes', 'it did not work', 'a person please'),
      classification,
      output: jsonOutput,
      /** A well-formed answer naming one of the classify node's own intents (null: use `classification`). */
      answer: fc.option(fc.record({ intent: fc.nat(), confidence: hundredths(0, 1), score: hundredths(-1, 1) }), {
        freq: 4,
      }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('message' as const),
      text: fc.oneof(
        fc.constantFrom('I forgot my password', 'no', 'yes it worked', 'agent please', '{{customer.name}}'),
        fc.string({ minLength: 1, maxLength: 20 }),
      ),
      clientMessageId: fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', '__proto__', 'constructor'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('timeout' as const), atUntil: fc.boolean() }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('result' as const),
      ok: fc.constant(true as const),
      classification,
      output: jsonOutput,
      stale: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('result' as const),
      ok: fc.constant(false as const),
      error: fc.string({ maxLength: 10 }),
      stale: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('claim' as const), agentName: fc.constantFrom('Sam', 'Kim') }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('agentMessage' as const),
      text: fc.string({ minLength: 1, maxLength: 10 }),
      clientMessageId: fc.constantFrom('a1', 'a2', 'a3', 'm1'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('resolve' as const),
        resolution: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
      },
      { requiredKeys: ['kind'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('survey' as const),
        ces: fc.integer({ min: 1, max: 7 }),
        csat: fc.integer({ min: 1, max: 5 }),
        comment: fc.string({ maxLength: 10 }),
      },
      { requiredKeys: ['kind'] },
    ),
  },
) as fc.Arbitrary<Command>;

/** Deep equality, cheap when it holds (these checks run on every step); jest's diff when it does not. */
function expectSame(actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual).toEqual(expected);
}

const scenario = fc.record({
  commands: fc.array(command, { maxLength: 60, size: 'max' }),
  gaps: fc.array(fc.integer({ min: 0, max: 3_600_000 }), { minLength: 1, maxLength: 40 }),
});

/** Turns a command into an event for the conversation as it is now. */
function eventFor(
  journey: CompiledJourney,
  state: ConversationState,
  cmd: Command,
  at: number,
  index: number,
): ConversationEvent {
  const waiting = state.waiting;
  switch (cmd.kind) {
    case 'progress': {
      const message: ConversationEvent = { type: 'customer_message', at, text: cmd.text, clientMessageId: `p${index}` };
      const timeout: ConversationEvent = {
        type: 'timeout',
        at: waiting && 'until' in waiting && waiting.until !== null ? Math.max(at, waiting.until) : at,
      };
      const weighted: [number, ConversationEvent][] = [];
      switch (waiting?.kind) {
        case 'reply':
          weighted.push([8, message], [1, timeout]);
          break;
        case 'activity': {
          let output = waiting.purpose === 'classify' ? cmd.classification : cmd.output;
          const declared = ((journey.nodes[waiting.nodeId]?.data.intents ?? []) as { name: string }[]).map(
            (intent) => intent.name,
          );
          if (waiting.purpose === 'classify' && cmd.answer && declared.length) {
            output = {
              intent: declared[cmd.answer.intent % declared.length] as string,
              confidence: cmd.answer.confidence,
              sentiment: { score: cmd.answer.score },
            };
          }
          weighted.push(
            [8, { type: 'activity_result', at, callId: waiting.callId, ok: true, output }],
            [1, { type: 'activity_result', at, callId: waiting.callId, ok: false, error: 'boom' }],
            [1, message],
          );
          break;
        }
        case 'agent':
          if (state.handoffs.at(-1)?.claimedBy) {
            weighted.push(
              [2, { type: 'agent_message', at, agent: sam, text: 'On it', clientMessageId: `pa${index}` }],
              [1, message],
              [3, { type: 'ticket_resolved', at, agent: sam }],
            );
          } else {
            weighted.push([6, { type: 'agent_claimed', at, agent: sam }], [1, timeout]);
          }
          break;
        case 'timer':
          weighted.push([4, timeout], [1, message]);
          break;
        case 'survey':
          weighted.push([4, { type: 'survey_answered', at, csat: 4 }], [2, timeout], [1, message]);
          break;
        default:
          weighted.push([1, message]);
      }
      const total = weighted.reduce((sum, [weight]) => sum + weight, 0);
      let pick = (cmd.pick / 1000) * total;
      for (const [weight, event] of weighted) {
        if (pick < weight) return event;
        pick -= weight;
      }
      return (weighted.at(-1) as [number, ConversationEvent])[1];
    }
    case 'message':
      return { type: 'customer_message', at, text: cmd.text, clientMessageId: cmd.clientMessageId };
    case 'timeout':
      return {
        type: 'timeout',
        at: cmd.atUntil && waiting && 'until' in waiting && waiting.until !== null ? Math.max(at, waiting.until) : at,
      };
    case 'result': {
      const callId = !cmd.stale && waiting?.kind === 'activity' ? waiting.callId : 'stale#0';
      if (!cmd.ok) return { type: 'activity_result', at, callId, ok: false, error: cmd.error };
      const output = waiting?.kind === 'activity' && waiting.purpose === 'classify' ? cmd.classification : cmd.output;
      return { type: 'activity_result', at, callId, ok: true, output };
    }
    case 'claim':
      return { type: 'agent_claimed', at, agent: cmd.agentName === 'Sam' ? sam : { id: 'agent_kim', name: 'Kim' } };
    case 'agentMessage':
      return { type: 'agent_message', at, agent: sam, text: cmd.text, clientMessageId: cmd.clientMessageId };
    case 'resolve':
      return {
        type: 'ticket_resolved',
        at,
        agent: sam,
        ...(cmd.resolution !== undefined && { resolution: cmd.resolution }),
      };
    case 'survey':
      return {
        type: 'survey_answered',
        at,
        ...(cmd.ces !== undefined && { ces: cmd.ces }),
        ...(cmd.csat !== undefined && { csat: cmd.csat }),
        ...(cmd.comment !== undefined && { comment: cmd.comment }),
      };
  }
}

interface Trace {
  outputs: StepOutput[];
  states: ConversationState[];
}

/** Runs one scenario, checking after each step what must always hold. */
function run(journey: CompiledJourney, commands: Command[], gaps: number[]): Trace {
  const started = startConversation(journey, {
    conversationId: 'conv',
    channel: 'test',
    customer: ann,
    variables: {},
    at: T0,
  });
  checkState(journey, started.state);
  const trace: Trace = { outputs: [started], states: [started.state] };
  let state = started.state;
  let at = T0;
  commands.forEach((cmd, index) => {
    at += gaps[index % gaps.length] as number;
    const event = eventFor(journey, state, cmd, at, index);
    at = event.at;
    const input = deepFreeze(state);
    const snapshot = JSON.stringify(input);
    const wasEnded = input.status === 'ended';
    const out = step(journey, input, event);

    // Never mutates its input (a write to the frozen state would have thrown already).
    expect(JSON.stringify(input)).toBe(snapshot);
    if (out.rejected !== undefined || out.duplicate) {
      expect(out.state).toBe(input);
      expect(out.effects).toEqual([]);
      expect(typeof (out.rejected ?? '')).toBe('string');
    } else {
      checkStep(input, out);
    }
    // Once ended, nothing applies any more: a new event is rejected, a retried message is a duplicate.
    if (wasEnded) {
      expect(out.state).toBe(input);
      if (!out.duplicate) expect(out.rejected).toBe('the conversation has ended');
    }
    checkState(journey, out.state);
    trace.outputs.push(out);
    trace.states.push(out.state);
    state = out.state;
  });
  return trace;
}

/** What a step that applied must produce, relative to its input. */
function checkStep(before: ConversationState, out: StepOutput): void {
  const after = out.state;
  // The transcript only grows, and the effects say exactly the new lines.
  expectSame(after.transcript.slice(0, before.transcript.length), before.transcript);
  const said = out.effects.flatMap((e) => (e.type === 'say' ? [e.entry] : []));
  expectSame(said, after.transcript.slice(before.transcript.length));
  // The path only grows, except for its last step which gets the handle it left by.
  expectSame(
    after.path.slice(0, Math.max(0, before.path.length - 1)),
    before.path.slice(0, Math.max(0, before.path.length - 1)),
  );
  // At most one end, and only when the conversation ended.
  const ends = out.effects.filter((e) => e.type === 'end');
  expect(ends.length).toBe(after.status === 'ended' ? 1 : 0);
  // Calls carry fresh ids, and the conversation waits on the last one when it waits on an activity.
  const calls = out.effects.flatMap((e) => (e.type === 'call_activity' ? [e] : []));
  expect(new Set(calls.map((c) => c.callId)).size).toBe(calls.length);
  expect(after.calls).toBe(before.calls + calls.length);
  const pending = after.waiting?.kind === 'activity' ? after.waiting.callId : undefined;
  const pendingBefore = before.waiting?.kind === 'activity' ? before.waiting.callId : undefined;
  if (pending !== undefined && pending !== pendingBefore) expect(calls.at(-1)?.callId).toBe(pending);
  if (pending !== undefined && pending === pendingBefore) expect(calls).toEqual([]);
}

/** A failed invariant; cheaper than `expect` on every step of every run, and fast-check reports the message. */
function check(condition: boolean, message: string, detail?: unknown): void {
  if (!condition) throw new Error(detail === undefined ? message : `${message}: ${JSON.stringify(detail)}`);
}

/** What must hold of any state. */
function checkState(journey: CompiledJourney, state: ConversationState): void {
  // Transcript seq numbers are 1..n, contiguous.
  state.transcript.forEach((entry, index) =>
    check(
      entry.seq === index + 1,
      'transcript seq numbers are 1..n',
      state.transcript.map((e) => e.seq),
    ),
  );
  // The path starts at the start node and only follows compiled edges.
  check(state.path[0]?.nodeId === journey.start, 'the path starts at the start node', state.path[0]);
  state.path.forEach((p, index) => {
    const node = Object.hasOwn(journey.nodes, p.nodeId) ? journey.nodes[p.nodeId] : undefined;
    check(node?.type === p.type, 'a path step names a node of the journey, with its type', p);
    const following = state.path[index + 1];
    if (following) {
      const handle = p.handle ?? '';
      check(
        node !== undefined && Object.hasOwn(node.next, handle) && node.next[handle] === following.nodeId,
        'the path only follows compiled edges',
        [p, following],
      );
    }
  });
  check(state.nodeId === state.path.at(-1)?.nodeId, 'the current node is the last of the path', [
    state.nodeId,
    state.path.at(-1),
  ]);
  // Never stranded on a handle that leads nowhere: the compiler made sure of that.
  check(
    !state.transcript.some((entry) => entry.from === 'system'),
    'no system line (the conversation never stops on its own)',
    state.transcript.at(-1),
  );
  // An active conversation always waits on something at its current node; an ended one on nothing.
  if (state.status === 'active') {
    check(
      state.waiting !== null && state.waiting.nodeId === state.nodeId && state.outcome === null,
      'an active conversation waits at its node',
      state.waiting,
    );
  } else {
    check(
      state.waiting === null && state.outcome !== null && state.endedAt !== null,
      'an ended conversation has an outcome and waits on nothing',
      state,
    );
  }
  // Every customer turn is in the transcript, and every remembered message id points at its entry.
  check(
    state.counters.turns === state.transcript.filter((entry) => entry.from === 'customer').length,
    'turns count the customer lines',
  );
  for (const [id, seq] of Object.entries(state.messageIds)) {
    const entry = state.transcript[seq - 1];
    const expected = id.startsWith('agent:')
      ? { from: 'agent', id: id.slice('agent:'.length) }
      : { from: 'customer', id };
    check(
      entry?.from === expected.from && entry.clientMessageId === expected.id,
      'a message id points at its transcript entry',
      { id, entry },
    );
  }
  // The state is plain JSON: it survives a round trip through a workflow history unchanged.
  expectSame(JSON.parse(JSON.stringify(state)), state);
}

const journeys: [string, CompiledJourney][] = [
  ['password-reset example', compileOk(passwordResetJourney())],
  ['every node kind', compileOk(everyKindJourney())],
];

describe.each(journeys)('interpreter properties: %s', (_name, journey) => {
  deepFreeze(journey);

  test('random event sequences: never throws, never mutates its input, keeps its invariants', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(scenario, ({ commands, gaps }) => {
        const trace = run(journey, commands, gaps);
        for (const state of trace.states) for (const p of state.path) reached.add(p.nodeId);
      }),
      { numRuns: runs(150) },
    );
    // The sequences must reach (nearly) the whole journey for the invariants to mean something.
    expect([...reached].sort()).toEqual(Object.keys(journey.nodes).sort());
  });

  test('deterministic: the same sequence gives deep-equal states and effects', () => {
    fc.assert(
      fc.property(scenario, ({ commands, gaps }) => {
        const first = run(journey, commands, gaps);
        const second = run(journey, commands, gaps);
        expectSame(second.outputs, first.outputs);
      }),
      { numRuns: runs(50) },
    );
  });
});
