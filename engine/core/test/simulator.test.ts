import type { CompiledJourney, JourneyInput, JsonValue } from '@baton/schemas';
import { compileJourney } from '../src/compiler';
import {
  ActivityUnavailableError,
  defaultStartAt,
  formatFailures,
  formatTranscript,
  parseDuration,
  parseTestFile,
  simulate,
  type ActivityRunner,
  type ScriptInput,
} from '../src/simulator';

const at = (x: number, y: number) => ({ x, y });

/** A small journey that uses every kind of wait: reply, classify, activity, timer, agent, survey. */
const definition: JourneyInput = {
  schemaVersion: 1,
  id: 'mini',
  name: 'Mini',
  variables: { need: { type: 'string' }, order: { type: 'object' } },
  nodes: [
    { id: 'start', type: 'start', position: at(0, 0), data: {} },
    { id: 'hello', type: 'message', position: at(0, 1), data: { text: 'Hi {{customer.name}}' } },
    {
      id: 'ask',
      type: 'ask',
      position: at(0, 2),
      data: { label: 'Asked what they need', prompt: 'What do you need?', variable: 'need', timeoutSeconds: 60 },
    },
    {
      id: 'triage',
      type: 'classify',
      position: at(0, 3),
      data: {
        label: 'Triage',
        intents: [
          { name: 'order', examples: ['where is my order'] },
          { name: 'human', examples: ['talk to a person'] },
        ],
      },
    },
    {
      id: 'lookup',
      type: 'activity',
      position: at(0, 4),
      data: { label: 'Looked up the order', activity: 'orders.lookup', input: { q: { var: 'need' } }, output: 'order' },
    },
    { id: 'tell', type: 'message', position: at(0, 5), data: { text: 'Status: {{order.status}}' } },
    { id: 'nap', type: 'wait', position: at(0, 6), data: { seconds: 30 } },
    { id: 'done', type: 'end', position: at(0, 7), data: { outcome: 'resolved_by_bot', message: 'Bye' } },
    {
      id: 'agent',
      type: 'handoff',
      position: at(1, 4),
      data: { queue: 'support', priority: 'high', reason: 'needs a person ({{need}})', timeoutSeconds: 600 },
    },
    { id: 'thanks', type: 'followup', position: at(1, 5), data: { message: 'Thanks', responseTimeoutSeconds: 3600 } },
    { id: 'closed', type: 'end', position: at(1, 6), data: { outcome: 'resolved_by_agent' } },
    { id: 'bye', type: 'end', position: at(2, 3), data: { outcome: 'abandoned' } },
  ],
  edges: [
    ['start', 'next', 'hello'],
    ['hello', 'next', 'ask'],
    ['ask', 'reply', 'triage'],
    ['ask', 'timeout', 'bye'],
    ['triage', 'order', 'lookup'],
    ['triage', 'human', 'agent'],
    ['triage', 'fallback', 'agent'],
    ['lookup', 'ok', 'tell'],
    ['lookup', 'error', 'agent'],
    ['tell', 'next', 'nap'],
    ['nap', 'next', 'done'],
    ['agent', 'resolved', 'thanks'],
    ['agent', 'timeout', 'bye'],
    ['thanks', 'answered', 'closed'],
    ['thanks', 'timeout', 'closed'],
  ].map(([source, sourceHandle, target]) => ({
    id: `e_${source}_${sourceHandle}`,
    source: source as string,
    sourceHandle: sourceHandle as string,
    target: target as string,
  })),
};

function compiled(): CompiledJourney {
  const result = compileJourney(definition);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.journey;
}
const journey = compiled();

/** A keyword classifier standing in for the AI; anything else is not available in-process. */
const classifier: ActivityRunner = (name, input) => {
  if (name !== 'baton.classify') throw new ActivityUnavailableError(name);
  const text = String(input.text).toLowerCase();
  if (text.includes('order')) return { intent: 'order', confidence: 0.9, sentiment: { score: 0, label: 'neutral' } };
  if (text.includes('person'))
    return { intent: 'human', confidence: 0.9, sentiment: { score: -0.5, label: 'negative' } };
  return { intent: null, confidence: 0, sentiment: { score: 0, label: 'neutral' } };
};

const shipped = { 'orders.lookup': { output: { status: 'shipped' } } };

async function run(script: ScriptInput, activities: ActivityRunner = classifier) {
  return simulate(journey, script, { activities });
}

describe('simulate: driving the core', () => {
  test('runs to the end with virtual time; a timer fires only when the script waits past it', async () => {
    const result = await run({
      activities: shipped,
      steps: [
        { expect: { bot: 'Hi Alex', waitingFor: 'reply' } },
        { customer: 'Where is my order?' },
        { expect: { bot: 'Status: shipped', at: 'nap', waitingFor: 'timer' } },
        { wait: '29s' },
        { expect: { silent: true, at: 'nap' } },
        { wait: 1 },
        { expect: { bot: 'Bye', status: 'ended' } },
      ],
      expect: {
        outcome: 'resolved_by_bot',
        path: ['ask:reply', 'triage:order', 'lookup:ok', 'tell', 'nap', 'done'],
        variables: { order: { status: 'shipped' } },
      },
    });
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.outcome).toBe('resolved_by_bot');
    expect(result.clock).toBe(defaultStartAt + 30_000);
    expect(result.path.map((step) => step.nodeId)).toEqual([
      'start',
      'hello',
      'ask',
      'triage',
      'lookup',
      'tell',
      'nap',
      'done',
    ]);
    expect(result.path.find((step) => step.nodeId === 'triage')?.handle).toBe('order');
    expect(result.activityCalls.map((call) => [call.name, call.source])).toEqual([
      ['baton.classify', 'runner'],
      ['orders.lookup', 'fake'],
    ]);
    expect(result.activityCalls[1]).toMatchObject({
      name: 'orders.lookup',
      input: { q: 'Where is my order?' },
      output: { status: 'shipped' },
      step: 2,
    });
    expect(result.transcript.map((entry) => `${entry.from}: ${entry.text}`)).toEqual([
      'bot: Hi Alex',
      'bot: What do you need?',
      'customer: Where is my order?',
      'bot: Status: shipped',
      'bot: Bye',
    ]);
    // The timer's end is stamped at its deadline.
    expect(result.transcript[4]?.at).toBe(defaultStartAt + 30_000);
    expect(result.log.map((entry) => entry.step)).toEqual([0, 2, 4, 6]);
  });

  test('a script that ends while the conversation waits leaves it waiting: no timeout fires by itself', async () => {
    const result = await run({ steps: [{ wait: '59s' }] });
    expect(result.passed).toBe(true);
    expect(result.outcome).toBeNull();
    expect(result.status).toBe('active');
    expect(result.state?.waiting).toMatchObject({ kind: 'reply', nodeId: 'ask' });
  });

  test('wait fires every timeout that falls due, in order, and "timeout" jumps to the pending deadline', async () => {
    const result = await run({ steps: [{ customer: 'talk to a person' }, { wait: 'timeout' }] });
    expect(result.outcome).toBe('abandoned');
    expect(result.clock).toBe(defaultStartAt + 600_000);
    const timeouts = result.log.flatMap((entry) => entry.events.filter((event) => event.kind === 'timeout'));
    expect(timeouts).toEqual([{ kind: 'timeout', at: defaultStartAt + 600_000, nodeId: 'agent', waitingFor: 'agent' }]);
  });

  test('an activity that throws is an error result: the journey takes the error handle', async () => {
    const failing: ActivityRunner = (name, input) => {
      if (name === 'orders.lookup') throw new Error('orders service down');
      return classifier(name, input);
    };
    const result = await run(
      {
        steps: [{ customer: 'where is my order' }, { expect: { at: 'agent', bot: "I'm bringing in a specialist" } }],
        expect: {
          path: ['lookup:error', 'agent'],
          activityCalls: [{ name: 'orders.lookup', error: 'down' }],
          handoff: { queue: 'support', stepsTriedIncludes: ['orders.lookup failed: orders service down'] },
        },
      },
      failing,
    );
    expect(result.failures).toEqual([]);
    expect(result.activityCalls[1]).toMatchObject({
      name: 'orders.lookup',
      error: 'orders service down',
      source: 'runner',
    });
    expect(result.tickets).toHaveLength(1);
    expect(result.tickets[0]).toMatchObject({
      ticketId: 'sim-1-1',
      queue: 'support',
      priority: 'high',
      reason: 'needs a person (where is my order)',
    });
  });

  test('a custom activity without a fake fails the test with a clear message', async () => {
    const result = await run({ steps: [{ customer: 'where is my order' }, { expect: { bot: 'Status' } }] });
    expect(result.passed).toBe(false);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]?.step).toBe(1);
    expect(result.failures[0]?.problems[0]).toContain('activity "orders.lookup" has no fake in this test');
  });

  test('fake sequences are taken call by call, the last one repeating; an "activities" step replaces them', async () => {
    const loop: JourneyInput = {
      schemaVersion: 1,
      id: 'loop',
      name: 'Loop',
      nodes: [
        { id: 'start', type: 'start', position: at(0, 0), data: {} },
        { id: 'ask', type: 'ask', position: at(0, 1), data: { prompt: 'Number?', variable: 'n' } },
        { id: 'call', type: 'activity', position: at(0, 2), data: { activity: 'x.y', output: 'out' } },
        { id: 'said', type: 'message', position: at(0, 3), data: { text: 'got {{out}}' } },
        { id: 'bad', type: 'message', position: at(1, 3), data: { text: 'failed' } },
      ],
      edges: [
        { id: 'a', source: 'start', sourceHandle: 'next', target: 'ask' },
        { id: 'b', source: 'ask', sourceHandle: 'reply', target: 'call' },
        { id: 'c', source: 'ask', sourceHandle: 'timeout', target: 'ask' },
        { id: 'd', source: 'call', sourceHandle: 'ok', target: 'said' },
        { id: 'e', source: 'call', sourceHandle: 'error', target: 'bad' },
        { id: 'f', source: 'said', sourceHandle: 'next', target: 'ask' },
        { id: 'g', source: 'bad', sourceHandle: 'next', target: 'ask' },
      ],
    };
    const compiledLoop = compileJourney(loop);
    if (!compiledLoop.ok) throw new Error(JSON.stringify(compiledLoop.diagnostics));
    const result = await simulate(
      compiledLoop.journey,
      {
        activities: { 'x.y': [{ output: 1 }, { error: 'boom' }, { output: 3 }] },
        steps: [
          { customer: 'a' },
          { expect: { bot: 'got 1' } },
          { customer: 'b' },
          { expect: { bot: 'failed' } },
          { customer: 'c' },
          { expect: { bot: 'got 3' } },
          { customer: 'd' },
          { expect: { bot: 'got 3' } },
          { activities: { 'x.y': { output: 'new' } } },
          { customer: 'e' },
          { expect: { bot: 'got new', notBot: 'got 3' } },
        ],
        expect: {
          activityCalls: [
            { name: 'x.y', output: 1 },
            { name: 'x.y', error: 'boom' },
            { name: 'x.y', output: 3 },
            { name: 'x.y', output: 3 },
            { name: 'x.y', output: 'new' },
          ],
        },
      },
      { activities: classifier },
    );
    expect(result.failures).toEqual([]);
  });

  test('fakes with "when" answer the calls whose input they match; a call nobody matches fails the test', async () => {
    const byInput = {
      'orders.lookup': [
        { when: { q: 'where is order B' }, output: { status: 'B shipped' } },
        { when: { q: 'where is order A' }, output: { status: 'A shipped' } },
      ],
    };
    const result = await run({
      activities: byInput,
      steps: [{ customer: 'where is order A' }, { expect: { bot: 'Status: A shipped' } }],
    });
    expect(result.failures).toEqual([]);
    const unmatched = await run({ activities: byInput, steps: [{ customer: 'where is order C' }] });
    expect(unmatched.failures[0]?.problems[0]).toBe(
      'no fake of orders.lookup matches its input {"q":"where is order C"} (each has a "when" that does not match; add one without "when" as the default)',
    );
    const withDefault = await run({
      activities: { 'orders.lookup': [...byInput['orders.lookup'], { output: { status: 'unknown' } }] },
      steps: [{ customer: 'where is order C' }, { expect: { bot: 'Status: unknown' } }],
    });
    expect(withDefault.failures).toEqual([]);
  });

  test('contracts: an input the activity would refuse fails the call; a fake it could not return fails the test', async () => {
    const contracts = (name: string) =>
      name === 'orders.lookup'
        ? {
            input: (input: { [key: string]: JsonValue }) =>
              typeof input.q === 'string' && input.q.length > 10 ? undefined : 'q: too short',
            output: (output: JsonValue) =>
              output !== null && typeof output === 'object' && 'status' in output ? undefined : 'status: required',
          }
        : undefined;
    const refused = await simulate(
      journey,
      {
        activities: shipped,
        steps: [{ customer: 'an order' }],
        expect: {
          path: ['lookup:error', 'agent'],
          activityCalls: [{ name: 'orders.lookup', error: 'invalid input for orders.lookup: q: too short' }],
        },
      },
      { activities: classifier, contracts },
    );
    expect(refused.failures).toEqual([]);

    const drifted = await simulate(
      journey,
      { activities: { 'orders.lookup': { output: { state: 'shipped' } } }, steps: [{ customer: 'where is my order' }] },
      { activities: classifier, contracts },
    );
    expect(drifted.failures[0]).toMatchObject({
      step: 1,
      problems: ['the fake output of orders.lookup is not what the activity can return: status: required'],
    });

    const fine = await simulate(
      journey,
      { activities: shipped, steps: [{ customer: 'where is my order' }], expect: { path: ['lookup:ok'] } },
      { activities: classifier, contracts },
    );
    expect(fine.failures).toEqual([]);
  });

  test('fixed AI answers replace the provider for the classifications a message triggers', async () => {
    const provider = jest.fn(classifier);
    const result = await run(
      {
        activities: shipped,
        steps: [{ customer: 'gibberish', ai: { intent: 'order', confidence: 0.7, sentiment: 'negative' } }],
        expect: { intent: 'order', sentiment: 'negative', path: ['triage:order'] },
      },
      provider,
    );
    expect(result.failures).toEqual([]);
    expect(provider).not.toHaveBeenCalled();
    expect(result.activityCalls[0]).toMatchObject({
      name: 'baton.classify',
      source: 'ai',
      output: { intent: 'order', confidence: 0.7, sentiment: { score: -0.6, label: 'negative' } },
    });

    const failedAi = await run({
      steps: [{ customer: 'where is my order', ai: { error: 'model down' } }],
      expect: { path: ['triage:fallback', 'agent'] },
    });
    expect(failedAi.failures).toEqual([]);
  });

  test('agents claim, talk and resolve; the survey closes the loop', async () => {
    const result = await run({
      steps: [
        { customer: 'I want to talk to a person' },
        { expect: { waitingFor: 'agent', bot: 'specialist' } },
        { agent: 'claim', name: 'Sam Lee' },
        { expect: { bot: "You're now speaking with Sam Lee, a human agent." } },
        { agent: 'say', text: 'How can I help?' },
        { agent: 'resolve', resolution: 'done' },
        { expect: { waitingFor: 'survey', bot: ['Thanks', 'how satisfied'] } },
        { survey: { ces: 7, csat: 5 } },
      ],
      expect: {
        outcome: 'resolved_by_agent',
        handoff: { claimedBy: 'Sam Lee', resolved: true, count: 1, priority: 'high' },
        survey: { ces: 7, csat: 5 },
      },
    });
    expect(result.failures).toEqual([]);
    const agentLine = result.transcript.find((entry) => entry.from === 'agent');
    expect(agentLine).toMatchObject({ text: 'How can I help?', agent: { id: 'sam-lee', name: 'Sam Lee' } });
    expect(result.activityCalls.map((call) => call.name)).toEqual([
      'baton.classify',
      'baton.openTicket',
      'baton.sendTranscript',
      'baton.recordSurvey',
    ]);
    expect(result.activityCalls.slice(1).every((call) => call.source === 'builtin')).toBe(true);
  });

  test('a retried customer message (same clientMessageId) is a duplicate, not a second message', async () => {
    const result = await run({
      activities: shipped,
      steps: [
        { customer: 'talk to a person', clientMessageId: 'x1' },
        { customer: 'talk to a person', clientMessageId: 'x1' },
      ],
    });
    expect(result.passed).toBe(true);
    expect(result.transcript.filter((entry) => entry.from === 'customer')).toHaveLength(1);
    expect(result.log[2]?.events).toEqual([{ kind: 'duplicate', clientMessageId: 'x1' }]);
  });

  test('the start time comes from the script, else the options, else a fixed Monday morning', async () => {
    expect((await run({ steps: [] })).startedAt).toBe(defaultStartAt);
    const fromOptions = await simulate(journey, { steps: [] }, { activities: classifier, startAt: 1_000 });
    expect(fromOptions.startedAt).toBe(1_000);
    const fromScript = await simulate(
      journey,
      { startAt: '2030-05-01T12:00:00Z', steps: [] },
      { activities: classifier, startAt: 1_000 },
    );
    expect(fromScript.startedAt).toBe(Date.UTC(2030, 4, 1, 12));
    expect(fromScript.transcript[0]?.at).toBe(Date.UTC(2030, 4, 1, 12));
  });
});

describe('simulate: failures say where and why', () => {
  test('a diverging step names the step, the expectation, what the bot said and the path so far', async () => {
    const result = await run({
      activities: shipped,
      steps: [
        { customer: 'where is my order' },
        { expect: { bot: 'delivered', at: 'done' } },
        { customer: 'never reached' },
      ],
    });
    expect(result.passed).toBe(false);
    expect(result.failures).toHaveLength(1);
    const failure = result.failures[0];
    expect(failure).toMatchObject({
      step: 2,
      path: 'start → hello → ask:reply → triage:order → lookup:ok → tell → nap',
    });
    expect(failure?.action).toContain('"delivered"');
    expect(failure?.problems).toEqual([
      `bot: expected the bot's messages after step 1 {"customer":"where is my order"} to contain "delivered"`,
      'at: expected the conversation at "done", it is at "nap"',
    ]);
    expect(failure?.botSaid.map((entry) => entry.text)).toEqual(['Status: shipped']);
    // The run stopped at the failing step.
    expect(result.transcript.some((entry) => entry.text === 'never reached')).toBe(false);

    const text = formatFailures(result);
    expect(text).toContain('step 2 {"expect":{"bot":"delivered","at":"done"}}:');
    expect(text).toContain('Status: shipped');
    expect(text).toContain('path so far: start → hello → ask:reply → triage:order → lookup:ok → tell → nap');
    expect(text).toContain('conversation: waiting for a timer at "nap"');
  });

  test('every failing final expectation is listed', async () => {
    const result = await run({
      activities: shipped,
      steps: [{ customer: 'where is my order' }, { wait: '1m' }],
      expect: {
        outcome: 'resolved_by_agent',
        path: ['triage:human'],
        notVisited: ['lookup'],
        variables: { order: { status: 'lost' } },
        activityCalls: [{ name: 'orders.lookup', input: { q: 'other' } }, { name: 'orders.lookup' }],
        notCalled: ['baton.classify'],
        handoff: { queue: 'support' },
        survey: { csat: 5 },
        intent: 'human',
      },
    });
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]?.step).toBe('final');
    expect(result.failures[0]?.problems).toEqual([
      'outcome: expected resolved_by_agent, got resolved_by_bot',
      'path: expected ["triage:human"] in this order, but "triage" was never left by "human"',
      'notVisited: the conversation entered "lookup"',
      'variables at /order/status: expected "lost", got "shipped"',
      'intent: expected "human", got "order" (0.90)',
      'activityCalls: expected 2 call(s) to orders.lookup, got 1:\n  orders.lookup({"q":"where is my order"}) → {"status":"shipped"}',
      'notCalled: baton.classify was called 1 time(s): baton.classify({"text":"where is my order","intents":[{"name":"order","examples":["where is my…) → {"intent":"order","confidence":0.9,"sentiment":{"score":0,"label":"neutral"}}',
      'handoff: expected a handoff, but the conversation was never handed off',
      'survey: expected an answer, none was recorded',
    ]);
  });

  test('steps that cannot happen fail: a message after the end, an agent who never claimed, no pending timeout', async () => {
    const afterEnd = await run({ steps: [{ wait: '1m' }, { customer: 'hello?' }] });
    expect(afterEnd.failures[0]).toMatchObject({
      step: 2,
      problems: ['the conversation has already ended (abandoned); this step cannot happen'],
    });

    const noClaim = await run({ steps: [{ customer: 'talk to a person' }, { agent: 'say', text: 'hi' }] });
    expect(noClaim.failures[0]?.problems[0]).toContain('no agent has claimed the conversation yet');

    const named = await run({ steps: [{ customer: 'talk to a person' }, { agent: 'say', name: 'Sam', text: 'hi' }] });
    expect(named.failures[0]?.problems[0]).toBe("Sam's message was rejected: claim the ticket before replying");

    const survey = await run({ steps: [{ survey: { csat: 3 } }] });
    expect(survey.failures[0]?.problems[0]).toBe(
      'the survey answer was rejected: the conversation is not waiting for a survey answer',
    );

    const noTimeout = await run({
      activities: { 'orders.lookup': { output: {} } },
      steps: [{ customer: 'talk to a person' }, { agent: 'claim', name: 'A' }, { wait: 'timeout' }],
    });
    expect(noTimeout.failures[0]?.problems[0]).toContain('there is no pending timeout');
  });

  test('an invalid script is reported with JSON pointers and nothing runs', async () => {
    const result = await run({
      steps: [{ customer: '' }, { wait: 'soon' }, { agent: 'dance' }, { customer: 'x', expect: {} }, { nothing: 1 }],
      expect: { outcome: 'won' },
    } as unknown as ScriptInput);
    expect(result.passed).toBe(false);
    expect(result.state).toBeNull();
    expect(result.failures[0]?.step).toBe('script');
    expect(result.failures[0]?.problems).toEqual([
      '/steps/0/customer: a customer message needs text',
      '/steps/1/wait: a duration is a number of seconds or a string such as "45s", "10m", "1h30m", "2d"',
      '/steps/2/agent: an agent step is "claim", "say" or "resolve"',
      '/steps/3: a step has exactly one action, found "customer" and "expect"',
      '/steps/4: a step needs one of "customer", "expect", "wait", "agent", "survey", "activities"',
      expect.stringMatching(/^\/expect\/outcome: /),
    ]);
  });

  test('the transcript printout interleaves messages, activity calls and timeouts with virtual time', async () => {
    const result = await run({ activities: shipped, steps: [{ customer: 'where is my order' }, { wait: '30s' }] });
    const text = formatTranscript(result);
    expect(text).toContain('+0:00  customer   where is my order');
    expect(text).toContain('orders.lookup [fake] {"q":"where is my order"} → {"status":"shipped"}');
    expect(text).toContain('baton.classify {"text":"where is my order"');
    expect(text).toContain('→ order (0.90), sentiment neutral 0.00');
    expect(text).toContain('+0:30  ⏱          timer timeout at "nap"');
    expect(text).toContain('+0:30  bot        Bye');
  });
});

describe('script language', () => {
  test('durations', () => {
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('1d 2h')).toBe(93_600_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration(90)).toBe(90_000);
    expect(parseDuration(0.5)).toBe(500);
    for (const bad of ['', 'soon', '10', '5x', '-1s', 'm']) expect(parseDuration(bad)).toBeUndefined();
    expect(parseDuration(-1)).toBeUndefined();
  });

  test('a suite shares its settings with its tests; fakes merge name by name', () => {
    const parsed = parseTestFile({
      name: 'suite',
      customer: { id: 'c1', name: 'Ann' },
      variables: { a: 1 },
      activities: { 'x.a': { output: 1 }, 'x.b': { output: 2 } },
      tests: [
        { name: 'one', steps: [] },
        { variables: { b: 2 }, activities: { 'x.b': { error: 'no' } }, customer: { id: 'c2' }, steps: [] },
      ],
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [one, two] = parsed.value;
    expect(one).toMatchObject({
      name: 'one',
      customer: { id: 'c1', name: 'Ann' },
      variables: { a: 1 },
      activities: { 'x.a': { output: 1 }, 'x.b': { output: 2 } },
    });
    expect(two).toMatchObject({
      name: 'suite #2',
      customer: { id: 'c2' },
      variables: { a: 1, b: 2 },
      activities: { 'x.a': { output: 1 }, 'x.b': { error: 'no' } },
    });

    const bad = parseTestFile({ tests: [{ steps: [{ wait: 'x' }] }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]?.path).toBe('/tests/0/steps/0/wait');
  });

  test('variables and the customer reach the conversation', async () => {
    const result = await run({
      customer: { id: 'c9', name: 'Zoe', tier: 'gold' },
      variables: { need: 'preset' as JsonValue },
      steps: [],
    });
    expect(result.transcript[0]?.text).toBe('Hi Zoe');
    expect(result.variables).toMatchObject({ need: 'preset' });
    expect(result.state?.customer).toEqual({ id: 'c9', name: 'Zoe', tier: 'gold' });
  });
});
