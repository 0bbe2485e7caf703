/**
 * The customer's expected wait while their ticket waits for an agent: the median time the queue's
 * recent tickets waited to be claimed. Only the holder of the conversation's token (or open access)
 * may ask, per-token rate-limited as the other customer routes; the answer is a whole number of
 * minutes and nothing else (no ticket, agent or queue name).
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { Id } from '@baton/schemas';
import { collections, type Store, type Ticket } from '@baton/store';
import { parseOrThrow } from '../problem';
import { register, route } from './route';

/** The queue's newest claimed tickets the median is taken over. */
export const expectedWaitSample = 50;
/** Fewer claimed tickets than this among them: no estimate (a guess from two would mislead). */
export const expectedWaitMinimum = 3;

interface TicketDoc {
  _id: string;
  conversationId: string;
  status: string;
  queue: string;
  openedAt: number;
  claimedAt: number | null;
}

export const ExpectedWaitAnswer = z.object({
  /** Whole minutes (at least 1), or null when the queue does not know (too few claims lately, no ticket waiting). */
  expectedWaitMinutes: z.number().int().positive().nullable(),
});

export const expectedWaitTable = {
  expectedWait: route({
    method: 'get',
    path: '/api/conversations/:id/expected-wait',
    audience: ['customer'],
    tag: 'conversations',
    summary: "While the customer's ticket waits for an agent: the median claim time of its queue's recent tickets",
    response: ExpectedWaitAnswer,
  }),
};

/** The median wait to a claim of the tickets that were claimed, in whole minutes; null below the minimum. */
export function medianClaimMinutes(tickets: readonly Pick<Ticket, 'openedAt' | 'claimedAt'>[]): number | null {
  const waits = tickets
    .filter((t) => typeof t.claimedAt === 'number' && t.claimedAt >= t.openedAt)
    .map((t) => (t.claimedAt as number) - t.openedAt)
    .sort((a, b) => a - b);
  if (waits.length < expectedWaitMinimum) return null;
  const mid = Math.floor(waits.length / 2);
  const median = waits.length % 2 ? (waits[mid] as number) : ((waits[mid - 1] as number) + (waits[mid] as number)) / 2;
  return Math.max(1, Math.round(median / 60_000));
}

export function expectedWaitRoutes(options: { store: Store }): Router {
  const { store } = options;
  const router: Router = express.Router();
  register(router, expectedWaitTable.expectedWait, async (req, res) => {
    const id = parseOrThrow(Id, req.params.id, 'path parameter "id"');
    // Its ticket waiting for an agent (pending: unclaimed), as the ticket store has it once the handoff opened it.
    const tickets = store.collection<TicketDoc>(collections.tickets);
    const [pending] = await tickets
      .find({ conversationId: id, status: 'pending' }, { projection: { queue: 1 } })
      .sort({ openedAt: -1 })
      .limit(1)
      .toArray();
    if (!pending) {
      res.json({ expectedWaitMinutes: null });
      return;
    }
    // The queue's newest claimed tickets (a plain find with a projection: FerretDB-safe).
    const claimed = await tickets
      .find({ queue: pending.queue, claimedAt: { $ne: null } }, { projection: { openedAt: 1, claimedAt: 1 } })
      .sort({ openedAt: -1 })
      .limit(expectedWaitSample)
      .toArray();
    res.json({ expectedWaitMinutes: medianClaimMinutes(claimed) });
  });
  return router;
}
