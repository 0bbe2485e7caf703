/**
 * The oracle of the metrics tests: the report as it was computed before the read models served it
 * (every conversation, ticket, survey and verdict of the period read and aggregated in process).
 * Test-only: `computeMetrics` (engine/store/src/metrics.ts) must give the same figures (handle-time
 * percentiles within the buckets' 0.5 %). One rule differs from the scan it replaced and is applied
 * here too: a ticket's own verdict (`ticket.feedback`) counts only when it has no `ticket_feedback`
 * row at all (the scan looked for rows within the period).
 */
import type { Document, Filter } from 'mongodb';
import type {
  ScoreSummary,
  Measures,
  FailureReason,
  FailedHandoff,
  JourneyMetrics,
  MetricsReport,
  Trend,
  TrendPoint,
} from '@baton/schemas';
import { decodeValue } from '../src/codec';
import { collections } from '../src/collections';
import type { CollectionSource } from '../src/routing';

const dayMs = 86_400_000;

/** The collection the inbox writes agent verdicts to (one document per verdict). */
export const ticketFeedbackCollection = 'ticket_feedback';
/** Where the inbox keeps agents' corrections of the bot's intent (one per ticket). */
export const intentCorrectionsCollection = 'intent_corrections';

/** Classify handles that mean "the customer said it worked": a bot resolution reached through one is confirmed. */
export const confirmationHandles: readonly string[] = ['yes', 'worked', 'resolved', 'confirmed', 'solved'];

interface OldMetricsQuery {
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

function inPeriod(field: string, query: OldMetricsQuery): Filter<Document> {
  return { [field]: { $gte: query.from, $lt: query.to } };
}

/** For fields some writers store as a Date and others as epoch ms (a range matches one type only). */
function inPeriodAnyTime(field: string, query: OldMetricsQuery): Filter<Document> {
  return { $or: [inPeriod(field, query), { [field]: { $gte: new Date(query.from), $lt: new Date(query.to) } }] };
}

export async function readConversations(store: CollectionSource, query: OldMetricsQuery): Promise<ConversationRow[]> {
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

export async function readTickets(store: CollectionSource, query: OldMetricsQuery): Promise<TicketRow[]> {
  const filter: Filter<Document> = { ...inPeriod('openedAt', query) };
  if (query.journeyId !== undefined) filter['journey.id'] = query.journeyId;
  if (query.version !== undefined) filter['journey.version'] = query.version;
  const docs = await store
    .collection(collections.tickets)
    .find(filter, { projection: { transcript: 0, variables: 0 } })
    .toArray();
  return docs.map(ticketRowOf);
}

export async function readSurveys(store: CollectionSource, query: OldMetricsQuery): Promise<SurveyRow[]> {
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
  query: OldMetricsQuery,
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
  // A ticket with any verdict row (in the period or not) is counted from its rows only.
  const withRows = new Set(
    (
      await store
        .collection(ticketFeedbackCollection)
        .find({ ticketId: { $in: tickets.map((ticket) => ticket.ticketId) } }, { projection: { ticketId: 1 } })
        .toArray()
    ).map((doc) => String(doc.ticketId)),
  );
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

/** Longer periods are drawn per week: more than a month of daily points is unreadable in a small chart. */
const dailyTrendMaxDays = 31;
/** Weeks drawn at most (over two years): any period the API accepts stays a bounded answer. */
const trendMaxPoints = 120;

/** Midnight UTC of the day (or of the week's Monday) that holds `ms`. */
function bucketStart(ms: number, bucket: Trend['bucket']): number {
  const day = Math.floor(ms / dayMs) * dayMs;
  if (bucket === 'day') return day;
  // 1970-01-01 was a Thursday: days since the last Monday.
  const weekday = (Math.floor(ms / dayMs) + 3) % 7;
  return day - weekday * dayMs;
}

export function trendOf(
  conversations: readonly ConversationRow[],
  surveys: readonly SurveyRow[],
  period: { from: number; to: number },
): Trend {
  const bucket: Trend['bucket'] = period.to - period.from > dailyTrendMaxDays * dayMs ? 'week' : 'day';
  const step = bucket === 'day' ? dayMs : 7 * dayMs;
  const points = new Map<number, TrendPoint & { csatSum: number }>();
  const first = Math.max(
    bucketStart(period.from, bucket),
    bucketStart(period.to - 1, bucket) - (trendMaxPoints - 1) * step,
  );
  for (let start = first; start < period.to; start += step)
    points.set(start, {
      start: new Date(start).toISOString(),
      conversations: 0,
      resolvedByBot: 0,
      handedOff: 0,
      csat: { count: 0, mean: null },
      csatSum: 0,
    });
  const at = (ms: number) => points.get(bucketStart(ms, bucket));
  for (const conversation of conversations) {
    const point = at(conversation.startedAt);
    if (!point) continue;
    point.conversations += 1;
    if (conversation.handoffs.length > 0) point.handedOff += 1;
    else if (conversation.status === 'ended') point.resolvedByBot += 1;
  }
  for (const survey of surveys) {
    const point = at(survey.at);
    if (!point || survey.csat === undefined) continue;
    point.csat.count += 1;
    point.csatSum += survey.csat;
  }
  return {
    bucket,
    ...(first > bucketStart(period.from, bucket) && { since: new Date(first).toISOString() }),
    points: [...points.values()].map(({ csatSum, ...point }) => ({
      ...point,
      csat: {
        count: point.csat.count,
        mean: point.csat.count ? Math.round((1000 * csatSum) / point.csat.count) / 1000 : null,
      },
    })),
  };
}

// ---------------------------------------------------------------- aggregation

function scores(values: readonly number[], scale: readonly number[]): ScoreSummary {
  const distribution: Record<string, number> = {};
  for (const point of scale) distribution[String(point)] = 0;
  for (const value of values) distribution[String(value)] = (distribution[String(value)] ?? 0) + 1;
  return {
    count: values.length,
    mean: values.length ? round(values.reduce((a, b) => a + b, 0) / values.length, 3) : null,
    distribution,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? round(part / whole, 4) : null);

function confirmedByCustomer(conversation: ConversationRow): boolean {
  if (conversation.survey && (conversation.survey.ces !== undefined || conversation.survey.csat !== undefined))
    return true;
  return conversation.path.some(
    (step) =>
      (step.type === 'classify' && typeof step.handle === 'string' && confirmationHandles.includes(step.handle)) ||
      (step.type === 'answer' && step.handle === 'resolved'),
  );
}

/** The answer nodes' visits that left the node, by the handle they left by (never deflection alone). */
function answersOf(conversations: readonly ConversationRow[]): Measures['answers'] {
  const counts = { answered: 0, unsure: 0, confirmed: 0, assumed: 0, notResolved: 0 };
  for (const conversation of conversations) {
    for (const step of conversation.path) {
      if (step.type !== 'answer') continue;
      if (step.handle === 'unsure') counts.unsure += 1;
      else if (step.handle === 'resolved') counts.confirmed += 1;
      else if (step.handle === 'answered') counts.assumed += 1;
      else if (step.handle === 'not_resolved') counts.notResolved += 1;
    }
  }
  counts.answered = counts.confirmed + counts.assumed + counts.notResolved;
  const visits = counts.answered + counts.unsure;
  return {
    visits,
    ...counts,
    rates: {
      answered: ratio(counts.answered, visits),
      confirmed: ratio(counts.confirmed, counts.answered),
      assumed: ratio(counts.assumed, counts.answered),
      notResolved: ratio(counts.notResolved, counts.answered),
    },
  };
}

/**
 * Reopened within the window after a resolution: each reopen is measured from the latest known
 * resolution before it; a reopen whose resolution time is not known counts (a reopen is a failure
 * unless it is known to have come late).
 */
function isReopenedWithin(ticket: TicketRow, windowMs: number): boolean {
  return ticket.reopenedAt.some((at) => {
    if (Number.isNaN(at)) return true;
    const before = ticket.resolvedTimes.filter((resolved) => resolved <= at);
    if (before.length === 0) return true;
    return at - Math.max(...before) <= windowMs;
  });
}

function measure(
  conversations: readonly ConversationRow[],
  tickets: readonly TicketRow[],
  surveys: readonly SurveyRow[],
  verdicts: readonly VerdictRow[],
  query: OldMetricsQuery,
): Measures {
  const ended = conversations.filter((c) => c.status === 'ended');
  const escalated = conversations.filter((c) => c.handoffs.length > 0).length;
  const deflectedRows = ended.filter((c) => c.handoffs.length === 0);
  const confirmed = deflectedRows.filter((c) => c.outcome === 'resolved_by_bot' && confirmedByCustomer(c)).length;
  const assumed = deflectedRows.length - confirmed;

  const handleTimes = tickets
    .filter((t) => t.claimedAt !== null && t.resolvedAt !== null && t.resolvedAt >= t.claimedAt)
    .map((t) => ((t.resolvedAt as number) - (t.claimedAt as number)) / 1000)
    .sort((a, b) => a - b);
  const resolved = tickets.filter((t) => t.everResolved);
  const reopened = resolved.filter((t) => isReopenedWithin(t, query.reopenWindowMs)).length;
  const resolvedWithoutReopen = resolved.length - reopened;

  const summaryVerdicts = verdicts.filter((v) => v.summaryHelpful !== null);
  const helpful = summaryVerdicts.filter((v) => v.summaryHelpful === true).length;
  const pulses = verdicts.map((v) => v.pulse).filter((p): p is number => p !== null);

  return {
    conversations: {
      total: conversations.length,
      ended: ended.length,
      inProgress: conversations.length - ended.length,
      escalated,
      deflected: { confirmed, assumed, total: deflectedRows.length },
      rates: {
        escalated: ratio(ended.filter((c) => c.handoffs.length > 0).length, ended.length),
        deflectedConfirmed: ratio(confirmed, ended.length),
        deflectedAssumed: ratio(assumed, ended.length),
      },
    },
    answers: answersOf(conversations),
    ces: scores(
      surveys.map((s) => s.ces).filter((v): v is number => v !== undefined),
      [1, 2, 3, 4, 5, 6, 7],
    ),
    csat: scores(
      surveys.map((s) => s.csat).filter((v): v is number => v !== undefined),
      [1, 2, 3, 4, 5],
    ),
    handoffs: {
      tickets: tickets.length,
      claimed: tickets.filter((t) => t.claimedAt !== null).length,
      resolved: resolved.length,
      reopened,
      resolvedWithoutReopen,
      resolutionRate: ratio(resolvedWithoutReopen, tickets.length),
      handleTime: {
        count: handleTimes.length,
        p50Seconds: percentile(handleTimes, 50),
        p90Seconds: percentile(handleTimes, 90),
        meanSeconds: handleTimes.length ? round(handleTimes.reduce((a, b) => a + b, 0) / handleTimes.length, 3) : null,
      },
    },
    agents: {
      summaryVerdicts: summaryVerdicts.length,
      summaryHelpful: helpful,
      helpfulRate: ratio(helpful, summaryVerdicts.length),
      pulse: scores(pulses, [1, 2, 3, 4, 5]),
    },
  };
}

function failuresOf(
  tickets: readonly TicketRow[],
  verdicts: readonly VerdictRow[],
  query: OldMetricsQuery,
): FailedHandoff[] {
  const unhelpful = new Set(verdicts.filter((v) => v.summaryHelpful === false).map((v) => v.ticketId));
  const rows: FailedHandoff[] = [];
  for (const ticket of tickets) {
    const reasons: FailureReason[] = [];
    if (ticket.misrouted) reasons.push('misrouted');
    if (ticket.rerouted) reasons.push('rerouted');
    if (unhelpful.has(ticket.ticketId)) reasons.push('summary_unhelpful');
    if (isReopenedWithin(ticket, query.reopenWindowMs)) reasons.push('reopened');
    if (reasons.length === 0) continue;
    rows.push({
      ticketId: ticket.ticketId,
      conversationId: ticket.conversationId,
      journeyId: ticket.journeyId,
      version: ticket.version,
      queue: ticket.queue,
      assignee: ticket.assignee,
      reasons,
      openedAt: ticket.openedAt,
      resolvedAt: ticket.resolvedAt,
      ...(ticket.correctedIntent && { correctedIntent: ticket.correctedIntent }),
      ...(ticket.comment !== undefined && { comment: ticket.comment }),
    });
  }
  rows.sort((a, b) => b.openedAt - a.openedAt || a.ticketId.localeCompare(b.ticketId));
  return rows.slice(0, query.failedLimit ?? 200);
}

/** Every measure, overall, per journey and per journey version, and the failed handoffs of the period. */
export async function scanMetrics(store: CollectionSource, query: OldMetricsQuery): Promise<MetricsReport> {
  const [conversations, tickets, surveys] = await Promise.all([
    readConversations(store, query),
    readTickets(store, query),
    readSurveys(store, query),
  ]);
  await enrichTickets(store, tickets, conversations);
  const verdicts = await readVerdicts(store, query, tickets);

  const keys = new Map<string, Set<number>>();
  const note = (journeyId: string, version: number) => {
    if (!journeyId) return;
    const versions = keys.get(journeyId) ?? new Set<number>();
    versions.add(version);
    keys.set(journeyId, versions);
  };
  for (const row of [...conversations, ...tickets, ...surveys, ...verdicts]) note(row.journeyId, row.version);

  const of = <T extends { journeyId: string; version: number }>(
    rows: readonly T[],
    journeyId: string,
    version?: number,
  ) => rows.filter((row) => row.journeyId === journeyId && (version === undefined || row.version === version));
  const measureOf = (journeyId: string, version?: number) =>
    measure(
      of(conversations, journeyId, version),
      of(tickets, journeyId, version),
      of(surveys, journeyId, version),
      of(verdicts, journeyId, version),
      query,
    );

  const journeys: JourneyMetrics[] = [...keys.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([journeyId, versions]) => ({
      journeyId,
      measures: measureOf(journeyId),
      versions: [...versions]
        .sort((a, b) => a - b)
        .map((version) => ({ version, measures: measureOf(journeyId, version) })),
    }));

  return {
    period: { from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString() },
    reopenWindowHours: round(query.reopenWindowMs / 3_600_000, 3),
    filter: {
      ...(query.journeyId !== undefined && { journeyId: query.journeyId }),
      ...(query.version !== undefined && { version: query.version }),
    },
    overall: measure(conversations, tickets, surveys, verdicts, query),
    journeys,
    failedHandoffs: failuresOf(tickets, verdicts, query),
    trend: trendOf(conversations, surveys, query),
  };
}
