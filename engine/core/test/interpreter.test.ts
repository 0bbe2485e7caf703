import type { CompiledJourney } from '@baton/schemas';
import { repliesTo, startConversation, step, type ConversationState } from '../src/interpreter';
import { Conversation, T0, ann, sam } from '@baton/test-support/fixtures/conversation';
import {
  clone,
  compileOk,
  deepFreeze,
  edge,
  journey,
  n,
  passwordResetJourney,
} from '@baton/test-support/fixtures/journeys';

/** start → ask q → (reply) thanks → end; (timeout) → gone */
function askJourney(extra: { timeoutSeconds?: number } = {}): CompiledJourney {
  return compileOk(
    journey(
      [
        n.start(),
        n.ask('q', 'color', 'Favourite colour, {{customer.name}}?', extra),
        n.message('thanks', 'You said {{color}}.'),
        n.end('done'),
        n.end('gone', 'abandoned', 'Bye for now.'),
      ],
      [
        edge('start', 'next', 'q'),
        edge('q', 'reply', 'thanks'),
        edge('q', 'timeout', 'gone'),
        edge('thanks', 'next', 'done'),
      ],
      { variables: { color: { type: 'string' } } },
    ),
  );
}

/** start → ask → classify (billing | tech | fallback) → one message per branch → end */
function classifyJourney(): CompiledJourney {
  return compileOk(
    journey(
      [
        n.start(),
        n.ask('q', 'request', 'How can I help?'),
        n.classify('triage', ['billing', 'tech'], { minConfidence: 0.6, variable: 'triaged' }),
        n.message('billing_msg', 'Billing it is.'),
        n.message('tech_msg', 'Tech it is.'),
        n.message('fallback_msg', 'Let me find someone.'),
        n.end('done'),
        n.end('gone', 'abandoned'),
      ],
      [
        edge('start', 'next', 'q'),
        edge('q', 'reply', 'triage'),
        edge('q', 'timeout', 'gone'),
        edge('triage', 'billing', 'billing_msg'),
        edge('triage', 'tech', 'tech_msg'),
        edge('triage', 'fallback', 'fallback_msg'),
        edge('billing_msg', 'next', 'done'),
        edge('tech_msg', 'next', 'done'),
        edge('fallback_msg', 'next', 'done'),
      ],
      { variables: { request: { type: 'string' }, triaged: { type: 'object' } } },
    ),
  );
}

describe('message', () => {
  test('renders templates from the context', () => {
    const compiled = compileOk(
      journey(
        [
          n.start(),
          n.message(
            'hello',
            'Hi {{customer.name}} ({{ customer.tier }}), you have {{points}} points{{customer.nickname}}.',
          ),
          n.end('done'),
        ],
        [edge('start', 'next', 'hello'), edge('hello', 'next', 'done')],
        { variables: { points: { type: 'number', default: 0 } } },
      ),
    );
    const c = new Conversation(compiled, { variables: { points: 42 } });
    expect(c.state.transcript).toEqual([
      { seq: 1, from: 'bot', text: 'Hi Ann (gold), you have 42 points.', at: T0, nodeId: 'hello' },
    ]);
    expect(c.last.effects.map((e) => e.type)).toEqual(['say', 'end']);
  });

  test('a template is text, never code', () => {
    const compiled = compileOk(
      journey(
        [n.start(), n.message('hello', 'Hi {{customer.name}}'), n.end('done')],
        [edge('start', 'next', 'hello'), edge('hello', 'next', 'done')],
      ),
    );
    const c = new Conversation(compiled, { customer: { id: 'x', name: '{{customer.id}} <script>' } });
    expect(c.state.transcript[0]?.text).toBe('Hi {{customer.id}} <script>');
  });
});

describe('ask', () => {
  test('says the prompt and waits for a reply until at + timeout', () => {
    const c = new Conversation(askJourney({ timeoutSeconds: 120 }));
    expect(c.state.status).toBe('active');
    expect(c.state.nodeId).toBe('q');
    expect(c.state.waiting).toEqual({ kind: 'reply', nodeId: 'q', until: T0 + 120_000 });
    expect(c.said()).toEqual(['Favourite colour, Ann?']);
    expect(c.last.effects.at(-1)).toEqual({
      type: 'wait',
      waiting: { kind: 'reply', nodeId: 'q', until: T0 + 120_000 },
    });
  });

  test('the reply goes into the variable and the conversation goes on by "reply"', () => {
    const c = new Conversation(askJourney());
    c.say('blue');
    expect(c.state.vars.color).toBe('blue');
    expect(c.state.lastMessage).toBe('blue');
    expect(c.state.counters.turns).toBe(1);
    expect(c.said()).toEqual(['You said blue.']);
    expect(c.state.status).toBe('ended');
    expect(c.state.outcome).toBe('resolved_by_bot');
    expect(c.state.path.find((p) => p.nodeId === 'q')?.handle).toBe('reply');
  });

  test('a timeout takes the "timeout" handle', () => {
    const c = new Conversation(askJourney({ timeoutSeconds: 60 }));
    c.timeout(T0 + 60_000);
    expect(c.pathIds()).toEqual(['start', 'q', 'gone']);
    expect(c.state.path[1]).toMatchObject({ handle: 'timeout', note: 'no reply in time' });
    expect(c.said()).toEqual(['Bye for now.']);
    expect(c.state).toMatchObject({ status: 'ended', outcome: 'abandoned', endedAt: T0 + 60_000, waiting: null });
    expect(c.state.vars.color).toBeUndefined();
  });
});

describe('classify', () => {
  function atClassify(): Conversation {
    const c = new Conversation(classifyJourney());
    c.say('my bill is wrong');
    return c;
  }

  test('calls baton.classify with the message and the declared intents', () => {
    const c = atClassify();
    const call = c.pendingCall();
    expect(call).toMatchObject({
      type: 'call_activity',
      activity: 'baton.classify',
      nodeId: 'triage',
      purpose: 'classify',
    });
    expect(call.input).toEqual({
      text: 'my bill is wrong',
      // The journey scopes the agents' corrections the activity reads.
      journeyId: c.state.journey.id,
      intents: [
        { name: 'billing', examples: ['example of billing'] },
        { name: 'tech', examples: ['example of tech'] },
      ],
      minConfidence: 0.6,
    });
    expect(c.state.waiting).toEqual({ kind: 'activity', nodeId: 'triage', callId: call.callId, purpose: 'classify' });
  });

  test('routes by the intent and records intent and sentiment', () => {
    const c = atClassify();
    c.succeed({ intent: 'billing', confidence: 0.9, sentiment: { score: -0.5 } });
    expect(c.said()).toEqual(['Billing it is.']);
    expect(c.state.intent).toEqual({ name: 'billing', confidence: 0.9 });
    expect(c.state.sentiment).toEqual({ score: -0.5, label: 'negative', history: [-0.5] });
    expect(c.state.vars.triaged).toEqual({ intent: 'billing', confidence: 0.9, sentiment: -0.5 });
    expect(c.state.path.find((p) => p.nodeId === 'triage')).toMatchObject({
      handle: 'billing',
      note: 'intent billing (0.90)',
    });
  });

  test('takes the fallback on low confidence', () => {
    const c = atClassify();
    c.succeed({ intent: 'tech', confidence: 0.59, sentiment: { score: 0.3 } });
    expect(c.said()).toEqual(['Let me find someone.']);
    expect(c.state.counters.lowConfidence).toBe(1);
    expect(c.state.counters.failures).toBe(0);
    expect(c.state.sentiment.label).toBe('positive');
  });

  test('takes the fallback when the activity fails', () => {
    const c = atClassify();
    c.fail('model unavailable');
    expect(c.said()).toEqual(['Let me find someone.']);
    expect(c.state.counters.failures).toBe(1);
    expect(c.state.intent).toBeNull();
    expect(c.state.path.find((p) => p.nodeId === 'triage')).toMatchObject({
      handle: 'fallback',
      note: 'the AI failed: model unavailable',
    });
  });

  test('takes the fallback on an intent that was not declared, however confident', () => {
    const c = atClassify();
    c.succeed({ intent: 'refund', confidence: 0.99 });
    expect(c.said()).toEqual(['Let me find someone.']);
    expect(c.state.intent).toBeNull();
    expect(c.state.path.find((p) => p.nodeId === 'triage')?.handle).toBe('fallback');
  });

  test('takes the fallback on an answer of the wrong shape', () => {
    for (const output of [null, 'billing', ['billing'], 42]) {
      const c = atClassify();
      c.succeed(output);
      expect(c.state.path.find((p) => p.nodeId === 'triage')?.handle).toBe('fallback');
      expect(c.state.counters.failures).toBe(1);
    }
  });

  test('an unconnected intent falls through to the fallback at run time', () => {
    const compiled = compileOk(
      journey(
        [
          n.start(),
          n.ask('q', 'v'),
          n.classify('k', ['toString', 'yes']),
          n.end('done'),
          n.end('other', 'abandoned', 'Other.'),
        ],
        [
          edge('start', 'next', 'q'),
          edge('q', 'reply', 'k'),
          edge('q', 'timeout', 'other'),
          edge('k', 'yes', 'done'),
          edge('k', 'fallback', 'other'),
        ],
        { variables: { v: { type: 'string' } } },
      ),
    );
    const c = new Conversation(compiled);
    c.say('hi');
    c.succeed({ intent: 'toString', confidence: 0.9 });
    expect(c.pathIds()).toEqual(['start', 'q', 'k', 'other']);
    expect(c.state.outcome).toBe('abandoned');
    expect(c.said()).toEqual(['Other.']);
  });

  test('a result for another call id is rejected', () => {
    const c = atClassify();
    const before = c.state;
    const out = c.send({
      type: 'activity_result',
      callId: 'triage#999',
      ok: true,
      output: { intent: 'billing', confidence: 1 },
    });
    expect(out.rejected).toMatch(/triage#999/);
    expect(out.state).toBe(before);
    expect(out.effects).toEqual([]);
  });
});

describe('condition', () => {
  function conditionJourney(): CompiledJourney {
    return compileOk(
      journey(
        [
          n.start(),
          n.condition('c', [
            { id: 'high', label: 'more than 10', when: { '>': [{ var: 'score' }, 10] } },
            { id: 'mid', when: { '>': [{ var: 'score' }, 5] } },
            { id: 'gold', when: { '==': [{ var: 'customer.tier' }, 'gold'] } },
          ]),
          n.end('high_end', 'resolved_by_bot', 'high'),
          n.end('mid_end', 'resolved_by_bot', 'mid'),
          n.end('gold_end', 'resolved_by_bot', 'gold'),
          n.end('else_end', 'resolved_by_bot', 'else'),
        ],
        [
          edge('start', 'next', 'c'),
          edge('c', 'high', 'high_end'),
          edge('c', 'mid', 'mid_end'),
          edge('c', 'gold', 'gold_end'),
          edge('c', 'else', 'else_end'),
        ],
        { variables: { score: { type: 'number', default: 0 } } },
      ),
    );
  }

  test.each([
    [20, 'gold', 'high'],
    [7, 'gold', 'mid'],
    [1, 'gold', 'gold'],
    [1, 'silver', 'else'],
  ])('score %d, tier %s → %s (the first rule that holds wins)', (score, tier, expected) => {
    const c = new Conversation(conditionJourney(), { variables: { score }, customer: { ...ann, tier } });
    expect(c.said()).toEqual([expected]);
    expect(c.state.path[1]).toMatchObject({ nodeId: 'c', handle: expected });
  });

  test('the label of the matching rule is noted on the path', () => {
    const c = new Conversation(conditionJourney(), { variables: { score: 11 } });
    expect(c.state.path[1]?.note).toBe('more than 10');
  });
});

describe('set', () => {
  test('each assignment sees the ones before it', () => {
    const compiled = compileOk(
      journey(
        [
          n.start(),
          n.set('s', [
            { variable: 'a', value: 2 },
            { variable: 'b', value: { '*': [{ var: 'a' }, 10] } },
            { variable: 'a', value: { '+': [{ var: 'b' }, 1] } },
            { variable: 'greeting', value: { cat: ['Hi ', { var: 'customer.name' }] } },
          ]),
          n.message('m', '{{a}} {{b}} {{greeting}}'),
          n.end('done'),
        ],
        [edge('start', 'next', 's'), edge('s', 'next', 'm'), edge('m', 'next', 'done')],
        { variables: { a: { type: 'number' }, b: { type: 'number' }, greeting: { type: 'string' } } },
      ),
    );
    const c = new Conversation(compiled);
    expect(c.state.vars).toEqual({ a: 21, b: 20, greeting: 'Hi Ann' });
    expect(c.said()).toEqual(['21 20 Hi Ann']);
  });
});

describe('activity', () => {
  function activityJourney(): CompiledJourney {
    return compileOk(
      journey(
        [
          n.start(),
          n.activity('lookup', 'orders.lookup', {
            label: 'Looked up the order',
            input: {
              orderId: { var: 'order' },
              email: { var: 'customer.email' },
              literal: 'as is',
              count: 5,
              missing: { var: 'nothing' },
            },
            output: 'orderInfo',
            timeoutSeconds: 12,
          }),
          n.message('ok_msg', 'Your order is {{orderInfo.status}}.'),
          n.message('error_msg', 'I could not look it up.'),
          n.end('done'),
        ],
        [
          edge('start', 'next', 'lookup'),
          edge('lookup', 'ok', 'ok_msg'),
          edge('lookup', 'error', 'error_msg'),
          edge('ok_msg', 'next', 'done'),
          edge('error_msg', 'next', 'done'),
        ],
        { variables: { order: { type: 'string' }, orderInfo: { type: 'object' }, nothing: { type: 'any' } } },
      ),
    );
  }

  test('maps its input from the context and calls the activity with its timeout and retry policy', () => {
    const c = new Conversation(activityJourney(), { variables: { order: 'A-17' } });
    const call = c.pendingCall();
    expect(call).toEqual({
      type: 'call_activity',
      callId: 'lookup#1',
      nodeId: 'lookup',
      activity: 'orders.lookup',
      input: { orderId: 'A-17', email: 'ann@example.com', literal: 'as is', count: 5, missing: null },
      timeoutSeconds: 12,
      retry: { maximumAttempts: 3, initialIntervalSeconds: 1, backoffCoefficient: 2, maximumIntervalSeconds: 30 },
      purpose: 'node',
    });
    expect(c.state.waiting).toEqual({ kind: 'activity', nodeId: 'lookup', callId: 'lookup#1', purpose: 'node' });
  });

  test('calls an activity of the catalog on its own task queue, as compiled into the node', () => {
    const catalog = new Map([
      ['orders.lookup', { name: 'orders.lookup', input: { type: 'object' }, taskQueue: 'team-orders' }],
    ]);
    const compiled = compileOk(
      journey(
        [
          n.start(),
          n.activity('lookup', 'orders.lookup', { input: { orderId: { var: 'order' } } }),
          n.end('done'),
          n.end('failed', 'abandoned'),
        ],
        [edge('start', 'next', 'lookup'), edge('lookup', 'ok', 'done'), edge('lookup', 'error', 'failed')],
        { variables: { order: { type: 'string' } } },
      ),
      { activities: catalog },
    );
    expect(compiled.nodes.lookup?.data.taskQueue).toBe('team-orders');
    const c = new Conversation(compiled, { variables: { order: 'A-17' } });
    expect(c.pendingCall()).toMatchObject({ activity: 'orders.lookup', taskQueue: 'team-orders' });
    // Without a queue in the catalog, the call has none (the conversation's own queue).
    expect(new Conversation(activityJourney(), { variables: { order: 'A-17' } }).pendingCall()).not.toHaveProperty(
      'taskQueue',
    );
  });

  test('its output goes into the output variable and the conversation takes "ok"', () => {
    const c = new Conversation(activityJourney(), { variables: { order: 'A-17' } });
    c.succeed({ status: 'shipped' });
    expect(c.state.vars.orderInfo).toEqual({ status: 'shipped' });
    expect(c.said()).toEqual(['Your order is shipped.']);
    expect(c.state.counters.failures).toBe(0);
    expect(c.state.path[1]).toMatchObject({
      nodeId: 'lookup',
      handle: 'ok',
      note: 'orders.lookup → {"status":"shipped"}',
    });
  });

  test('a failure takes "error" and counts in counters.failures', () => {
    const c = new Conversation(activityJourney(), { variables: { order: 'A-17' } });
    c.fail('CRM down');
    expect(c.said()).toEqual(['I could not look it up.']);
    expect(c.state.counters.failures).toBe(1);
    expect(c.state.vars.orderInfo).toBeUndefined();
    expect(c.state.path[1]).toMatchObject({
      nodeId: 'lookup',
      handle: 'error',
      note: 'orders.lookup failed: CRM down',
    });
  });

  test('a timeout does not apply while an activity runs', () => {
    const c = new Conversation(activityJourney(), { variables: { order: 'A-17' } });
    const before = c.state;
    expect(c.timeout().rejected).toBeDefined();
    expect(c.state).toBe(before);
  });
});

describe('wait', () => {
  test('a durable timer: waits until at + seconds, then goes on', () => {
    const compiled = compileOk(
      journey(
        [n.start(), n.wait('pause', 30), n.message('m', 'Back.'), n.end('done')],
        [edge('start', 'next', 'pause'), edge('pause', 'next', 'm'), edge('m', 'next', 'done')],
      ),
    );
    const c = new Conversation(compiled);
    expect(c.state.waiting).toEqual({ kind: 'timer', nodeId: 'pause', until: T0 + 30_000 });
    c.timeout(T0 + 30_000);
    expect(c.said()).toEqual(['Back.']);
    expect(c.state.status).toBe('ended');
  });
});

/** Two classify steps (so that the sentiment moves), an account lookup, then a handoff and a follow-up. */
function handoffJourney(): CompiledJourney {
  return compileOk(
    journey(
      [
        n.start(),
        n.ask('ask_need', 'request', 'How can I help?', { label: 'Asked what the customer needs' }),
        n.classify('triage', ['account'], { label: 'Triage' }),
        n.ask('ask_more', 'details', 'Tell me more.'),
        n.classify('again', ['account'], { label: 'Classified the details' }),
        n.activity('lookup', 'crm.account', {
          label: 'Looked up the account',
          input: { customerId: { var: 'customer.id' } },
          output: 'account',
        }),
        n.handoff('escalate', 'Account problem for {{customer.name}}', {
          queue: 'accounts',
          priority: 'high',
          timeoutSeconds: 3600,
        }),
        n.followup('survey', { message: 'Thanks {{customer.name}}, how did we do?', responseTimeoutSeconds: 86400 }),
        n.message('no_agent', 'Nobody is free right now.'),
        n.end('done', 'resolved_by_agent'),
        n.end('gone', 'abandoned'),
      ],
      [
        edge('start', 'next', 'ask_need'),
        edge('ask_need', 'reply', 'triage'),
        edge('ask_need', 'timeout', 'gone'),
        edge('triage', 'account', 'ask_more'),
        edge('triage', 'fallback', 'ask_more'),
        edge('ask_more', 'reply', 'again'),
        edge('ask_more', 'timeout', 'gone'),
        edge('again', 'account', 'lookup'),
        edge('again', 'fallback', 'lookup'),
        edge('lookup', 'ok', 'escalate'),
        edge('lookup', 'error', 'escalate'),
        edge('escalate', 'resolved', 'survey'),
        edge('escalate', 'timeout', 'no_agent'),
        edge('no_agent', 'next', 'gone'),
        edge('survey', 'answered', 'done'),
        edge('survey', 'timeout', 'done'),
      ],
      { variables: { request: { type: 'string' }, details: { type: 'string' }, account: { type: 'object' } } },
    ),
  );
}

function atHandoff(): Conversation {
  const c = new Conversation(handoffJourney());
  c.say('I cannot log in');
  c.succeed({ intent: 'account', confidence: 0.8, sentiment: { score: -0.1 } });
  c.say("I've tried everything, this is ridiculous");
  c.succeed({ intent: 'account', confidence: 0.9, sentiment: { score: -0.7 } });
  c.succeed({ plan: 'pro', since: 2019 });
  return c;
}

describe('handoff', () => {
  test('opens a ticket through baton.openTicket with the whole packet', () => {
    const c = atHandoff();
    expect(c.said()).toEqual(["I'm bringing in a specialist who can dive deeper into this for you."]);
    const call = c.pendingCall();
    expect(call).toMatchObject({ activity: 'baton.openTicket', nodeId: 'escalate', purpose: 'open_ticket' });
    const packet = call.input as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(packet).toMatchObject({
      ticketId: 'conv_1-1',
      conversationId: 'conv_1',
      queue: 'accounts',
      priority: 'high',
      reason: 'Account problem for Ann',
      customer: ann,
      // What the customer came for, as the first classify heard it; the second classify (mood) does not replace it.
      intent: { name: 'account', confidence: 0.8 },
      sentiment: { score: -0.7, label: 'negative', history: [-0.1, -0.7], trend: 'worsening' },
      variables: {
        request: 'I cannot log in',
        details: "I've tried everything, this is ridiculous",
        account: { plan: 'pro', since: 2019 },
      },
      counters: { turns: 2, failures: 0, lowConfidence: 0 },
    });
    expect(packet.transcript.map((e: { from: string; text: string }) => `${e.from}: ${e.text}`)).toEqual([
      'bot: How can I help?',
      'customer: I cannot log in',
      'bot: Tell me more.',
      "customer: I've tried everything, this is ridiculous",
      "bot: I'm bringing in a specialist who can dive deeper into this for you.",
    ]);
    expect(packet.stepsTried).toEqual([
      'Asked what the customer needs → reply',
      'Triage → account: intent account (0.80)',
      'Classified the details → account: intent account (0.90)',
      'Looked up the account → ok: crm.account → {"plan":"pro","since":2019}',
    ]);
    expect(c.state.handoffs).toEqual([
      {
        ticketId: 'conv_1-1',
        nodeId: 'escalate',
        queue: 'accounts',
        priority: 'high',
        reason: 'Account problem for Ann',
        openedAt: c.at,
      },
    ]);
  });

  test('once the ticket is open it waits for an agent until the handoff timeout', () => {
    const c = atHandoff();
    c.succeed({ ticketId: 'conv_1-1' });
    expect(c.state.waiting).toEqual({
      kind: 'agent',
      nodeId: 'escalate',
      ticketId: 'conv_1-1',
      until: c.at + 3600_000,
    });
  });

  test('an agent message before the claim is rejected', () => {
    const c = atHandoff();
    c.succeed({});
    const before = c.state;
    const out = c.send({ type: 'agent_message', agent: sam, text: 'Hello', clientMessageId: 'a1' });
    expect(out.rejected).toBe('claim the ticket before replying');
    expect(out.state).toBe(before);
    expect(out.effects).toEqual([]);
  });

  test('the claim tells the customer who they now speak with; the agent leads; resolve takes "resolved"', () => {
    const c = atHandoff();
    c.succeed({});
    c.send({ type: 'agent_claimed', agent: sam });
    expect(c.said()).toEqual(["You're now speaking with Sam, a human agent."]);
    expect(c.state.handoffs[0]).toMatchObject({ claimedBy: sam, claimedAt: c.at });
    expect(c.state.waiting).toEqual({ kind: 'agent', nodeId: 'escalate', ticketId: 'conv_1-1', until: null });
    // Once claimed, the queue timeout no longer applies.
    expect(c.timeout().rejected).toBeDefined();

    c.send({ type: 'agent_message', agent: sam, text: 'I reset your account.', clientMessageId: 'a1' });
    expect(c.state.transcript.at(-1)).toMatchObject({
      from: 'agent',
      text: 'I reset your account.',
      agent: sam,
      clientMessageId: 'a1',
    });
    expect(
      c.send({ type: 'agent_message', agent: sam, text: 'I reset your account.', clientMessageId: 'a1' }).duplicate,
    ).toBe(true);

    c.say('Thanks, it works', 'after-claim');
    expect(c.state.transcript.at(-1)).toMatchObject({ from: 'customer', text: 'Thanks, it works' });
    expect(c.state.nodeId).toBe('escalate');

    c.send({ type: 'ticket_resolved', agent: sam, resolution: 'password reset by hand' });
    expect(c.state.handoffs[0]).toMatchObject({ resolvedAt: c.at - 0, resolution: 'password reset by hand' });
    expect(c.state.path.find((p) => p.nodeId === 'escalate')).toMatchObject({ handle: 'resolved' });
    expect(c.state.nodeId).toBe('survey');
  });

  test('nobody claims in time: "timeout"', () => {
    const c = atHandoff();
    c.succeed({});
    c.timeout();
    expect(c.said()).toEqual(['Nobody is free right now.']);
    expect(c.state.outcome).toBe('abandoned');
    expect(c.state.path.find((p) => p.nodeId === 'escalate')).toMatchObject({
      handle: 'timeout',
      note: expect.stringContaining('no agent claimed'),
    });
  });

  test('the ticket cannot be opened: "timeout"', () => {
    const c = atHandoff();
    c.fail('ticket store down');
    expect(c.said()).toEqual(['Nobody is free right now.']);
    expect(c.state.path.find((p) => p.nodeId === 'escalate')?.handle).toBe('timeout');
  });

  test('agent events are rejected when the conversation is not with an agent', () => {
    const c = new Conversation(handoffJourney());
    for (const event of [
      { type: 'agent_claimed' as const, agent: sam },
      { type: 'ticket_resolved' as const, agent: sam },
      { type: 'agent_message' as const, agent: sam, text: 'hi', clientMessageId: 'x' },
    ]) {
      const before = c.state;
      const out = c.send(event);
      expect(out.rejected).toBeDefined();
      expect(out.state).toBe(before);
    }
  });
});

describe('followup', () => {
  function atFollowup(): Conversation {
    const c = atHandoff();
    c.succeed({});
    c.send({ type: 'agent_claimed', agent: sam });
    c.send({ type: 'ticket_resolved', agent: sam });
    return c;
  }

  test('sends the transcript, then asks the survey and waits for the answers', () => {
    const c = atFollowup();
    expect(c.said()).toEqual(['Thanks Ann, how did we do?']);
    const call = c.pendingCall();
    expect(call).toMatchObject({ activity: 'baton.sendTranscript', nodeId: 'survey', purpose: 'send_transcript' });
    expect((call.input as { transcript: unknown[] }).transcript).toHaveLength(c.state.transcript.length);
    expect(call.input).toMatchObject({ conversationId: 'conv_1', customer: ann });

    c.succeed({ sent: true });
    expect(c.said()).toEqual([
      'Please tell us how easy it was to handle your issue (1 = very hard, 7 = very easy), and how satisfied are you (1 to 5).',
    ]);
    expect(c.state.waiting).toEqual({ kind: 'survey', nodeId: 'survey', until: c.at + 86400_000 });
  });

  test('survey answered → baton.recordSurvey → "answered" → end', () => {
    const c = atFollowup();
    c.succeed({ sent: true });
    c.send({ type: 'survey_answered', ces: 6, csat: 5, comment: 'Great' });
    const answeredAt = c.at;
    expect(c.state.survey).toEqual({ ces: 6, csat: 5, comment: 'Great', at: answeredAt });
    const call = c.pendingCall();
    expect(call).toMatchObject({ activity: 'baton.recordSurvey', purpose: 'record_survey' });
    expect(call.input).toMatchObject({
      conversationId: 'conv_1',
      customerId: 'cus_1',
      ces: 6,
      csat: 5,
      comment: 'Great',
    });
    c.succeed(null);
    expect(c.state).toMatchObject({ status: 'ended', outcome: 'resolved_by_agent' });
    expect(c.state.path.find((p) => p.nodeId === 'survey')?.handle).toBe('answered');
    expect(c.last.effects.at(-1)).toEqual({ type: 'end', outcome: 'resolved_by_agent' });
  });

  test('a failed transcript still asks the survey; no answer in time takes "timeout"', () => {
    const c = atFollowup();
    c.fail('mailer down');
    expect(c.state.waiting?.kind).toBe('survey');
    c.timeout();
    expect(c.state.path.find((p) => p.nodeId === 'survey')).toMatchObject({
      handle: 'timeout',
      note: expect.stringContaining('transcript not sent: mailer down'),
    });
    expect(c.state.outcome).toBe('resolved_by_agent');
  });

  test('without the transcript it asks the survey at once; a survey answer elsewhere is rejected', () => {
    const compiled = compileOk(
      journey(
        [
          n.start(),
          n.followup('f', { sendTranscript: false, ces: false, responseTimeoutSeconds: 60 }),
          n.end('done'),
          n.end('late', 'abandoned'),
        ],
        [edge('start', 'next', 'f'), edge('f', 'answered', 'done'), edge('f', 'timeout', 'late')],
      ),
    );
    const c = new Conversation(compiled);
    expect(c.said()).toEqual([
      'Thanks for reaching out. Could you tell us how it went?',
      'Please tell us how satisfied are you (1 to 5).',
    ]);
    expect(c.state.waiting).toEqual({ kind: 'survey', nodeId: 'f', until: T0 + 60_000 });
    expect(c.send({ type: 'activity_result', callId: 'f#1', ok: true, output: null }).rejected).toBeDefined();

    const other = new Conversation(askJourney());
    expect(other.send({ type: 'survey_answered', csat: 3 }).rejected).toBeDefined();
  });
});

describe('end', () => {
  test('ends with its outcome and says its message', () => {
    const c = new Conversation(askJourney());
    c.timeout();
    expect(c.state).toMatchObject({ status: 'ended', outcome: 'abandoned', waiting: null, endedAt: c.at });
    expect(c.last.effects.filter((e) => e.type === 'end')).toEqual([{ type: 'end', outcome: 'abandoned' }]);
  });

  test('every event after the end is rejected and changes nothing', () => {
    const c = new Conversation(askJourney());
    c.say('red');
    expect(c.state.status).toBe('ended');
    const ended = c.state;
    for (const event of [
      { type: 'customer_message' as const, text: 'hello?', clientMessageId: 'late' },
      { type: 'timeout' as const },
      { type: 'activity_result' as const, callId: 'q#1', ok: true as const, output: null },
      { type: 'agent_claimed' as const, agent: sam },
      { type: 'survey_answered' as const, csat: 1 },
    ]) {
      const out = c.send(event);
      expect(out.rejected).toBe('the conversation has ended');
      expect(out.state).toBe(ended);
      expect(out.effects).toEqual([]);
    }
  });
});

describe('messages', () => {
  test('a retried message (same clientMessageId) is a duplicate and changes nothing', () => {
    const compiled = compileOk(
      journey(
        [n.start(), n.ask('q1', 'a'), n.ask('q2', 'b'), n.end('done')],
        [
          edge('start', 'next', 'q1'),
          edge('q1', 'reply', 'q2'),
          edge('q1', 'timeout', 'done'),
          edge('q2', 'reply', 'done'),
          edge('q2', 'timeout', 'done'),
        ],
        { variables: { a: { type: 'string' }, b: { type: 'string' } } },
      ),
    );
    const c = new Conversation(compiled);
    c.say('first', 'cm-1');
    const after = c.state;
    const out = c.say('first', 'cm-1');
    expect(out).toEqual({ state: after, effects: [], duplicate: true });
    expect(out.state).toBe(after);
    expect(c.state.vars).toEqual({ a: 'first' });
    expect(c.state.nodeId).toBe('q2');
  });

  test('clientMessageIds that are also Object.prototype names are de-duplicated like any other', () => {
    for (const id of ['__proto__', 'constructor', 'toString']) {
      const c = new Conversation(askJourney());
      c.send({ type: 'customer_message', text: 'hi', clientMessageId: id });
      // A fresh conversation at the ask: the first message ended it; a retry is a duplicate, not a rejection.
      const out = c.send({ type: 'customer_message', text: 'hi', clientMessageId: id });
      expect(out.duplicate).toBe(true);
      expect(repliesTo(c.state, id).map((e) => e.text)).toEqual(['You said hi.']);
    }
  });

  test('a customer message while an activity runs is buffered and answers the next ask at once', () => {
    const compiled = compileOk(
      journey(
        [
          n.start(),
          n.activity('lookup', 'crm.lookup', { output: 'info' }),
          n.ask('q', 'answer', 'What is your order number?'),
          n.message('m', 'Got {{answer}}.'),
          n.end('done'),
        ],
        [
          edge('start', 'next', 'lookup'),
          edge('lookup', 'ok', 'q'),
          edge('lookup', 'error', 'q'),
          edge('q', 'reply', 'm'),
          edge('q', 'timeout', 'done'),
          edge('m', 'next', 'done'),
        ],
        { variables: { answer: { type: 'string' }, info: { type: 'any' } } },
      ),
    );
    const c = new Conversation(compiled);
    const out = c.say('A-17', 'early');
    expect(out.effects.map((e) => e.type)).toEqual(['say']);
    expect(c.state.buffered).toEqual(['A-17']);
    expect(c.state.waiting?.kind).toBe('activity');

    c.succeed({});
    expect(c.said()).toEqual(['What is your order number?', 'Got A-17.']);
    expect(c.state.buffered).toEqual([]);
    expect(c.state.vars.answer).toBe('A-17');
    expect(c.state.status).toBe('ended');
    expect(repliesTo(c.state, 'early').map((e) => e.text)).toEqual(['What is your order number?', 'Got A-17.']);
  });

  test('repliesTo returns the bot replies that followed one customer message', () => {
    const compiled = compileOk(
      journey(
        [
          n.start(),
          n.ask('q1', 'a', 'First?'),
          n.message('m', 'Thanks {{a}}.'),
          n.ask('q2', 'b', 'Second?'),
          n.end('done', 'resolved_by_bot', 'Bye.'),
        ],
        [
          edge('start', 'next', 'q1'),
          edge('q1', 'reply', 'm'),
          edge('q1', 'timeout', 'done'),
          edge('m', 'next', 'q2'),
          edge('q2', 'reply', 'done'),
          edge('q2', 'timeout', 'done'),
        ],
        { variables: { a: { type: 'string' }, b: { type: 'string' } } },
      ),
    );
    const c = new Conversation(compiled);
    c.say('one', 'c1');
    c.say('two', 'c2');
    expect(repliesTo(c.state, 'c1').map((e) => e.text)).toEqual(['Thanks one.', 'Second?']);
    expect(repliesTo(c.state, 'c2').map((e) => e.text)).toEqual(['Bye.']);
    expect(repliesTo(c.state, 'unknown')).toEqual([]);
    expect(repliesTo(c.state, 'toString')).toEqual([]);
    expect(repliesTo(c.state, '__proto__')).toEqual([]);
  });
});

describe('visits', () => {
  test('count every entry into a node, whatever its id', () => {
    const compiled = compileOk(
      journey(
        [
          n.start(),
          n.message('constructor', 'Hi'),
          n.ask('toString', 'answer'),
          n.condition('valueOf', [{ id: 'again', when: { '==': [{ var: 'answer' }, 'again'] } }]),
          n.end('done'),
        ],
        [
          edge('start', 'next', 'constructor'),
          edge('constructor', 'next', 'toString'),
          edge('toString', 'reply', 'valueOf'),
          edge('toString', 'timeout', 'done'),
          edge('valueOf', 'again', 'constructor'),
          edge('valueOf', 'else', 'done'),
        ],
        { variables: { answer: { type: 'string' } } },
      ),
    );
    const c = new Conversation(compiled);
    c.say('again');
    c.say('stop');
    expect(c.state.counters.visits).toEqual({ start: 1, constructor: 2, toString: 2, valueOf: 2, done: 1 });
    expect(c.state.outcome).toBe('resolved_by_bot');
  });
});

describe('purity', () => {
  test('step never modifies its input state, for any kind of event', () => {
    const compiled = deepFreeze(compileOk(passwordResetJourney()));
    const started = startConversation(compiled, {
      conversationId: 'p',
      channel: 'test',
      customer: ann,
      variables: {},
      at: T0,
    });
    let state: ConversationState = deepFreeze(started.state);
    const drive = (event: Parameters<typeof step>[2]) => {
      const copy = clone(state);
      const out = step(compiled, state, event);
      expect(state).toEqual(copy);
      expect(out.state).not.toBe(state);
      state = deepFreeze(out.state);
      return out;
    };
    drive({ type: 'customer_message', at: T0 + 1, text: 'I forgot my password', clientMessageId: 'x1' });
    drive({ type: 'customer_message', at: T0 + 2, text: 'hurry please', clientMessageId: 'x2' });
    drive({
      type: 'activity_result',
      at: T0 + 3,
      callId: (state.waiting as { callId: string }).callId,
      ok: true,
      output: { intent: 'human', confidence: 0.9 },
    });
    drive({
      type: 'activity_result',
      at: T0 + 4,
      callId: (state.waiting as { callId: string }).callId,
      ok: true,
      output: { ticketId: 't' },
    });
    drive({ type: 'agent_claimed', at: T0 + 5, agent: sam });
    drive({ type: 'agent_message', at: T0 + 6, agent: sam, text: 'Hi', clientMessageId: 'a1' });
    drive({ type: 'ticket_resolved', at: T0 + 7, agent: sam });
    drive({
      type: 'activity_result',
      at: T0 + 8,
      callId: (state.waiting as { callId: string }).callId,
      ok: false,
      error: 'mailer down',
    });
    drive({ type: 'survey_answered', at: T0 + 9, ces: 7, csat: 5 });
    drive({
      type: 'activity_result',
      at: T0 + 10,
      callId: (state.waiting as { callId: string }).callId,
      ok: true,
      output: null,
    });
    expect(state).toMatchObject({ status: 'ended', outcome: 'resolved_by_agent' });
  });

  test('startConversation does not modify the journey or its input', () => {
    const compiled = deepFreeze(compileOk(passwordResetJourney()));
    const input = deepFreeze({
      conversationId: 'p',
      channel: 'test',
      customer: { ...ann },
      variables: { attempts: 1 },
      at: T0,
    });
    const out = startConversation(compiled, input);
    expect(out.state.vars).toEqual({ attempts: 1 });
    expect(out.state.customer).not.toBe(input.customer);
  });
});
