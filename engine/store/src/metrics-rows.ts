/**
 * The rows the measures are computed from, read from the store with plain `find` filters (FerretDB
 * v1 lacks many aggregation stages) and decoded defensively: documents written by older versions,
 * or by hand, may lack fields. Read only.
 */
import type { Document, Filter } from 'mongodb';
import type { FailedHandoff } from '@baton/schemas';
import { decodeValue } from './codec';
import { collections } from './collections';
import type { CollectionSource } from './routing';

/** The collection the inbox writes agent verdicts to (one document per verdict). */
export const ticketFeedbackCollection = 'ticket_feedback';
/** Where the inbox keeps agents' corrections of the bot's intent (one per ticket). */
export const intentCorrectionsCollection = 'intent_corrections';

/** Classify handles that mean "the customer said it worked": a bot resolution reached through one is confirmed. */
export const confirmationHandles: readonly string[] = ['yes', 'worked', 'resolved', 'confirmed', 'solved'];

export interface MetricsQuery {
  journeyId?: string;
  version?: number;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** A resolved ticket reopened within this many ms of its resolution is not a resolution. */
  reopenWindowMs: number;
  /** At most this many failed handoffs are listed (newest first). */
  failedLimit?: number;
}

// ---------------------------------------------------------------- the rows read

export interface ConversationRow {
  conversationId: string;
  journeyId: string;
  version: number;
  /** Epoch ms (the trend's day). */
  startedAt: number;
  status: string;
  outcome: string | null;
  handoffs: unknown[];
  survey: { ces?: number; csat?: number } | null;
  path: { type?: string; handle?: string; at?: number }[];
}

/** A ticket as the measures read it; a failed handoff reports the same identity fields. */
export interface TicketRow extends Pick<
  FailedHandoff,
  'ticketId' | 'conversationId' | 'journeyId' | 'version' | 'queue' | 'assignee'
> {
  openedAt: number;
  claimedAt: number | null;
  /** The latest resolution (null while unresolved, also after a reopen). */
  resolvedAt: number | null;
  /** Resolved at least once (a reopened ticket was). */
  everResolved: boolean;
  /** Times the ticket was reopened by the customer (after a resolution). */
  reopenedAt: number[];
  /** Times it was resolved, as far as they are known (the conversation's path, the ticket). */
  resolvedTimes: number[];
  misrouted: boolean;
  rerouted: boolean;
  summaryHelpful: boolean | null;
  correctedIntent?: { from: string | null; to: string };
  comment?: string;
}

export interface SurveyRow {
  conversationId: string;
  journeyId: string;
  version: number;
  /** When the answer was given, epoch ms (the trend's day). */
  at: number;
  ces?: number;
  csat?: number;
}

export interface VerdictRow {
  ticketId: string;
  journeyId: string;
  version: number;
  summaryHelpful: boolean | null;
  pulse: number | null;
}

export const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
/** A time written as epoch ms (the interpreter's clock) or as a Date (the inbox's own records). */
export const time = (value: unknown): number | null => (value instanceof Date ? value.getTime() : num(value));
export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function inPeriod(field: string, query: MetricsQuery): Filter<Document> {
  return { [field]: { $gte: query.from, $lt: query.to } };
}

/** For fields some writers store as a Date and others as epoch ms (a range matches one type only). */
function inPeriodAnyTime(field: string, query: MetricsQuery): Filter<Document> {
  return { $or: [inPeriod(field, query), { [field]: { $gte: new Date(query.from), $lt: new Date(query.to) } }] };
}

export async function readConversations(store: CollectionSource, query: MetricsQuery): Promise<ConversationRow[]> {
  const filter: Filter<Document> = { ...inPeriod('startedAt', query) };
  if (query.journeyId !== undefined) filter.journeyId = query.journeyId;
  if (query.version !== undefined) filter.version = query.version;
  const docs = await store
    .collection(collections.conversations)
    .find(filter, {
      projection: {
        conversationId: 1,
        journeyId: 1,
        version: 1,
        startedAt: 1,
        status: 1,
        outcome: 1,
        handoffs: 1,
        survey: 1,
        path: 1,
      },
    })
    .toArray();
  return docs.map((raw) => {
    const doc = obj(decodeValue(raw));
    return {
      conversationId: str(doc.conversationId) ?? String(raw._id),
      journeyId: str(doc.journeyId) ?? '',
      version: num(doc.version) ?? 0,
      startedAt: time(doc.startedAt) ?? query.from,
      status: str(doc.status) ?? 'active',
      outcome: str(doc.outcome),
      handoffs: Array.isArray(doc.handoffs) ? doc.handoffs : [],
      survey: doc.survey && typeof doc.survey === 'object' ? (doc.survey as ConversationRow['survey']) : null,
      path: Array.isArray(doc.path) ? (doc.path as ConversationRow['path']) : [],
    };
  });
}

/** The ticket's routing events (`routingEvents: [{ at, type, detail }]`, written by the routing activities). */
function routingEvents(doc: Record<string, unknown>): { at: number; type: string; detail: string }[] {
  if (!Array.isArray(doc.routingEvents)) return [];
  return doc.routingEvents.map((item) => {
    const event = obj(item);
    return { at: time(event.at) ?? 0, type: str(event.type) ?? '', detail: str(event.detail) ?? '' };
  });
}

/**
 * When the customer reopened the ticket: the `reopened` routing events; else `reopenedAt`; a count
 * (`reopened: n`) without times counts as reopened at an unknown time (inside any window).
 */
function reopenTimes(doc: Record<string, unknown>): number[] {
  const times = routingEvents(doc)
    .filter((event) => event.type === 'reopened')
    .map((event) => event.at);
  const at = time(doc.reopenedAt);
  if (times.length === 0 && at !== null) times.push(at);
  const count = doc.reopened === true ? 1 : (num(doc.reopened) ?? 0);
  while (times.length < count) times.push(Number.NaN);
  return times;
}

/** An SLA escalation or a transfer that moved the ticket to another queue ("accounts (high) → overflow (urgent)"). */
function wasRerouted(doc: Record<string, unknown>): boolean {
  if (doc.rerouted === true) return true;
  return routingEvents(doc).some((event) => {
    if (event.type === 'rerouted' || event.type === 'transferred') return true;
    const moved = /(\S+) \(\w+\) → (\S+) \(\w+\)/.exec(event.detail);
    return event.type === 'sla_escalated' && moved !== null && moved[1] !== moved[2];
  });
}

function ticketRowOf(raw: Document): TicketRow {
  const doc = obj(decodeValue(raw));
  const journey = obj(doc.journey);
  const feedback = obj(doc.feedback);
  const reopened = reopenTimes(doc);
  return {
    ticketId: str(doc.ticketId) ?? String(raw._id),
    conversationId: str(doc.conversationId) ?? '',
    journeyId: str(journey.id) ?? '',
    version: num(journey.version) ?? 0,
    queue: str(doc.queue) ?? '',
    assignee: str(obj(doc.assignee).name) ?? str(obj(doc.assignee).id),
    openedAt: num(doc.openedAt) ?? 0,
    claimedAt: num(doc.claimedAt),
    resolvedAt: num(doc.resolvedAt),
    everResolved: num(doc.resolvedAt) !== null || reopened.length > 0,
    reopenedAt: reopened,
    resolvedTimes: num(doc.resolvedAt) !== null ? [num(doc.resolvedAt) as number] : [],
    misrouted: feedback.misrouted === true || doc.misrouted === true,
    rerouted: wasRerouted(doc),
    summaryHelpful: typeof feedback.summaryHelpful === 'boolean' ? feedback.summaryHelpful : null,
    ...(typeof feedback.comment === 'string' && { comment: feedback.comment }),
  };
}

export async function readTickets(store: CollectionSource, query: MetricsQuery): Promise<TicketRow[]> {
  const filter: Filter<Document> = { ...inPeriod('openedAt', query) };
  if (query.journeyId !== undefined) filter['journey.id'] = query.journeyId;
  if (query.version !== undefined) filter['journey.version'] = query.version;
  const docs = await store
    .collection(collections.tickets)
    .find(filter, { projection: { transcript: 0, variables: 0 } })
    .toArray();
  return docs.map(ticketRowOf);
}

export async function readSurveys(store: CollectionSource, query: MetricsQuery): Promise<SurveyRow[]> {
  const filter: Filter<Document> = { ...inPeriod('at', query) };
  if (query.journeyId !== undefined) filter['journey.id'] = query.journeyId;
  if (query.version !== undefined) filter['journey.version'] = query.version;
  const docs = await store.collection(collections.surveys).find(filter).toArray();
  return docs.map((raw) => {
    const doc = obj(decodeValue(raw));
    const journey = obj(doc.journey);
    const ces = num(doc.ces);
    const csat = num(doc.csat);
    return {
      conversationId: str(doc.conversationId) ?? String(raw._id),
      journeyId: str(journey.id) ?? '',
      version: num(journey.version) ?? 0,
      at: time(doc.at) ?? query.from,
      ...(ces !== null && { ces }),
      ...(csat !== null && { csat }),
    };
  });
}

/**
 * Agent verdicts: the `ticket_feedback` rows in the period, plus the verdict kept on a ticket of the
 * period (`ticket.feedback`) when that ticket has no row (so each ticket's verdict counts once).
 */
export async function readVerdicts(
  store: CollectionSource,
  query: MetricsQuery,
  tickets: readonly TicketRow[],
): Promise<VerdictRow[]> {
  const filter: Filter<Document> = { ...inPeriodAnyTime('at', query) };
  if (query.journeyId !== undefined) filter.journeyId = query.journeyId;
  if (query.version !== undefined) filter.version = query.version;
  const docs = await store.collection(ticketFeedbackCollection).find(filter).toArray();
  // The latest verdict of an agent on a ticket replaces their earlier ones.
  const latest = new Map<string, { at: number; row: VerdictRow }>();
  for (const raw of docs) {
    const doc = obj(decodeValue(raw));
    const ticketId = str(doc.ticketId);
    if (!ticketId) continue;
    const key = `${ticketId}\u0000${str(doc.agentId) ?? ''}`;
    const at = time(doc.at) ?? 0;
    const row: VerdictRow = {
      ticketId,
      journeyId: str(doc.journeyId) ?? '',
      version: num(doc.version) ?? 0,
      summaryHelpful: typeof doc.summaryHelpful === 'boolean' ? doc.summaryHelpful : null,
      pulse: num(doc.pulse),
    };
    const seen = latest.get(key);
    if (!seen || seen.at <= at) latest.set(key, { at, row });
  }
  const rows = [...latest.values()].map((entry) => entry.row);
  const withRows = new Set(rows.map((row) => row.ticketId));
  for (const ticket of tickets) {
    if (ticket.summaryHelpful !== null && !withRows.has(ticket.ticketId)) {
      rows.push({
        ticketId: ticket.ticketId,
        journeyId: ticket.journeyId,
        version: ticket.version,
        summaryHelpful: ticket.summaryHelpful,
        pulse: null,
      });
    }
  }
  return rows;
}

/** When the conversation's handoffs were resolved: the handoff step left by `resolved`, at the time of the step after it. */
function resolutionTimesOf(path: ConversationRow['path']): number[] {
  const times: number[] = [];
  path.forEach((step, index) => {
    const next = path[index + 1];
    if (step.type === 'handoff' && step.handle === 'resolved' && typeof next?.at === 'number') times.push(next.at);
  });
  return times;
}

/** Adds what the conversations know (resolution times) and what agents corrected (intents) to the tickets. */
export async function enrichTickets(
  store: CollectionSource,
  tickets: TicketRow[],
  conversations: readonly ConversationRow[],
): Promise<void> {
  if (tickets.length === 0) return;
  const paths = new Map(conversations.map((c) => [c.conversationId, c.path]));
  const missing = [
    ...new Set(
      tickets.filter((t) => t.reopenedAt.length > 0 && !paths.has(t.conversationId)).map((t) => t.conversationId),
    ),
  ];
  if (missing.length > 0) {
    const byId: Filter<Document> = { conversationId: { $in: missing } };
    const docs = await store
      .collection(collections.conversations)
      .find(byId, { projection: { conversationId: 1, path: 1 } })
      .toArray();
    for (const raw of docs) {
      const doc = obj(decodeValue(raw));
      paths.set(
        str(doc.conversationId) ?? String(raw._id),
        Array.isArray(doc.path) ? (doc.path as ConversationRow['path']) : [],
      );
    }
  }
  for (const ticket of tickets) ticket.resolvedTimes.push(...resolutionTimesOf(paths.get(ticket.conversationId) ?? []));
  // An agent's correction of the bot's intent means the triage sent the conversation the wrong way.
  const corrections = await store
    .collection(intentCorrectionsCollection)
    .find({ ticketId: { $in: tickets.map((t) => t.ticketId) } })
    .toArray();
  const byTicket = new Map(tickets.map((t) => [t.ticketId, t]));
  for (const raw of corrections) {
    const doc = obj(decodeValue(raw));
    const ticket = byTicket.get(str(doc.ticketId) ?? '');
    const intent = str(doc.intent);
    if (!ticket || !intent || intent === str(doc.previousIntent)) continue;
    ticket.misrouted = true;
    ticket.correctedIntent = { from: str(doc.previousIntent), to: intent };
  }
}
