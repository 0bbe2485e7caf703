/**
 * Who may work a ticket, checked before anything is sent: only its assignee replies to and resolves a
 * claimed ticket; an admin may take it over, which is audited. A refused request changes nothing.
 */
import type { Response } from 'express';
import type { Agent } from '@baton/schemas';
import type { Store, Ticket } from '@baton/store';
import type { Conversations } from '../../client';
import { hasRole, identityOf } from '../access';
import type { Audit } from '../audit';
import { HttpProblem } from '../problem';

/**
 * Refuses, before anything reaches the workflow or the store, an action on a ticket the agent may not
 * work: one claimed by someone else (only its assignee replies and resolves), a resolved one, or a
 * reply to one nobody has claimed yet.
 */
export function ensureMayWork(ticket: Ticket, agent: { id: string }, action: 'reply to' | 'resolve'): void {
  if (ticket.status === 'open' && ticket.assignee && ticket.assignee.id !== agent.id)
    throw new HttpProblem(
      409,
      'Ticket claimed by another agent',
      `ticket "${ticket.ticketId}" is claimed by ${ticket.assignee.name}; only they may ${action} it (an admin may take it over: POST /api/tickets/${ticket.ticketId}/claim with {"takeover": true})`,
    );
  if (ticket.status === 'resolved')
    throw new HttpProblem(409, 'Ticket resolved', `ticket "${ticket.ticketId}" is resolved`);
  if (action === 'reply to' && ticket.status === 'pending')
    throw new HttpProblem(409, 'Ticket not claimed', `claim ticket "${ticket.ticketId}" before replying`);
}

/** An admin takes a claimed ticket from its assignee: checked first, then the store, the conversation and the audit. */
export async function takeOver(
  { store, conversations, audit }: { store: Store; conversations: Conversations; audit: Audit },
  ticket: Ticket,
  agent: Agent,
  res: Response,
): Promise<void> {
  if (!hasRole(identityOf(res), 'admin'))
    throw new HttpProblem(403, 'Forbidden', 'only an admin may take over a ticket another agent holds');
  if (ticket.status !== 'open' || !ticket.assignee)
    throw new HttpProblem(409, 'Nothing to take over', `ticket "${ticket.ticketId}" is ${ticket.status}, not claimed`);
  const from = ticket.assignee;
  if (from.id === agent.id) return;
  await store.takeOverTicket(ticket.ticketId, from.id, agent);
  await conversations.claim(ticket.conversationId, agent);
  await audit.record(res, {
    action: 'ticket.takeover',
    subject: ticket.ticketId,
    actor: agent.name,
    details: {
      conversationId: ticket.conversationId,
      fromId: from.id,
      fromName: from.name,
      toId: agent.id,
      toName: agent.name,
    },
  });
}
