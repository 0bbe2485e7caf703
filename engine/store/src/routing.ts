/**
 * Routing data: queues (`queues`), agents (`agents`), the slots they hold (`agent_slots`), and the
 * routing fields of tickets (queue, priority, assigned agent, routing events).
 *
 * FerretDB v1 has no transactions, and its findOneAndUpdate is not atomic between the find and the
 * update (concurrent assignments all saw room and all took it, in a test). The one atomic step it
 * has is an insert against the unique `_id`: an agent with capacity c has slots `<agentId>#0` …
 * `<agentId>#(c−1)`, and taking a ticket is inserting one of them. Two assignments can never take
 * the same slot, so capacity holds whatever the concurrency; the load is the number of slots held.
 */
import type { Collection, Document } from 'mongodb';
import type { QueueConfig, RoutingAgent, TicketPriority } from '@baton/schemas';
import { agentsInAssignmentOrder, type AssignmentPolicy } from '@baton/core/routing';
import { isDuplicateKeyError } from './errors';
import { refreshTicket } from './read-model-measures-store';

export const routingCollections = { queues: 'queues', agents: 'agents', slots: 'agent_slots' } as const;

/** Anything that hands out collections: the `Db`, or the Store's `collection`. */
export interface CollectionSource {
  collection<T extends Document = Document>(name: string): Collection<T>;
}

export interface AgentRecord extends RoutingAgent {
  /** Tickets held (slots taken) now. */
  load: number;
  lastAssignedAt: number;
}

interface QueueDoc extends QueueConfig {
  _id: string;
}

interface AgentDoc extends RoutingAgent {
  _id: string;
  lastAssignedAt: number;
}

/** One ticket held by one agent; `_id` is `<agentId>#<slot>` (or `<agentId>#reopen:<ticketId>`). */
interface SlotDoc {
  _id: string;
  agentId: string;
  ticketId: string;
  at: number;
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

export class RoutingStore {
  private readonly queues: Collection<QueueDoc>;
  private readonly agents: Collection<AgentDoc>;
  private readonly slots: Collection<SlotDoc>;
  private readonly tickets: Collection<TicketRoutingDoc>;
  private readonly surveys: Collection<{ _id: string; customerId: string; at: number }>;
  private readonly source: CollectionSource;

  constructor(db: CollectionSource) {
    this.source = db;
    this.queues = db.collection<QueueDoc>(routingCollections.queues);
    this.agents = db.collection<AgentDoc>(routingCollections.agents);
    this.slots = db.collection<SlotDoc>(routingCollections.slots);
    this.tickets = db.collection<TicketRoutingDoc>('tickets');
    this.surveys = db.collection('surveys');
  }

  async ensureIndexes(): Promise<void> {
    await this.agents.createIndex({ queues: 1, available: 1 }, { name: 'queues_available' });
    await this.slots.createIndex({ agentId: 1 }, { name: 'agentId' });
    await this.slots.createIndex({ ticketId: 1 }, { name: 'ticketId' });
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
    await this.queues.replaceOne({ _id: queue.id }, { ...JSON.parse(JSON.stringify(queue)) } as QueueDoc, {
      upsert: true,
    });
    return queue;
  }

  // ---------------------------------------------------------- agents

  private async loads(agentIds: readonly string[]): Promise<Map<string, number>> {
    const loads = new Map<string, number>(agentIds.map((id) => [id, 0]));
    if (agentIds.length === 0) return loads;
    const held = await this.slots.find({ agentId: { $in: [...agentIds] } }, { projection: { agentId: 1 } }).toArray();
    for (const slot of held) loads.set(slot.agentId, (loads.get(slot.agentId) ?? 0) + 1);
    return loads;
  }

  private async recordsOf(docs: AgentDoc[]): Promise<AgentRecord[]> {
    const loads = await this.loads(docs.map((doc) => doc._id));
    return docs.map(({ _id, ...agent }) => ({ ...agent, load: loads.get(_id) ?? 0 }));
  }

  async listAgents(filter: { queue?: string } = {}): Promise<AgentRecord[]> {
    const query = filter.queue === undefined ? {} : { queues: filter.queue };
    return this.recordsOf(await this.agents.find(query).sort({ _id: 1 }).toArray());
  }

  async getAgent(id: string): Promise<AgentRecord | null> {
    const doc = await this.agents.findOne({ _id: id });
    return doc ? ((await this.recordsOf([doc]))[0] ?? null) : null;
  }

  /** Creates or changes an agent; the tickets they hold stay theirs (a lower capacity only limits new ones). */
  async putAgent(agent: RoutingAgent): Promise<AgentRecord> {
    const existing = await this.agents.findOne({ _id: agent.id });
    const doc: AgentDoc = { ...agent, _id: agent.id, lastAssignedAt: existing?.lastAssignedAt ?? 0 };
    await this.agents.replaceOne({ _id: agent.id }, doc, { upsert: true });
    return (await this.recordsOf([doc]))[0] as AgentRecord;
  }

  /**
   * Gives the ticket to an available agent of the queue with every skill and a free slot, or null.
   * The order is @baton/core's (least_loaded: fewest tickets held first; round_robin: longest since
   * the last assignment first); this takes the first free slot in it.
   * Idempotent per ticket: a retry answers the agent already holding it.
   */
  async assignAgent(input: {
    ticketId: string;
    queue: string;
    skills: readonly string[];
    policy: AssignmentPolicy;
    at: number;
  }): Promise<AgentRecord | null> {
    const held = await this.slots.findOne({ ticketId: input.ticketId });
    if (held) return this.getAgent(held.agentId);
    const filter: Record<string, unknown> = { queues: input.queue, available: true };
    if (input.skills.length) filter.skills = { $all: [...input.skills] };
    const candidates = await this.recordsOf(await this.agents.find(filter).toArray());
    for (const agent of agentsInAssignmentOrder(candidates, input.policy)) {
      if (await this.takeSlot(agent, input.ticketId, input.at)) {
        await this.agents.updateOne({ _id: agent.id }, { $set: { lastAssignedAt: input.at } });
        return { ...agent, load: agent.load + 1, lastAssignedAt: input.at };
      }
    }
    return null;
  }

  /** Tries the agent's free slots in order; the unique `_id` lets exactly one assignment have each. */
  private async takeSlot(agent: AgentRecord, ticketId: string, at: number): Promise<boolean> {
    const taken = new Set(
      (await this.slots.find({ agentId: agent.id }, { projection: { _id: 1 } }).toArray()).map((slot) => slot._id),
    );
    for (let slot = 0; slot < agent.capacity; slot += 1) {
      const id = `${agent.id}#${slot}`;
      if (taken.has(id)) continue;
      try {
        await this.slots.insertOne({ _id: id, agentId: agent.id, ticketId, at });
        return true;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    return false;
  }

  // ---------------------------------------------------------- tickets

  /** Records the routing decision on the ticket (once: a retry after success changes nothing). */
  async setTicketRouting(
    ticketId: string,
    routing: {
      queue: string;
      priority: TicketPriority;
      assignedTo: { id: string; name: string } | null;
      event: RoutingEvent;
    },
  ): Promise<boolean> {
    const result = await this.tickets.updateOne(
      { _id: ticketId, assignedTo: { $exists: false } },
      {
        $set: {
          queue: routing.queue,
          priority: routing.priority,
          priorityRank: priorityRank[routing.priority],
          assignedTo: routing.assignedTo,
        },
        $push: { routingEvents: routing.event },
      },
    );
    if (result.modifiedCount === 1) await refreshTicket(this.source, ticketId);
    return result.modifiedCount === 1;
  }

  async getTicketRouting(ticketId: string): Promise<Omit<TicketRoutingDoc, '_id'> | null> {
    const doc = await this.tickets.findOne({ _id: ticketId });
    if (!doc) return null;
    const { _id: _ignored, ...rest } = doc;
    return rest;
  }

  /** Raises the priority and/or moves the ticket to the overflow queue (an SLA near breach). */
  async escalateTicket(
    ticketId: string,
    change: { queue: string; priority: TicketPriority; event: RoutingEvent },
  ): Promise<void> {
    await this.tickets.updateOne(
      { _id: ticketId },
      {
        $set: { queue: change.queue, priority: change.priority, priorityRank: priorityRank[change.priority] },
        $push: { routingEvents: change.event },
      },
    );
    await refreshTicket(this.source, ticketId);
  }

  /** Frees the slot the ticket holds (a repeated release finds none and changes nothing). */
  async releaseTicket(ticketId: string, at: number): Promise<boolean> {
    const { deletedCount } = await this.slots.deleteMany({ ticketId });
    if (deletedCount > 0)
      await this.tickets.updateOne(
        { _id: ticketId },
        { $push: { routingEvents: { at, type: 'released', detail: 'agent slot freed' } } },
      );
    return deletedCount > 0;
  }

  /**
   * A customer replied after resolution: the ticket opens again (with its agent, if it had one)
   * and counts the reopening; the assigned agent holds it again, even beyond capacity (it is theirs).
   * Only a resolved ticket changes, so a retry does not count twice.
   */
  async reopenTicket(
    ticketId: string,
    event: RoutingEvent,
  ): Promise<{ reopened: boolean; status: string | null; count: number }> {
    const before = await this.tickets.findOne({ _id: ticketId });
    if (!before) return { reopened: false, status: null, count: 0 };
    const status = before.assignee ? 'open' : 'pending';
    const doc = await this.tickets.findOneAndUpdate(
      { _id: ticketId, status: 'resolved' },
      { $set: { status, resolvedAt: null, resolution: null }, $inc: { reopened: 1 }, $push: { routingEvents: event } },
      { returnDocument: 'after' },
    );
    if (!doc) return { reopened: false, status: before.status, count: before.reopened ?? 0 };
    await refreshTicket(this.source, ticketId);
    if (doc.assignedTo) {
      try {
        await this.slots.insertOne({
          _id: `${doc.assignedTo.id}#reopen:${ticketId}`,
          agentId: doc.assignedTo.id,
          ticketId,
          at: event.at,
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    return { reopened: true, status: doc.status, count: doc.reopened ?? 1 };
  }

  // ---------------------------------------------------------- follow-up

  /** Surveys the customer answered since `since` (other conversations than this one). */
  async surveysSince(customerId: string, since: number, exceptConversation: string): Promise<number> {
    return this.surveys.countDocuments({ customerId, at: { $gte: since }, _id: { $ne: exceptConversation } });
  }

  /** Up to `limit` article titles matching words of the topic (simple text match), when the knowledge base exists. */
  async relatedArticleTitles(topic: string, limit = 3): Promise<string[]> {
    const words = [
      ...new Set(
        topic
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .filter((word) => word.length > 3),
      ),
    ].slice(0, 8);
    if (words.length === 0) return [];
    const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const articles = this.source.collection<{ _id: string; title: string }>('kb_articles');
    const or = escaped.flatMap((word) => [
      { title: { $regex: word, $options: 'i' } },
      { tags: { $regex: word, $options: 'i' } },
    ]);
    const docs = await articles
      // Agents' procedures (audience internal) are never offered to a customer.
      .find({ $and: [{ $or: or }, { audience: { $ne: 'internal' } }] }, { projection: { title: 1 } })
      .limit(50)
      .toArray();
    // The titles that share the most words with the topic first.
    const score = (title: string) => words.filter((word) => title.toLowerCase().includes(word)).length;
    return docs
      .filter((doc) => typeof doc.title === 'string')
      .sort((a, b) => score(b.title) - score(a.title) || a.title.localeCompare(b.title))
      .slice(0, limit)
      .map((doc) => doc.title);
  }
}
