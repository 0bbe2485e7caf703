import type { InboxItem } from '../src/inbox/api';
import { fillCanned, matchCanned } from '../src/inbox/canned';
import { facts, readableStep } from '../src/inbox/facts';
import { shortRef, span } from '../src/inbox/format';
import { compareItems, keepOrder, waitingSince } from '../src/inbox/order';

function item(id: string, status: string, change: Partial<InboxItem> = {}): InboxItem {
  return {
    id,
    kind: 'ticket',
    status,
    conversationId: `conv-${id}`,
    ticketId: id,
    customer: { id: `cust-${id}`, name: 'Ana' },
    journey: { id: 'j', version: 1 },
    channel: 'web',
    intent: null,
    sentiment: { score: 0, label: 'neutral' },
    queue: 'accounts',
    priority: 'normal',
    reopened: false,
    assignee: null,
    lastMessage: { from: 'bot', text: 'hi', at: 100 },
    updatedAt: 100,
    ...change,
  };
}

test('pending tickets come first, the longest wait at the top; then open, then the bot', () => {
  const items = [
    item('bot', 'bot', { updatedAt: 900 }),
    item('open', 'open', { updatedAt: 800 }),
    item('late', 'pending', { openedAt: 500 }),
    item('early', 'pending', { openedAt: 200 }),
  ];
  expect([...items].sort(compareItems).map((i) => i.id)).toEqual(['early', 'late', 'open', 'bot']);
  expect(waitingSince(item('x', 'open', { lastMessage: { from: 'customer', text: '?', at: 42 } }))).toBe(42);
  expect(waitingSince(item('x', 'open'))).toBeNull();
});

test('a row keeps its place when its status changes; a new row goes where it sorts', () => {
  const first = keepOrder([], [item('b', 'pending', { openedAt: 2 }), item('a', 'pending', { openedAt: 1 })]);
  expect(first.map((i) => i.id)).toEqual(['a', 'b']);
  // a is claimed (now open, which sorts after pending) and c arrives, waiting longest of all.
  const next = keepOrder(
    first.map((i) => i.id),
    [item('a', 'open'), item('b', 'pending', { openedAt: 2 }), item('c', 'pending', { openedAt: 0 })],
  );
  expect(next.map((i) => i.id)).toEqual(['c', 'a', 'b']);
  // A row that left the filter is gone.
  expect(keepOrder(['c', 'a', 'b'], [item('b', 'pending')]).map((i) => i.id)).toEqual(['b']);
});

test('canned responses are filled from the customer and the agent; an unknown field stays visible', () => {
  const ticket = { customer: { id: 'c1', name: 'Ana Silva', email: 'ana@example.com' } };
  expect(
    fillCanned('Hi {{customer.firstName}} ({{ customer.email }}), {{agent.name}} here.', ticket, {
      id: 'a',
      name: 'Sam',
    }),
  ).toBe('Hi Ana (ana@example.com), Sam here.');
  expect(fillCanned('Hi {{customer.name}}, order {{order.id}}', ticket, null)).toBe('Hi Ana Silva, order {{order.id}}');
  expect(fillCanned('Hi {{customer.name}}', { customer: { id: 'c2' } }, null)).toBe('Hi {{customer.name}}');
  const list = [
    { id: 'greeting', title: 'Greeting', text: 'Hello' },
    { id: 'refund', title: 'Refund sent', text: 'Your refund is on its way' },
  ];
  expect(matchCanned(list, 'refund way').map((r) => r.id)).toEqual(['refund']);
  expect(matchCanned(list, '').map((r) => r.id)).toEqual(['greeting', 'refund']);
});

test('the bot findings read as key/value lines: nested objects dotted, lists joined, secrets kept hidden', () => {
  expect(
    facts({
      order: { id: 'A-17', status: 'shipped', items: [{ sku: 'X1' }, { sku: 'Y2' }] },
      tags: ['vip', 'eu'],
      password: '[secret]',
      empty: '',
      none: null,
      count: 3,
    }),
  ).toEqual([
    ['order.id', 'A-17'],
    ['order.status', 'shipped'],
    ['order.items.1.sku', 'X1'],
    ['order.items.2.sku', 'Y2'],
    ['tags', 'vip, eu'],
    ['password', '[secret]'],
    ['count', '3'],
  ]);
});

test('waiting times and short references read at a glance', () => {
  expect(span(45_000)).toBe('45 s');
  expect(span(12 * 60_000)).toBe('12 min');
  expect(span(3 * 3600_000 + 5 * 60_000)).toBe('3 h 05');
  expect(span(50 * 3600_000)).toBe('2 d');
  expect(shortRef('visitor-4f1c2a9e-77aa-4bd2-9d1e-0a1b2c3d4e5f')).toBe('#3d4e5f');
  expect(shortRef('c1')).toBe('#c1');
});

test('an activity result in a step reads as key: value, its secrets hidden', () => {
  expect(
    readableStep(
      'Sent a password reset link → ok: accounts.sendResetLink → {"sent":true,"to":"ada@example.com","resetId":"[secret]"}',
    ),
  ).toBe(
    'Sent a password reset link → ok: accounts.sendResetLink → sent: true, to: ada@example.com, resetId: [secret]',
  );
  expect(readableStep('Asked what the customer needs → reply')).toBe('Asked what the customer needs → reply');
  expect(readableStep('Note {not json')).toBe('Note {not json');
});
