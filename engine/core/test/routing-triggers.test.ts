/**
 * The escalation triggers of the brief, each written as a rule the designer edits (JSONLogic over
 * the conversation context) and evaluated by the interpreter core: human-only intents, customer
 * tier, sentiment below a threshold, trigger phrases (case-insensitive), N failed or low-confidence
 * turns, an explicit request for a human that the customer can cancel, and bot/queue timeouts.
 */
import type { CompiledJourney, Customer } from '@baton/schemas';
import { Conversation, ann } from '@baton/test-support/fixtures/conversation';
import { compileOk, edge, journey, n } from '@baton/test-support/fixtures/journeys';

const phrase = (text: string) => ({ in: [text, { var: 'conversation.lastMessageLower' }] });

function triggersJourney(): CompiledJourney {
  return compileOk(
    journey(
      [
        n.start(),
        n.ask('q', 'request', 'How can I help?', { timeoutSeconds: 900 }),
        n.classify('triage', ['billing', 'contact_human_agent', 'legal'], { minConfidence: 0.6 }),
        n.condition('triggers', [
          { id: 'human_only', when: { in: [{ var: 'intent.name' }, ['legal']] } },
          { id: 'tier', when: { in: [{ var: 'customer.tier' }, ['vip', 'enterprise']] } },
          { id: 'sentiment', when: { '<': [{ var: 'sentiment.score' }, -0.5] } },
          {
            id: 'phrases',
            when: { or: [phrase("i've tried everything"), phrase('ridiculous'), phrase('talk to a person')] },
          },
          {
            id: 'struggling',
            when: { '>=': [{ '+': [{ var: 'counters.failures' }, { var: 'counters.lowConfidence' }] }, 2] },
          },
          { id: 'asks_human', when: { '==': [{ var: 'intent.name' }, 'contact_human_agent'] } },
        ]),
        n.ask('confirm', 'confirmation', 'I\'ll connect you with a person. Reply "cancel" to keep chatting with me.'),
        n.condition('cancelled', [{ id: 'yes', when: { or: [phrase('cancel'), phrase('never mind')] } }]),
        n.message('bot_answer', 'Here is what I found.'),
        n.handoff('human', 'Escalated', { queue: 'support', timeoutSeconds: 3600 }),
        n.message('queue_timeout', 'Nobody is free; we will email you.'),
        n.end('done', 'resolved_by_agent'),
        n.end('gone', 'abandoned'),
      ],
      [
        edge('start', 'next', 'q'),
        edge('q', 'reply', 'triage'),
        // Bot timeout: a silent customer is handed to a person.
        edge('q', 'timeout', 'human'),
        edge('triage', 'billing', 'triggers'),
        edge('triage', 'contact_human_agent', 'triggers'),
        edge('triage', 'legal', 'triggers'),
        edge('triage', 'fallback', 'triggers'),
        edge('triggers', 'human_only', 'human'),
        edge('triggers', 'tier', 'human'),
        edge('triggers', 'sentiment', 'human'),
        edge('triggers', 'phrases', 'human'),
        edge('triggers', 'struggling', 'human'),
        edge('triggers', 'asks_human', 'confirm'),
        edge('triggers', 'else', 'bot_answer'),
        edge('bot_answer', 'next', 'q'),
        edge('confirm', 'reply', 'cancelled'),
        edge('confirm', 'timeout', 'human'),
        edge('cancelled', 'yes', 'bot_answer'),
        edge('cancelled', 'else', 'human'),
        edge('human', 'resolved', 'done'),
        // Queue timeout.
        edge('human', 'timeout', 'queue_timeout'),
        edge('queue_timeout', 'next', 'gone'),
      ],
      { variables: { request: { type: 'string' }, confirmation: { type: 'string' } } },
    ),
  );
}

const calm = { score: 0.1 };

/** One customer turn with the classifier's answer; returns which rule of `triggers` fired. */
function turn(
  c: Conversation,
  text: string,
  classification: { intent: string | null; confidence: number; sentiment: { score: number } },
): string | undefined {
  c.say(text);
  c.succeed(classification);
  return c.state.path.filter((p) => p.nodeId === 'triggers').at(-1)?.handle;
}

function start(customer: Customer = { ...ann, tier: 'free' }): Conversation {
  return new Conversation(triggersJourney(), { customer });
}

describe('escalation triggers as rules', () => {
  it('a calm billing question stays with the bot', () => {
    const c = start();
    expect(turn(c, 'How do I pay my invoice?', { intent: 'billing', confidence: 0.9, sentiment: calm })).toBe('else');
    expect(c.state.nodeId).toBe('q');
  });

  it('human-only intents go to a person', () => {
    expect(turn(start(), 'I want to talk about a lawsuit', { intent: 'legal', confidence: 0.9, sentiment: calm })).toBe(
      'human_only',
    );
  });

  it('high-value tiers go to a person', () => {
    expect(
      turn(start({ ...ann, tier: 'vip' }), 'How do I pay?', { intent: 'billing', confidence: 0.9, sentiment: calm }),
    ).toBe('tier');
  });

  it('sentiment below the threshold goes to a person', () => {
    expect(turn(start(), 'How do I pay?!', { intent: 'billing', confidence: 0.9, sentiment: { score: -0.8 } })).toBe(
      'sentiment',
    );
  });

  it('trigger phrases match whatever the case', () => {
    expect(turn(start(), 'This is RIDICULOUS', { intent: 'billing', confidence: 0.9, sentiment: calm })).toBe(
      'phrases',
    );
    expect(
      turn(start(), "I've tried everything already", { intent: 'billing', confidence: 0.9, sentiment: calm }),
    ).toBe('phrases');
  });

  it('two failed or low-confidence turns go to a person', () => {
    const c = start();
    expect(turn(c, 'blorp', { intent: null, confidence: 0.2, sentiment: calm })).toBe('else');
    expect(turn(c, 'hmm flarb', { intent: 'billing', confidence: 0.3, sentiment: calm })).toBe('struggling');
    expect(c.state.counters.lowConfidence).toBe(2);
  });

  it('an explicit request for a human asks first, and the customer can cancel it', () => {
    const c = start();
    expect(turn(c, 'can I get a human', { intent: 'contact_human_agent', confidence: 0.95, sentiment: calm })).toBe(
      'asks_human',
    );
    expect(c.state.waiting).toMatchObject({ kind: 'reply', nodeId: 'confirm' });
    c.say('Cancel, I will try myself');
    expect(c.state.path.filter((p) => p.nodeId === 'cancelled').at(-1)?.handle).toBe('yes');
    expect(c.state.nodeId).toBe('q');

    const d = start();
    turn(d, 'can I get a human', { intent: 'contact_human_agent', confidence: 0.95, sentiment: calm });
    d.say('yes please');
    expect(d.pendingCall()).toMatchObject({ activity: 'baton.openTicket', nodeId: 'human' });
  });

  it('a bot timeout hands off, and a queue timeout takes its own path', () => {
    const c = start();
    c.timeout();
    expect(c.pendingCall()).toMatchObject({ activity: 'baton.openTicket', nodeId: 'human' });
    c.succeed({ ticketId: 'conv_1-1', status: 'pending', created: true, summary: 's' });
    c.timeout();
    expect(c.state).toMatchObject({ status: 'ended', outcome: 'abandoned' });
    expect(c.state.transcript.at(-1)?.text).toBe('Nobody is free; we will email you.');
  });

  it('rules can read how long the conversation has lasted (a bot time budget)', () => {
    const timed = compileOk(
      journey(
        [
          n.start(),
          n.ask('q', 'request', 'Question?', { timeoutSeconds: 3600 }),
          n.condition('budget', [{ id: 'too_long', when: { '>=': [{ var: 'conversation.elapsedSeconds' }, 600] } }]),
          n.end('done'),
          n.end('slow', 'abandoned'),
        ],
        [
          edge('start', 'next', 'q'),
          edge('q', 'reply', 'budget'),
          edge('q', 'timeout', 'slow'),
          edge('budget', 'too_long', 'slow'),
          edge('budget', 'else', 'done'),
        ],
        { variables: { request: { type: 'string' } } },
      ),
    );
    const quick = new Conversation(timed);
    quick.send({ type: 'customer_message', text: 'hi', clientMessageId: 'm1', at: quick.at + 10_000 });
    expect(quick.state.path.find((p) => p.nodeId === 'budget')?.handle).toBe('else');
    const slow = new Conversation(timed);
    slow.send({ type: 'customer_message', text: 'hi', clientMessageId: 'm1', at: slow.at + 700_000 });
    expect(slow.state.path.find((p) => p.nodeId === 'budget')?.handle).toBe('too_long');
  });
});
