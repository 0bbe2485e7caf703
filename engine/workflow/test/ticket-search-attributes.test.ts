/**
 * What BatonStatus and BatonTicketId say of a conversation (the words of the inbox): with the bot
 * before any ticket, the latest ticket pending, open once claimed, resolved, and closed once ended.
 */
import type { ConversationState, HandoffRecord } from '@baton/core/interpreter';
import { listedTicket } from '../src/ticket-search-attributes';

const handoff = (extra: Partial<HandoffRecord> = {}): HandoffRecord => ({
  ticketId: 't-1',
  nodeId: 'escalate',
  queue: 'accounts',
  priority: 'normal',
  reason: 'asked for a person',
  openedAt: 1,
  ...extra,
});
const state = (status: 'active' | 'ended', handoffs: HandoffRecord[]) =>
  ({ status, handoffs }) as unknown as ConversationState;

it('follows the latest ticket', () => {
  expect(listedTicket(state('active', []))).toEqual({ ticketId: null, status: 'bot' });
  expect(listedTicket(state('active', [handoff()]))).toEqual({ ticketId: 't-1', status: 'pending' });
  const claimed = handoff({ claimedBy: { id: 'a', name: 'Sam' }, claimedAt: 2 });
  expect(listedTicket(state('active', [claimed]))).toEqual({ ticketId: 't-1', status: 'open' });
  expect(listedTicket(state('active', [{ ...claimed, resolvedAt: 3 }]))).toEqual({
    ticketId: 't-1',
    status: 'resolved',
  });
  // A second handoff's ticket replaces the first.
  expect(listedTicket(state('active', [{ ...claimed, resolvedAt: 3 }, handoff({ ticketId: 't-2' })]))).toEqual({
    ticketId: 't-2',
    status: 'pending',
  });
  expect(listedTicket(state('ended', [claimed]))).toEqual({ ticketId: 't-1', status: 'closed' });
});
