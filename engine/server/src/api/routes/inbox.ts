/**
 * The agents' inbox: the ticket list, and one stream of bot and human conversations (the items), read
 * through a shared read of the latest tickets and conversations.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { InboxList, type InboxItem } from '@baton/schemas';
import type { ConversationRecord, Store, Ticket } from '@baton/store';
import { parseOrThrow } from '../problem';
import { register, route } from './route';
import type { InboxTicket } from './shared';

const InboxQuery = z.object({
  status: z.enum(['pending', 'open', 'resolved']).optional(),
  queue: z.string().max(100).optional(),
  assignee: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const inboxStatuses = ['bot', 'pending', 'open', 'resolved', 'closed'] as const;
export type InboxStatus = (typeof inboxStatuses)[number];

const ItemsQuery = z.object({
  status: z.enum(inboxStatuses).optional(),
  queue: z.string().max(100).optional(),
  assignee: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

const tag = 'inbox';
export const inboxTable = {
  tickets: route({
    method: 'get',
    path: '/api/inbox',
    audience: ['agent'],
    tag,
    summary: 'The tickets, by status, queue and assignee',
    query: InboxQuery,
  }),
  items: route({
    method: 'get',
    path: '/api/inbox/items',
    audience: ['agent'],
    tag,
    summary: 'One stream of bot and human conversations, with counts per status, the queues and the assignees',
    query: ItemsQuery,
    response: InboxList,
  }),
};

/** What the inbox's stream is built from: the latest tickets and conversations. */
export interface StreamSources {
  tickets: Ticket[];
  records: ConversationRecord[];
}

/**
 * One read of the stream's sources at a time in each API process: agents whose browsers poll
 * together share it (the read is a sort over every stored conversation on a store that cannot index
 * it, 3.3 s with 10,000 on FerretDB). A request joins a read only if it started after the last change
 * to a ticket made through this process, so an agent sees their own claim or answer at once.
 */
export class InboxStreamSources {
  private generation = 0;
  private changesUnderway = 0;
  private inFlight: { generation: number; read: Promise<StreamSources> } | undefined;
  /** Store reads started (for tests and metrics). */
  reads = 0;

  constructor(private readonly store: Store) {}

  /**
   * A request that may change a ticket begins; call the answer when its response is done. Until
   * then and from then on, no request joins a read that started earlier.
   */
  changing(): () => void {
    this.generation += 1;
    this.changesUnderway += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.changesUnderway -= 1;
      this.generation += 1;
    };
  }

  get(): Promise<StreamSources> {
    if (this.inFlight && this.inFlight.generation === this.generation && this.changesUnderway === 0)
      return this.inFlight.read;
    this.reads += 1;
    const read = Promise.all([
      this.store.listTickets({ limit: 500 }),
      this.store.listConversations({ limit: 500 }),
    ]).then(([tickets, records]) => ({ tickets, records }));
    const entry = { generation: this.generation, read };
    this.inFlight = entry;
    const done = () => {
      if (this.inFlight === entry) this.inFlight = undefined;
    };
    read.then(done, done);
    return read;
  }
}

const priorityRank: Record<string, number> = { urgent: 3, high: 2, normal: 1, low: 0 };
const statusOrder: Record<string, number> = { pending: 0, open: 1, bot: 2, resolved: 3, closed: 4 };

function lastOf(transcript: readonly { from: string; text: string; at: number }[]): InboxItem['lastMessage'] {
  const last = transcript[transcript.length - 1];
  return last ? { from: last.from, text: last.text, at: last.at } : null;
}

function ticketItem(ticket: InboxTicket, conversation: ConversationRecord | undefined): InboxItem {
  const transcript = conversation?.transcript ?? ticket.transcript;
  return {
    id: ticket.ticketId,
    kind: 'ticket',
    status: ticket.status,
    conversationId: ticket.conversationId,
    ticketId: ticket.ticketId,
    customer: ticket.customer,
    journey: ticket.journey,
    channel: ticket.channel,
    intent: conversation?.intent ?? ticket.intent,
    sentiment: conversation
      ? { score: conversation.sentiment.score, label: conversation.sentiment.label }
      : { score: ticket.sentiment.score, label: ticket.sentiment.label },
    queue: ticket.queue,
    priority: ticket.priority,
    reopened: Boolean(ticket.reopened),
    assignee: ticket.assignee,
    lastMessage: lastOf(transcript),
    updatedAt: Math.max(conversation?.updatedAt ?? 0, ticket.resolvedAt ?? ticket.claimedAt ?? ticket.openedAt),
    openedAt: ticket.openedAt,
    ...dueOf(ticket, conversation),
  };
}

/** The SLA deadline the agents race next: the first response while pending, then the resolution. */
function dueOf(ticket: InboxTicket, conversation: ConversationRecord | undefined): { dueAt?: number } {
  if (ticket.status === 'resolved') return {};
  const sla = conversation?.handoffs.find((handoff) => handoff.ticketId === ticket.ticketId)?.sla;
  const timer = ticket.status === 'pending' ? (sla?.firstResponse ?? sla?.resolution) : sla?.resolution;
  return timer && !timer.met ? { dueAt: timer.dueAt } : {};
}

function conversationItem(conversation: ConversationRecord): InboxItem {
  return {
    id: conversation.conversationId,
    kind: 'conversation',
    status: conversation.status === 'active' ? 'bot' : 'closed',
    conversationId: conversation.conversationId,
    ticketId: null,
    customer: conversation.customer,
    journey: { id: conversation.journey.id, version: conversation.journey.version },
    channel: conversation.channel,
    intent: conversation.intent,
    sentiment: { score: conversation.sentiment.score, label: conversation.sentiment.label },
    queue: null,
    priority: null,
    reopened: false,
    assignee: null,
    lastMessage: lastOf(conversation.transcript),
    updatedAt: conversation.updatedAt,
  };
}

export interface InboxRoutesOptions {
  store: Store;
  /** The stream's shared read; createApp passes the one its ticket routes mark as changed. */
  stream?: InboxStreamSources;
}

export function inboxRoutes(options: InboxRoutesOptions): Router {
  const { store } = options;
  const stream = options.stream ?? new InboxStreamSources(store);
  const router: Router = express.Router();

  register(router, inboxTable.tickets, async (req, res) => {
    const query = parseOrThrow(inboxTable.tickets.query, req.query, 'query');
    res.json({ tickets: await store.listTickets(query) });
  });

  register(router, inboxTable.items, async (req, res) => {
    const query = parseOrThrow(inboxTable.items.query, req.query, 'query');
    const { tickets, records } = await stream.get();
    const byConversation = new Map(records.map((record) => [record.conversationId, record]));
    const ticketed = new Set(tickets.map((ticket) => ticket.conversationId));
    const items: InboxItem[] = [
      ...tickets.map((ticket) => ticketItem(ticket, byConversation.get(ticket.conversationId))),
      // A conversation that was handed off but whose ticket is not in the list shows as nothing rather than as "bot".
      ...records
        .filter((record) => !ticketed.has(record.conversationId) && record.handoffs.length === 0)
        .map(conversationItem),
    ];
    const counts: Record<string, number> = Object.fromEntries(inboxStatuses.map((status) => [status, 0]));
    const selected = items.filter((item) => {
      if (query.queue !== undefined && item.queue !== query.queue) return false;
      if (query.assignee !== undefined && item.assignee?.id !== query.assignee) return false;
      counts[item.status] = (counts[item.status] ?? 0) + 1;
      return query.status === undefined || item.status === query.status;
    });
    selected.sort(
      (a, b) =>
        (statusOrder[a.status] ?? 5) - (statusOrder[b.status] ?? 5) ||
        (priorityRank[b.priority ?? ''] ?? -1) - (priorityRank[a.priority ?? ''] ?? -1) ||
        b.updatedAt - a.updatedAt ||
        a.id.localeCompare(b.id),
    );
    const queues = [...new Set(tickets.map((ticket) => ticket.queue))].sort();
    const assignees = [
      ...new Map(
        tickets.flatMap((ticket) => (ticket.assignee ? [[ticket.assignee.id, ticket.assignee] as const] : [])),
      ).values(),
    ];
    res.json({ items: selected.slice(0, query.limit), counts, queues, assignees });
  });

  return router;
}
