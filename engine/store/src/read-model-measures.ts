/**
 * The report's measures of tickets, survey answers and agents' verdicts as read-model shares (pure):
 * what one ticket (with its verdicts, its intent correction and, when it was reopened, its
 * conversation's path) or one survey answer adds to the figures of a journey version and UTC day, and
 * the failed-handoff row a ticket keeps. The writers (read-model-measures-store.ts) apply the
 * difference between the share last applied and the new one, as the projection does for `read_days`.
 * See docs/performance.md "## Scaling" (dashboard) for the buckets and their error bound.
 */
/** A figures document's identity fields, and per collection and document the counts added (read-model-shapes.ts's `Shares`). */
type CounterMeta = Record<string, string | number | { id: string; name: string }>;
type Shares = Map<string, Map<string, { inc: Record<string, number>; set: CounterMeta }>>;

/** The collections these measures live in (part of `readModelCollections`). */
export const measureCollections = {
  /** Per journey version and UTC month, per day: tickets (by opening day), survey answers and verdicts (by the day given). */
  measures: 'read_measures',
  /** One row per ticket that may be a failed handoff (misrouted, re-routed, summary unhelpful, reopened). */
  failed: 'read_failed',
  /** The share last applied per ticket (`t:<ticketId>`) and survey answer (`s:<conversationId>`), as JSON. */
  applied: 'read_applied',
} as const;

/** Classify handles that mean "the customer said it worked": a bot resolution reached through one is confirmed. */
export const confirmationHandles: readonly string[] = ['yes', 'worked', 'resolved', 'confirmed', 'solved'];

/** A bot resolution the customer confirmed: a survey answer, or a confirming classify or answer handle. */
export function confirmedByCustomer(doc: {
  survey?: { ces?: unknown; csat?: unknown } | null;
  path?: { type?: string; handle?: string }[];
}): boolean {
  const survey = doc.survey;
  if (survey && typeof survey === 'object' && (survey.ces !== undefined || survey.csat !== undefined)) return true;
  return (Array.isArray(doc.path) ? doc.path : []).some(
    (step) =>
      (step.type === 'classify' && typeof step.handle === 'string' && confirmationHandles.includes(step.handle)) ||
      (step.type === 'answer' && step.handle === 'resolved'),
  );
}

// ---------------------------------------------------------------- handle-time buckets

/** Handle times are kept in buckets of ×1.01 (k holds [1.01^k, 1.01^(k+1)) ms); 0 ms has a bucket of its own. */
export const handleTimeRatio = 1.01;

export function handleTimeBucket(ms: number): string {
  if (ms < 1) return 'z';
  return String(Math.floor(Math.log(ms) / Math.log(handleTimeRatio)));
}

/** The value a bucket stands for: its geometric middle (within 0.5 % of any time in it), in whole ms. */
export function bucketValueMs(key: string): number {
  if (key === 'z') return 0;
  return Math.round(handleTimeRatio ** (Number(key) + 0.5));
}

/** A score as a field name (`.` is a path separator) and back. */
export const scoreKey = (value: number): string => String(value).replace('.', '_');
export const scoreOfKey = (key: string): number => Number(key.replace('_', '.'));

// ---------------------------------------------------------------- decoding helpers

export const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
/** A time written as epoch ms (the interpreter's clock) or as a Date (the inbox's own records). */
export const time = (value: unknown): number | null => (value instanceof Date ? value.getTime() : num(value));
export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

const dayMs = 86_400_000;

/** The UTC day (`yyyy-mm-dd`) that holds `ms` (1970-01-01 for a time out of range). */
export function dayOf(ms: number): string {
  const start = Math.floor(ms / dayMs) * dayMs;
  return Math.abs(start) <= 8.64e15 ? new Date(start).toISOString().slice(0, 10) : '1970-01-01';
}

function add(shares: Shares, journeyId: string, version: number, at: number, field: string, n = 1): void {
  // One document per version and month, a day's figures under `d<dd>.` (as `read_days`).
  const day = dayOf(at);
  const month = day.slice(0, 7);
  const id = `${journeyId}@${version}@${month}`;
  const docs =
    shares.get(measureCollections.measures) ?? new Map<string, { inc: Record<string, number>; set: CounterMeta }>();
  shares.set(measureCollections.measures, docs);
  const doc = docs.get(id) ?? { inc: {}, set: { journeyId, version, month } };
  docs.set(id, doc);
  const path = `d${day.slice(8)}.${field}`;
  doc.inc[path] = (doc.inc[path] ?? 0) + n;
}

// ---------------------------------------------------------------- tickets

type PathStep = { type?: string; handle?: string; at?: number };

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
 * (`reopened: n`) without times counts as reopened at an unknown time (NaN: inside any window).
 */
export function reopenTimes(doc: Record<string, unknown>): number[] {
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

/** When the conversation's handoffs were resolved: the handoff step left by `resolved`, at the time of the step after it. */
function resolutionTimesOf(path: readonly PathStep[]): number[] {
  const times: number[] = [];
  path.forEach((step, index) => {
    const next = path[index + 1];
    if (step.type === 'handoff' && step.handle === 'resolved' && typeof next?.at === 'number') times.push(next.at);
  });
  return times;
}

/**
 * The shortest time from a resolution to the reopen after it, over the ticket's reopens; -1 when a
 * reopen's time or the resolution before it is unknown (a reopen is a failure unless known to be late);
 * null when it was never reopened.
 */
function reopenDelay(reopened: readonly number[], resolvedTimes: readonly number[]): number | null {
  if (reopened.length === 0) return null;
  let shortest = Number.POSITIVE_INFINITY;
  for (const at of reopened) {
    if (Number.isNaN(at)) return -1;
    const before = resolvedTimes.filter((resolved) => resolved <= at);
    if (before.length === 0) return -1;
    shortest = Math.min(shortest, at - Math.max(...before));
  }
  return shortest;
}

/** A ticket that may be a failed handoff: the reasons it can have in any reopen window. */
export type FailedRow = {
  _id: string;
  conversationId: string;
  journeyId: string;
  version: number;
  day: string;
  openedAt: number;
  misrouted: boolean;
  rerouted: boolean;
  unhelpful: boolean;
  /** See `reopenDelay`: null when never reopened, -1 when reopened at an unknown distance. */
  reopenDelayMs: number | null;
  correctedIntent?: { from: string | null; to: string };
};

export interface TicketSources {
  ticket: Record<string, unknown>;
  /** Its `intent_corrections` document (one per ticket), if any. */
  correction: Record<string, unknown> | null;
  /** Its `ticket_feedback` documents (one per agent). */
  verdicts: readonly Record<string, unknown>[];
  /** Its conversation's path (read only when the ticket was reopened). */
  path: readonly PathStep[];
}

/** Whether a ticket's share needs its conversation's path (only reopens are measured from it). */
export const needsPath = (ticket: Record<string, unknown>): boolean => reopenTimes(ticket).length > 0;

/** What one ticket adds: its figures on its opening day, its verdicts on theirs, and its failed-handoff row. */
export function ticketShare(sources: TicketSources): { shares: Shares; failed: FailedRow | null } {
  const doc = sources.ticket;
  const shares: Shares = new Map();
  const journey = obj(doc.journey);
  const ticketId = str(doc.ticketId) ?? String(doc._id);
  const journeyId = str(journey.id) ?? '';
  const version = num(journey.version) ?? 0;
  const openedAt = num(doc.openedAt) ?? 0;
  const claimedAt = num(doc.claimedAt);
  const resolvedAt = num(doc.resolvedAt);
  const reopened = reopenTimes(doc);
  const everResolved = resolvedAt !== null || reopened.length > 0;
  const figure = (field: string, n = 1) => add(shares, journeyId, version, openedAt, field, n);
  figure('t.n');
  if (claimedAt !== null) figure('t.claimed');
  if (everResolved) figure('t.resolved');
  if (claimedAt !== null && resolvedAt !== null && resolvedAt >= claimedAt) {
    const ms = resolvedAt - claimedAt;
    figure('t.ht.n');
    figure('t.ht.ms', ms);
    figure(`t.ht.b.${handleTimeBucket(ms)}`);
  }
  const resolvedTimes = [...(resolvedAt !== null ? [resolvedAt] : []), ...resolutionTimesOf(sources.path)];
  const delay = reopenDelay(reopened, resolvedTimes);
  if (everResolved && delay !== null) figure(`t.rd.${delay < 0 ? 'u' : String(delay)}`);

  // The latest verdict of each agent; the verdict kept on the ticket when it has none.
  const latest = new Map<string, { at: number; row: Record<string, unknown> }>();
  for (const verdict of sources.verdicts) {
    const at = time(verdict.at);
    if (at === null) continue;
    const agent = str(verdict.agentId) ?? '';
    const seen = latest.get(agent);
    if (!seen || seen.at <= at) latest.set(agent, { at, row: verdict });
  }
  const feedback = obj(doc.feedback);
  const verdicts = [...latest.values()].map(({ at, row }) => ({
    at,
    journeyId: str(row.journeyId) ?? '',
    version: num(row.version) ?? 0,
    summaryHelpful: typeof row.summaryHelpful === 'boolean' ? row.summaryHelpful : null,
    pulse: num(row.pulse),
  }));
  if (verdicts.length === 0 && typeof feedback.summaryHelpful === 'boolean')
    verdicts.push({ at: openedAt, journeyId, version, summaryHelpful: feedback.summaryHelpful, pulse: null });
  for (const verdict of verdicts) {
    const given = (field: string) => add(shares, verdict.journeyId, verdict.version, verdict.at, field);
    given('v.rows');
    if (verdict.summaryHelpful !== null) given('v.n');
    if (verdict.summaryHelpful === true) given('v.helpful');
    if (verdict.pulse !== null) given(`v.p.${scoreKey(verdict.pulse)}`);
  }

  let misrouted = feedback.misrouted === true || doc.misrouted === true;
  let correctedIntent: FailedRow['correctedIntent'];
  const correction = sources.correction ? obj(sources.correction) : null;
  const intent = correction ? str(correction.intent) : null;
  if (correction && intent && intent !== str(correction.previousIntent)) {
    misrouted = true;
    correctedIntent = { from: str(correction.previousIntent), to: intent };
  }
  const rerouted = wasRerouted(doc);
  const unhelpful = verdicts.some((verdict) => verdict.summaryHelpful === false);
  const failed: FailedRow | null =
    misrouted || rerouted || unhelpful || delay !== null
      ? {
          _id: ticketId,
          conversationId: str(doc.conversationId) ?? '',
          journeyId,
          version,
          day: dayOf(openedAt),
          openedAt,
          misrouted,
          rerouted,
          unhelpful,
          reopenDelayMs: delay,
          ...(correctedIntent && { correctedIntent }),
        }
      : null;
  return { shares, failed };
}

// ---------------------------------------------------------------- surveys

/** What one survey answer adds, on the day it was given (an answer without a time in ms counts nowhere). */
export function surveyShare(doc: Record<string, unknown>): Shares {
  const shares: Shares = new Map();
  const at = num(doc.at);
  if (at === null) return shares;
  const journey = obj(doc.journey);
  const journeyId = str(journey.id) ?? '';
  const version = num(journey.version) ?? 0;
  const figure = (field: string) => add(shares, journeyId, version, at, field);
  figure('s.rows');
  const ces = num(doc.ces);
  const csat = num(doc.csat);
  if (ces !== null) figure(`s.ces.${scoreKey(ces)}`);
  if (csat !== null) figure(`s.csat.${scoreKey(csat)}`);
  return shares;
}
