import { customerView } from '../src/interpreter/view';

const base = {
  conversationId: 'conv-1',
  status: 'active' as const,
  waiting: { kind: 'reply' as const, nodeId: 'ask', until: 10 },
  handoffs: [],
  survey: null,
  vars: {},
};

test("the customer view carries a bot message's quick replies, and no empty list", () => {
  const view = customerView({
    ...base,
    transcript: [
      { seq: 1, from: 'bot', text: 'Hello', at: 1, nodeId: 'greet', quickReplies: [] },
      { seq: 2, from: 'bot', text: 'Refund or exchange?', at: 2, nodeId: 'ask', quickReplies: ['Refund', 'Exchange'] },
    ],
  });
  expect(view.transcript).toEqual([
    { seq: 1, from: 'bot', text: 'Hello', at: 1 },
    { seq: 2, from: 'bot', text: 'Refund or exchange?', at: 2, quickReplies: ['Refund', 'Exchange'] },
  ]);
});
