/**
 * POST /api/tickets/:id/typing: the agent working a ticket types a reply (or stopped). The customer's
 * event stream says so for a few seconds (`event: typing`). Nothing reaches the workflow or the
 * conversation's history: the signal lives in the store's short-lived `typing` record, which every API
 * process streaming the conversation reads, so it works behind a load balancer.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { Agent } from '@baton/schemas';
import type { Store } from '@baton/store';
import { actingAgent } from '../access';
import { parseOrThrow } from '../problem';
import { register, route } from './route';
import { ticketOf } from './shared';
import { ensureMayWork } from './ticket-work';

/** How long one "typing" lasts unless renewed: the inbox renews it every few seconds while the agent types. */
export const typingTtlMs = 6_000;
/** Renewals closer together than this are not written again (one write per agent per ticket and interval). */
const minRenewMs = 1_500;

export const typingTable = {
  typing: route({
    method: 'post',
    path: '/api/tickets/:id/typing',
    audience: ['agent'],
    tag: 'tickets',
    summary:
      "The agent working the ticket is typing (or stopped): the customer's stream says so for a few seconds; never part of the conversation's history",
    body: z.object({ typing: z.boolean(), agent: Agent.optional() }).strict(),
    statuses: [204],
    produces: 'none',
  }),
};

export function typingRoutes({ store }: { store: Store }): Router {
  const router: Router = express.Router();
  const written = new Map<string, number>();
  register(router, typingTable.typing, async (req, res) => {
    const body = parseOrThrow(typingTable.typing.body, req.body);
    const agent = actingAgent(res, body.agent);
    const ticket = await ticketOf(store, req, 'ticket id');
    // Only who may reply to the ticket types to its customer (claimed, theirs, not resolved).
    ensureMayWork(ticket, agent, 'reply to');
    const key = `${ticket.conversationId}\u0000${agent.id}`;
    if (!body.typing) {
      written.delete(key);
      await store.typing.stop(ticket.conversationId);
    } else if (Date.now() - (written.get(key) ?? 0) >= minRenewMs) {
      written.set(key, Date.now());
      if (written.size > 10_000) written.clear();
      await store.typing.start(ticket.conversationId, agent.name, typingTtlMs);
    }
    res.status(204).end();
  });
  return router;
}
