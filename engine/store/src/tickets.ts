/**
 * Tickets (`tickets`): the handoffs to human agents, from opening (pending) through claiming (open)
 * to resolution. Their routing fields (queue, assigned agent, events) are routing.ts's.
 */
import type { Collection, Db, Document, Filter } from 'mongodb';
import type { Agent } from '@baton/schemas';
import { collections } from './collections';
import { insertOnce, limitOf, restored, stored } from './documents';
import { StoreConflictError, StoreNotFoundError, isDuplicateKeyError } from './errors';
import { refreshTicket } from './read-model-measures-store';
import type { OpenTicketResult, Ticket, TicketFeedback, TicketPacket, TicketPriority, TicketQuery } from './types';

/** Tickets and what agents do with them. */
export interface TicketStore {
  /** Idempotent on ticketId: a second call returns the stored ticket and changes nothing. */
  openTicket(packet: TicketPacket): Promise<OpenTicketResult>;
  getTicket(ticketId: string): Promise<Ticket | null>;
  /** pending → open. Claiming again by the same agent returns the ticket. @throws StoreNotFoundError, StoreConflictError */
  claimTicket(ticketId: string, agent: Agent): Promise<Ticket>;
  /**
   * An open ticket changes hands: from its assignee `fromAgentId` to `agent` (an admin's takeover).
   * @throws StoreNotFoundError, StoreConflictError when it is no longer open or held by `fromAgentId`
   */
  takeOverTicket(ticketId: string, fromAgentId: string, agent: Agent): Promise<Ticket>;
  /** pending/open → resolved. Resolving a resolved ticket again returns it unchanged. @throws StoreNotFoundError, StoreConflictError */
  resolveTicket(ticketId: string, agent: Agent, resolution?: string): Promise<Ticket>;
  /** The agent's verdict on the handoff (summary helpful, triage correction). @throws StoreNotFoundError */
  setTicketFeedback(ticketId: string, feedback: TicketFeedback): Promise<Ticket>;
  /** By priority (urgent, high, normal, low), then oldest first. */
  listTickets(query?: TicketQuery): Promise<Ticket[]>;
}

interface TicketDoc extends Document {
  _id: string;
  ticketId: string;
  status: string;
  queue: string;
  priorityRank: number;
  openedAt: number;
}

const priorityRank: Record<TicketPriority, number> = { urgent: 3, high: 2, normal: 1, low: 0 };

export class MongoTicketStore implements TicketStore {
  private readonly tickets: Collection<TicketDoc>;
  /** One document per ticket and round of claiming: the unique _id decides a race between agents. */
  private readonly ticketClaims: Collection<{ _id: string; agentId: string; at: number }>;

  constructor(private readonly db: Db) {
    this.tickets = db.collection<TicketDoc>(collections.tickets);
    this.ticketClaims = db.collection(collections.ticketClaims);
  }

  async ensureIndexes(): Promise<void> {
    await this.tickets.createIndex({ ticketId: 1 }, { name: 'ticketId', unique: true });
    await this.tickets.createIndex({ status: 1, priorityRank: -1, openedAt: 1 }, { name: 'status_priority_openedAt' });
  }

  private ticketOf(doc: TicketDoc): Ticket {
    const ticket = restored<Ticket>(doc, ['priorityRank']);
    // Fields written as null stay null (older or hand-made documents may lack them).
    ticket.assignee ??= null;
    ticket.claimedAt ??= null;
    ticket.resolvedAt ??= null;
    ticket.resolution ??= null;
    ticket.feedback ??= null;
    return ticket;
  }

  /** After a write: the ticket's measures brought in line (read-model-measures-store.ts), then the ticket. */
  private async measured(doc: TicketDoc): Promise<Ticket> {
    await refreshTicket(this.db, doc._id);
    return this.ticketOf(doc);
  }

  async openTicket(packet: TicketPacket): Promise<OpenTicketResult> {
    const ticket: Ticket = {
      ...packet,
      status: 'pending',
      assignee: null,
      claimedAt: null,
      resolvedAt: null,
      resolution: null,
      feedback: null,
    };
    const rank = priorityRank[packet.priority] ?? priorityRank.normal;
    const insert = { ...(stored(ticket) as Ticket), priorityRank: rank };
    const created = await insertOnce(this.tickets, { ...insert, _id: packet.ticketId } as TicketDoc);
    await refreshTicket(this.db, packet.ticketId);
    const doc = await this.tickets.findOne({ _id: packet.ticketId });
    if (!doc) throw new StoreNotFoundError(`ticket "${packet.ticketId}" vanished while it was opened`);
    return { ticket: this.ticketOf(doc), created };
  }

  async getTicket(ticketId: string): Promise<Ticket | null> {
    const doc = await this.tickets.findOne({ _id: ticketId });
    return doc ? this.ticketOf(doc) : null;
  }

  private async existingTicket(ticketId: string): Promise<Ticket> {
    const ticket = await this.getTicket(ticketId);
    if (!ticket) throw new StoreNotFoundError(`ticket "${ticketId}" does not exist`);
    return ticket;
  }

  async claimTicket(ticketId: string, agent: Agent): Promise<Ticket> {
    // FerretDB v1 does not make findOneAndUpdate atomic under concurrency, so two agents could both
    // move the same pending ticket to open. An insert with a unique _id is atomic: the first wins.
    const before = await this.existingTicket(ticketId);
    if (before.status === 'pending') {
      const claimId = `${ticketId}#${(before as Ticket & { reopened?: number }).reopened ?? 0}`;
      try {
        await this.ticketClaims.insertOne({ _id: claimId, agentId: agent.id, at: Date.now() });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const winner = await this.ticketClaims.findOne({ _id: claimId });
        if (winner && winner.agentId !== agent.id) {
          throw new StoreConflictError(
            `ticket "${ticketId}" is claimed by ${(await this.existingTicket(ticketId)).assignee?.name ?? 'another agent'}`,
          );
        }
      }
    }
    const doc = await this.tickets.findOneAndUpdate(
      { _id: ticketId, status: 'pending' },
      { $set: { status: 'open', assignee: stored(agent), claimedAt: Date.now() } },
      { returnDocument: 'after' },
    );
    if (doc) return this.measured(doc);
    const ticket = await this.existingTicket(ticketId);
    if (ticket.status === 'open' && ticket.assignee?.id === agent.id) return ticket;
    if (ticket.status === 'resolved') throw new StoreConflictError(`ticket "${ticketId}" is resolved`);
    throw new StoreConflictError(`ticket "${ticketId}" is claimed by ${ticket.assignee?.name ?? 'another agent'}`);
  }

  async takeOverTicket(ticketId: string, fromAgentId: string, agent: Agent): Promise<Ticket> {
    // Conditional on the assignee read before: a takeover racing a resolution or another takeover loses.
    const doc = await this.tickets.findOneAndUpdate(
      { _id: ticketId, status: 'open', 'assignee.id': fromAgentId },
      { $set: { assignee: stored(agent), claimedAt: Date.now() } },
      { returnDocument: 'after' },
    );
    if (doc) return this.measured(doc);
    const ticket = await this.existingTicket(ticketId);
    throw new StoreConflictError(
      `ticket "${ticketId}" is ${ticket.status === 'open' ? `claimed by ${ticket.assignee?.name ?? 'another agent'}` : ticket.status}`,
    );
  }

  async resolveTicket(ticketId: string, agent: Agent, resolution?: string): Promise<Ticket> {
    const now = Date.now();
    const set = { status: 'resolved', resolvedAt: now, resolution: resolution ?? null };
    // An open ticket is resolved by its assignee; a pending one by whoever takes it (and becomes its assignee).
    const doc =
      (await this.tickets.findOneAndUpdate(
        { _id: ticketId, status: 'open', 'assignee.id': agent.id },
        { $set: set },
        { returnDocument: 'after' },
      )) ??
      (await this.tickets.findOneAndUpdate(
        { _id: ticketId, status: 'pending' },
        { $set: { ...set, assignee: stored(agent), claimedAt: now } },
        { returnDocument: 'after' },
      ));
    if (doc) return this.measured(doc);
    const ticket = await this.existingTicket(ticketId);
    if (ticket.status === 'resolved') return ticket;
    throw new StoreConflictError(`ticket "${ticketId}" is claimed by ${ticket.assignee?.name ?? 'another agent'}`);
  }

  async setTicketFeedback(ticketId: string, feedback: TicketFeedback): Promise<Ticket> {
    const doc = await this.tickets.findOneAndUpdate(
      { _id: ticketId },
      { $set: { feedback: stored(feedback) } },
      { returnDocument: 'after' },
    );
    if (!doc) throw new StoreNotFoundError(`ticket "${ticketId}" does not exist`);
    return this.measured(doc);
  }

  async listTickets(query: TicketQuery = {}): Promise<Ticket[]> {
    const filter: Filter<TicketDoc> = {};
    if (query.status !== undefined) filter.status = query.status;
    if (query.queue !== undefined) filter.queue = query.queue;
    if (query.assignee !== undefined) filter['assignee.id'] = query.assignee;
    const docs = await this.tickets
      .find(filter)
      .sort({ priorityRank: -1, openedAt: 1, _id: 1 })
      .limit(limitOf(query.limit))
      .toArray();
    return docs.map((doc) => this.ticketOf(doc));
  }
}
