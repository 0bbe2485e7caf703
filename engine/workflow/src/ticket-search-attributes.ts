/**
 * The ticket's two search attributes, BatonTicketId and BatonStatus, kept by the workflow so staff
 * find a ticket's conversation (or every pending one) in the Temporal UI. Set only where the start
 * carried BatonStatus (the client sends it when the namespace has both, search-attributes.ts) and
 * behind a `patched()` marker, so histories recorded before replay without the upserts.
 */
import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ConversationState } from '@baton/core/interpreter';

// As defineSearchAttributeKey (@temporalio/common) makes them; the server's client spells the same.
const ticketIdKey = { name: 'BatonTicketId', type: 'KEYWORD' } as const;
const statusKey = { name: 'BatonStatus', type: 'KEYWORD' } as const;

/** The inbox's words: with the bot, a ticket pending, open (claimed) or resolved, and closed once ended. */
export type ListedStatus = 'bot' | 'pending' | 'open' | 'resolved' | 'closed';

/** What the two attributes say of a conversation: its latest ticket and where that stands. */
export function listedTicket(state: ConversationState): { ticketId: string | null; status: ListedStatus } {
  const handoff = state.handoffs[state.handoffs.length - 1];
  const status: ListedStatus =
    state.status === 'ended'
      ? 'closed'
      : !handoff
        ? 'bot'
        : handoff.resolvedAt !== undefined
          ? 'resolved'
          : handoff.claimedBy
            ? 'open'
            : 'pending';
  return { ticketId: handoff?.ticketId ?? null, status };
}

/**
 * Answers a function to call after each step: it upserts the attributes when the ticket or its
 * status changed (one UpsertWorkflowSearchAttributes event each time), and does nothing where the
 * start did not carry BatonStatus or the history was recorded without the marker.
 */
export function ticketSearchAttributes(): (state: ConversationState) => void {
  const attributes = workflowInfo().typedSearchAttributes;
  const listing = attributes.get(statusKey) !== undefined && patched('ticket-search-attributes');
  let ticketId = attributes.get(ticketIdKey) ?? null;
  let status = attributes.get(statusKey);
  return (state) => {
    if (!listing) return;
    const now = listedTicket(state);
    if (now.ticketId === ticketId && now.status === status) return;
    upsertSearchAttributes([
      { key: statusKey, value: now.status },
      ...(now.ticketId !== null ? [{ key: ticketIdKey, value: now.ticketId }] : []),
    ]);
    ticketId = now.ticketId;
    status = now.status;
  };
}
