import { node } from '@baton/test-support/fixtures/journeys';
import { chosenBy, humanise } from '../../src/kinds/classify/clarify';
import { around, handleTaken } from './support';

const intents = [
  { name: 'refund_status', title: 'Where my refund is', examples: ['where is my refund'] },
  { name: 'cancel_order', examples: ['cancel my order'] },
  { name: 'billing', examples: ['a question about my invoice'] },
];

const clarifying = (clarify: Record<string, unknown> = { enabled: true }) =>
  around(
    node('triage', 'classify', { intents, clarify, variable: 'result' }),
    ['refund_status', 'cancel_order', 'billing', 'fallback'],
    { result: { type: 'object' } },
  );

/** refund_status just ahead of cancel_order: within the default margin (0.15). */
const close = {
  intent: 'refund_status',
  confidence: 0.62,
  sentiment: { score: 0 },
  ranking: [
    { intent: 'refund_status', confidence: 0.62 },
    { intent: 'cancel_order', confidence: 0.55 },
    { intent: 'billing', confidence: 0.1 },
  ],
};

test('close intents: the node asks "Did you mean A or B?" with the titles as quick replies and waits', () => {
  const conversation = clarifying().conversation();
  expect(conversation.said(conversation.succeed(close))).toEqual(['Did you mean Where my refund is or Cancel order?']);
  expect(conversation.state.transcript.at(-1)).toMatchObject({ quickReplies: ['Where my refund is', 'Cancel order'] });
  expect(conversation.state.waiting).toMatchObject({ kind: 'reply', nodeId: 'triage' });
  expect(handleTaken(conversation, 'triage')).toBeUndefined();
});

test('the customer picks B (by its button, its place or its name) and the node leaves by B', () => {
  for (const reply of ['Cancel order', '2', 'the second one', 'B', 'I meant cancel order please']) {
    const conversation = clarifying().conversation();
    conversation.succeed(close);
    conversation.say(reply);
    expect({ reply, handle: handleTaken(conversation, 'triage') }).toEqual({ reply, handle: 'cancel_order' });
    expect(conversation.state.intent).toEqual({ name: 'cancel_order', confidence: 0.55 });
    expect(conversation.state.vars.result).toEqual({ intent: 'cancel_order', confidence: 0.55, sentiment: 0 });
    expect(conversation.state.clarifying).toBeNull();
  }
  const first = clarifying().conversation();
  first.succeed(close);
  first.say('the first');
  expect(handleTaken(first, 'triage')).toBe('refund_status');
});

test('a reply naming neither (or both) that does not clearly mean one leaves by fallback; no reply leaves by the best intent', () => {
  for (const reply of ['my parcel is broken', 'yes', 'where my refund is or cancel order']) {
    const conversation = clarifying().conversation();
    conversation.succeed(close);
    conversation.say(reply);
    // Classified between the two offered intents only; neither clearly wins.
    expect(conversation.pendingCall().input).toMatchObject({ text: reply });
    conversation.succeed({
      intent: 'refund_status',
      confidence: 0.5,
      ranking: [
        { intent: 'refund_status', confidence: 0.5 },
        { intent: 'cancel_order', confidence: 0.42 },
      ],
    });
    expect({ reply, handle: handleTaken(conversation, 'triage') }).toEqual({ reply, handle: 'fallback' });
    expect(conversation.state.counters.lowConfidence).toBe(1);
    expect(conversation.state.vars.result).toEqual({ intent: null, confidence: 0, sentiment: 0 });
  }
  const silent = clarifying().conversation();
  silent.succeed(close);
  silent.timeout();
  expect(handleTaken(silent, 'triage')).toBe('refund_status');
});

test('a clear intent, a middling one without runner-up, or clarification off does not ask', () => {
  const clear = clarifying().conversation();
  clear.succeed({
    ...close,
    confidence: 0.9,
    ranking: [
      { intent: 'refund_status', confidence: 0.9 },
      { intent: 'cancel_order', confidence: 0.05 },
    ],
  });
  expect(handleTaken(clear, 'triage')).toBe('refund_status');
  const unranked = clarifying().conversation();
  unranked.succeed({ intent: 'refund_status', confidence: 0.6 });
  expect(handleTaken(unranked, 'triage')).toBe('refund_status');
  const off = clarifying({ enabled: false }).conversation();
  off.succeed(close);
  expect(handleTaken(off, 'triage')).toBe('refund_status');
  // Below minConfidence the node falls back without asking.
  const unsure = clarifying().conversation();
  unsure.succeed({
    ...close,
    confidence: 0.4,
    ranking: [
      { intent: 'refund_status', confidence: 0.4 },
      { intent: 'cancel_order', confidence: 0.35 },
    ],
  });
  expect(handleTaken(unsure, 'triage')).toBe('fallback');
});

test('a middling best intent asks even when the runner-up is far behind (below, margin and prompt are settings)', () => {
  const middling = {
    ...close,
    confidence: 0.7,
    ranking: [
      { intent: 'refund_status', confidence: 0.7 },
      { intent: 'billing', confidence: 0.2 },
    ],
  };
  const asked = clarifying({ enabled: true, prompt: 'A: {{first}}, B: {{second}}?' }).conversation();
  expect(asked.said(asked.succeed(middling))).toEqual(['A: Where my refund is, B: Billing?']);
  const notBelow = clarifying({ enabled: true, below: 0.65 }).conversation();
  notBelow.succeed(middling);
  expect(handleTaken(notBelow, 'triage')).toBe('refund_status');
  // A runner-up under minRunnerUp (0.1 by default) is nobody's meaning: no question.
  const faint = clarifying({ enabled: true, minRunnerUp: 0.25 }).conversation();
  faint.succeed(middling);
  expect(handleTaken(faint, 'triage')).toBe('refund_status');
  const wideMargin = clarifying({ enabled: true, below: 0, margin: 0.5 }).conversation();
  wideMargin.succeed(middling);
  expect(wideMargin.state.waiting).toMatchObject({ kind: 'reply', nodeId: 'triage' });
});

test('a model-backed node offers two routes by their titles, never two intents of one route nor "other"', () => {
  const modelled = around(
    node('triage', 'classify', {
      model: { name: 'banking', version: 3 },
      routes: [
        { handle: 'cards', title: 'Your card', intents: ['card_arrival', 'lost_or_stolen_card'] },
        { handle: 'refunds', intents: ['refund_not_showing_up'] },
      ],
      clarify: { enabled: true },
    }),
    ['cards', 'refunds', 'other', 'fallback'],
  );
  const conversation = modelled.conversation();
  const said = conversation.said(
    conversation.succeed({
      intent: 'card_arrival',
      confidence: 0.5,
      ranking: [
        { intent: 'card_arrival', confidence: 0.5 },
        { intent: 'lost_or_stolen_card', confidence: 0.45 },
        { intent: 'exchange_rate', confidence: 0.3 },
        { intent: 'refund_not_showing_up', confidence: 0.12 },
      ],
    }),
  );
  expect(said).toEqual(['Did you mean Your card or Refunds?']);
  conversation.say('refunds');
  expect(handleTaken(conversation, 'triage')).toBe('refunds');
  expect(conversation.state.intent).toEqual({ name: 'refund_not_showing_up', confidence: 0.12 });
  const onlyOneRoute = modelled.conversation();
  onlyOneRoute.succeed({
    intent: 'card_arrival',
    confidence: 0.5,
    ranking: [
      { intent: 'card_arrival', confidence: 0.5 },
      { intent: 'lost_or_stolen_card', confidence: 0.45 },
    ],
  });
  expect(handleTaken(onlyOneRoute, 'triage')).toBe('cards');
});

test('titles default to the humanised name; replies are read as a choice or as neither', () => {
  expect(humanise('cancel_order')).toBe('Cancel order');
  expect(humanise('refundStatus')).toBe('Refund status');
  const choices = [
    { handle: 'a', intent: 'refund_status', confidence: 0.6, title: 'Refund' },
    { handle: 'b', intent: 'cancel_order', confidence: 0.5, title: 'Cancel order' },
  ] as const;
  expect(chosenBy('1', choices)).toBe(0);
  expect(chosenBy('Option A', choices)).toBe(0);
  expect(chosenBy('refund status', choices)).toBe(0);
  expect(chosenBy('The latter.', choices)).toBe(1);
  expect(chosenBy('no idea', choices)).toBeNull();
  expect(chosenBy('   ', choices)).toBeNull();
});

describe('a reply that names neither choice is classified between the two', () => {
  test('the offered intents only; one that clearly wins is taken, with its new confidence', () => {
    for (const reply of ['the second one about my order', 'I want to stop the purchase before it ships']) {
      const conversation = clarifying().conversation();
      conversation.succeed(close);
      conversation.say(reply);
      const call = conversation.pendingCall();
      expect(call.activity).toBe('baton.classify');
      expect(call.input).toMatchObject({ text: reply, minConfidence: 0.5 });
      expect((call.input.intents as { name: string }[]).map((intent) => intent.name)).toEqual([
        'refund_status',
        'cancel_order',
      ]);
      expect(conversation.state.waiting).toMatchObject({ kind: 'activity', nodeId: 'triage' });
      conversation.succeed({
        intent: 'cancel_order',
        confidence: 0.81,
        sentiment: { score: 0 },
        ranking: [
          { intent: 'cancel_order', confidence: 0.81 },
          { intent: 'refund_status', confidence: 0.12 },
        ],
      });
      expect({ reply, handle: handleTaken(conversation, 'triage') }).toEqual({ reply, handle: 'cancel_order' });
      expect(conversation.state.intent).toEqual({ name: 'cancel_order', confidence: 0.81 });
      expect(conversation.state.vars.result).toEqual({ intent: 'cancel_order', confidence: 0.81, sentiment: 0 });
      expect(conversation.state.counters.lowConfidence).toBe(0);
      expect(conversation.state.clarifying).toBeNull();
      expect(conversation.state.path.find((step) => step.nodeId === 'triage')?.note).toMatch(
        /the reply meant cancel_order \(refund_status 0\.12, cancel_order 0\.81\)/,
      );
    }
  });

  test('below the bar, too close, out of scope or a failed call: the fallback as before', () => {
    const outcomes: [string, Record<string, unknown> | null][] = [
      [
        'below the bar',
        { intent: 'cancel_order', confidence: 0.4, ranking: [{ intent: 'cancel_order', confidence: 0.4 }] },
      ],
      [
        'too close',
        {
          intent: 'cancel_order',
          confidence: 0.6,
          ranking: [
            { intent: 'cancel_order', confidence: 0.6 },
            { intent: 'refund_status', confidence: 0.5 },
          ],
        },
      ],
      ['another intent', { intent: 'billing', confidence: 0.9, ranking: [{ intent: 'billing', confidence: 0.9 }] }],
      ['failed', null],
    ];
    for (const [what, output] of outcomes) {
      const conversation = clarifying().conversation();
      conversation.succeed(close);
      conversation.say('hmm, not sure');
      if (output) conversation.succeed(output as never);
      else conversation.fail('model unavailable');
      expect({ what, handle: handleTaken(conversation, 'triage') }).toEqual({ what, handle: 'fallback' });
      expect(conversation.state.vars.result).toMatchObject({ intent: null });
      expect(conversation.state.clarifying).toBeNull();
      if (!output) expect(conversation.state.counters.failures).toBe(1);
    }
  });

  test('a conversation recorded before (compat.clarifyByTextOnly, set on replay) goes to the fallback without the call', () => {
    const conversation = clarifying().conversation();
    conversation.succeed(close);
    conversation.state.compat = { clarifyByTextOnly: true };
    const output = conversation.say('the second one about my order');
    expect(conversation.lastCalls()).toEqual([]);
    expect(output.effects.some((effect) => effect.type === 'call_activity')).toBe(false);
    expect(handleTaken(conversation, 'triage')).toBe('fallback');
  });

  test("a model-backed node weighs each offered route by the model's confidence in its intents", () => {
    const modelled = around(
      node('triage', 'classify', {
        model: { name: 'banking', version: 3 },
        routes: [
          { handle: 'cards', title: 'Your card', intents: ['card_arrival', 'lost_or_stolen_card'] },
          { handle: 'refunds', intents: ['refund_not_showing_up'] },
        ],
        clarify: { enabled: true },
      }),
      ['cards', 'refunds', 'other', 'fallback'],
    );
    const conversation = modelled.conversation();
    conversation.succeed({
      intent: 'card_arrival',
      confidence: 0.5,
      ranking: [
        { intent: 'card_arrival', confidence: 0.5 },
        { intent: 'refund_not_showing_up', confidence: 0.42 },
      ],
    });
    conversation.say('it is about the card I lost');
    expect(conversation.pendingCall().input).toMatchObject({
      text: 'it is about the card I lost',
      model: { name: 'banking', version: 3 },
    });
    conversation.succeed({
      intent: 'lost_or_stolen_card',
      confidence: 0.55,
      ranking: [
        { intent: 'lost_or_stolen_card', confidence: 0.55 },
        { intent: 'card_arrival', confidence: 0.2 },
        { intent: 'refund_not_showing_up', confidence: 0.05 },
      ],
    });
    expect(handleTaken(conversation, 'triage')).toBe('cards');
    expect(conversation.state.intent).toEqual({ name: 'card_arrival', confidence: 0.75 });
  });
});
