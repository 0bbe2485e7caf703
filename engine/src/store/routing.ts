/**
 * Routing data: queues (`queues`), agents with their load (`agents`), and the routing fields of
 * tickets (queue, priority, assigned agent, routing events). FerretDB v1 has no transactions, so
 * every change that must not race is one atomic `findOneAndUpdate`; the agent's load counter is
 * kept with a `free` field (capacity − load) so that "has room" is a plain filter.
 */
import type { Collection, Document } from 'mongodb';
import type { QueueConfig, RoutingAgent, TicketPriority } from '@baton/schemas';

export const routingCollections = { queues: 'queues', agents: 'agents' } as const;

/** Anything that hands out collections: the `Db`, or the Store's `collection`. */
export interface CollectionSource {
  collection<T extends Document = Document>(name: string): Collection<T>;
}

export interface AgentRecord extends RoutingAgent {
  /** Tickets assigned and not yet released. */
  load: number;
  lastAssignedAt: number;
}

interface QueueDoc extends QueueConfig {
  _id: string;
}

interface AgentDoc extends AgentRecord {
  _id: string;
  free: number;
}

export interface RoutingEvent {
  at: number;
  type: string;
  detail: string;
}

/** The routing fields of a ticket document (the rest belongs to the main store). */
interface TicketRoutingDoc {
  _id: string;
  status: 'pending' | 'open' | 'resolved';
  queue: string;
  priority: TicketPriority;
  priorityRank: number;
  assignee?: { id: string; name: string } | null;
  assignedTo?: { id: string; name: string } | null;
  /** True while the assigned agent's load counts this ticket. */
  loadHeld?: boolean;
  reopened?: number;
  resolvedAt?: number | null;
  resolution?: string | null;
  routingEvents?: RoutingEvent[];
}

const priorityRank: Record<TicketPriority, number> = { urgent: 3, high: 2, normal: 1, low: 0 };

function queueOf(doc: QueueDoc): QueueConfig {
  const { _id: _ignored, ...queue } = doc;
  return queue;
}

function agentOf(doc: AgentDoc): AgentRecord {
  const { _id: _ignored, free: _free, ...agent } = doc;
  return agent;
}

export class RoutingStore {
  private readonly queues: Collection<QueueDoc>;
  private readonly agents: Collection<AgentDoc>;
  private readonly tickets: Collection<TicketRoutingDoc>;
  private readonly surveys: Collection<{ _id: string; customerId: string; at: number }>;
  private readonly source: CollectionSource;

  constructor(db: CollectionSource) {
    this.source = db;
    this.queues = db.collection<QueueDoc>(routingCollections.queues);
    this.agents = db.collection<AgentDoc>(routingCollections.agents);
    this.tickets = db.collection<TicketRoutingDoc>('tickets');
    this.surveys = db.collection('surveys');
  }

  async ensureIndexes(): Promise<void> {
    await this.agents.createIndex({ queues: 1, available: 1, free: 1 }, { name: 'queues_available_free' });
  }

  // ---------------------------------------------------------- queues

  async listQueues(): Promise<QueueConfig[]> {
    return (await this.queues.find({}).sort({ _id: 1 }).toArray()).map(queueOf);
  }

  async getQueue(id: string): Promise<QueueConfig | null> {
    const doc = await this.queues.findOne({ _id: id });
    return doc ? queueOf(doc) : null;
  }

  async putQueue(queue: QueueConfig): Promise<QueueConfig> {
    // Replace, so that a field removed in the body (e.g. hours) is gone.
    await this.queues.replaceOne({ _id: queue.id }, { ...JSON.parse(JSON.stringify(queue)) } as QueueDoc, { upsert: true });
    return queue;
  }

  // ---------------------------------------------------------- agents

  async listAgents(filter: { queue?: string } = {}): Promise<AgentRecord[]> {
    const query = filter.queue === undefined ? {} : { queues: filter.queue };
    return (await this.agents.find(query).sort({ _id: 1 }).toArray()).map(agentOf);
  }

  async getAgent(id: string): Promise<AgentRecord | null> {
    const doc = await this.agents.findOne({ _id: id });
    return doc ? agentOf(doc) : null;
  }

  /** Creates or changes an agent; its load (tickets held) is kept, and `free` follows the new capacity. */
  async putAgent(agent: RoutingAgent): Promise<AgentRecord> {
    const existing = await this.agents.findOne({ _id: agent.id });
    const load = existing?.load ?? 0;
    const doc: AgentDoc = { ...agent, _id: agent.id, load, lastAssignedAt: existing?.lastAssignedAt ?? 0, free: agent.capacity - load };
    await this.agents.replaceOne({ _id: agent.id }, doc, { upsert: true });
    return agentOf(doc);
  }

  /**
   * Picks an available agent of the queue with every skill and room left, and counts the ticket
   * in their load, in one atomic step (two tickets never take an agent's last slot).
   * least_loaded: fewest tickets held first; round_robin: longest since the last assignment first.
   */
  async assignAgent(input: { queue: string; skills: readonly string[]; policy: 'least_loaded' | 'round_robin'; at: number }): Promise<AgentRecord | null> {
    const filter: Record<string, unknown> = { queues: input.queue, available: true, free: { $gt: 0 } };
    if (input.skills.length) filter.skills = { $all: [...input.skills] };
    const sort: Record<string, 1> = input.policy === 'round_robin' ? { lastAssignedAt: 1, _id: 1 } : { load: 1, lastAssignedAt: 1, _id: 1 };
    const doc = await this.agents.findOneAndUpdate(filter, { $inc: { load: 1, free: -1 }, $set: { lastAssignedAt: input.at } }, { sort, returnDocument: 'after' });
    return doc ? agentOf(doc) : null;
  }

  /** Gives back one slot of the agent's load. */
  async releaseSlot(agentId: string): Promise<void> {
    await this.agents.updateOne({ _id: agentId, load: { $gt: 0 } }, { $inc: { load: -1, free: 1 } });
  }

  // ---------------------------------------------------------- tickets

  /** Records the routing decision on the ticket (idempotent: a retry after success changes nothing). */
  async setTicketRouting(ticketId: string, routing: { queue: string; priority: TicketPriority; assignedTo: { id: string; name: string } | null; event: RoutingEvent }): Promise<boolean> {
    const result = await this.tickets.updateOne(
      { _id: ticketId, assignedTo: { $exists: false } },
      {
        $set: { queue: routing.queue, priority: routing.priority, priorityRank: priorityRank[routing.priority], assignedTo: routing.assignedTo, loadHeld: routing.assignedTo !== null },
        $push: { routingEvents: routing.event },
      },
    );
    return result.modifiedCount === 1;
  }

  async getTicketRouting(ticketId: string): Promise<Omit<TicketRoutingDoc, '_id'> | null> {
    const doc = await this.tickets.findOne({ _id: ticketId });
    if (!doc) return null;
    const { _id: _ignored, ...rest } = doc;
    return rest;
  }

  /** Raises the priority and/or moves the ticket to the overflow queue (an SLA near breach). */
  async escalateTicket(ticketId: string, change: { queue: string; priority: TicketPriority; event: RoutingEvent }): Promise<void> {
    await this.tickets.updateOne(
      { _id: ticketId },
      { $set: { queue: change.queue, priority: change.priority, priorityRank: priorityRank[change.priority] }, $push: { routingEvents: change.event } },
    );
  }

  /** Gives back the assigned agent's slot once (the flag makes a retried or repeated release a no-op). */
  async releaseTicket(ticketId: string, at: number): Promise<boolean> {
    const doc = await this.tickets.findOneAndUpdate(
      { _id: ticketId, loadHeld: true },
      { $set: { loadHeld: false }, $push: { routingEvents: { at, type: 'released', detail: 'agent slot freed' } } },
      { returnDocument: 'before' },
    );
    if (!doc?.assignedTo) return false;
    await this.releaseSlot(doc.assignedTo.id);
    return true;
  }

  /**
   * A customer replied after resolution: the ticket opens again (with its agent, if it had one)
   * and counts the reopening. Only a resolved ticket changes, so a retry does not count twice.
   */
  async reopenTicket(ticketId: string, event: RoutingEvent): Promise<{ reopened: boolean; status: string | null; count: number }> {
    const before = await this.tickets.findOne({ _id: ticketId });
    if (!before) return { reopened: false, status: null, count: 0 };
    const status = before.assignee ? 'open' : 'pending';
    const doc = await this.tickets.findOneAndUpdate(
      { _id: ticketId, status: 'resolved' },
      { $set: { status, resolvedAt: null, resolution: null }, $inc: { reopened: 1 }, $push: { routingEvents: event } },
      { returnDocument: 'after' },
    );
    if (!doc) return { reopened: false, status: before.status, count: before.reopened ?? 0 };
    // The same agent holds the ticket again.
    const held = await this.tickets.findOneAndUpdate({ _id: ticketId, loadHeld: false, assignedTo: { $ne: null } }, { $set: { loadHeld: true } }, { returnDocument: 'after' });
    if (held?.assignedTo) await this.agents.updateOne({ _id: held.assignedTo.id }, { $inc: { load: 1, free: -1 } });
    return { reopened: true, status: doc.status, count: doc.reopened ?? 1 };
  }

  // ---------------------------------------------------------- follow-up

  /** Surveys the customer answered since `since` (other conversations than this one). */
  async surveysSince(customerId: string, since: number, exceptConversation: string): Promise<number> {
    return this.surveys.countDocuments({ customerId, at: { $gte: since }, _id: { $ne: exceptConversation } });
  }

  /** Up to `limit` article titles matching words of the topic (simple text match), when the knowledge base exists. */
  async relatedArticleTitles(topic: string, limit = 3): Promise<string[]> {
    const words = [...new Set(topic.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 3))].slice(0, 8);
    if (words.length === 0) return [];
    const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const articles = this.source.collection<{ _id: string; title: string }>('kb_articles');
    const or = escaped.flatMap((word) => [{ title: { $regex: word, $options: 'i' } }, { tags: { $regex: word, $options: 'i' } }]);
    const docs = await articles.find({ $or: or }, { projection: { title: 1 } }).limit(50).toArray();
    // The titles that share the most words with the topic first.
    const score = (title: string) => words.filter((word) => title.toLowerCase().includes(word)).length;
    return docs
      .filter((doc) => typeof doc.title === 'string')
      .sort((a, b) => score(b.title) - score(a.title) || a.title.localeCompare(b.title))
      .slice(0, limit)
      .map((doc) => doc.title);
  }
}
