/**
 * The measures of the brief, read from what the store holds (the read side; nothing here writes).
 *
 * Sources: the `conversations` projection (outcome, handoffs, survey, path), `tickets` (claimedAt,
 * resolvedAt, feedback, reopen and re-route marks), `surveys` and `ticket_feedback` (one row per
 * agent verdict on a handoff: summaryHelpful, pulse). Everything is fetched with plain `find`
 * filters and aggregated in process, since FerretDB v1 lacks many aggregation stages.
 *
 * Period: a conversation counts when it started in [from, to); a ticket when it was opened in it;
 * a survey or an agent verdict when it was given in it.
 */
import type {
  ScoreSummary,
  Measures,
  FailureReason,
  FailedHandoff,
  JourneyMetrics,
  MetricsReport,
} from '@baton/schemas';
import type { Store } from './store';
import {
  confirmationHandles,
  enrichTickets,
  readConversations,
  readSurveys,
  readTickets,
  readVerdicts,
  type ConversationRow,
  type MetricsQuery,
  type SurveyRow,
  type TicketRow,
  type VerdictRow,
} from './metrics-rows';
import { trendOf } from './metrics-trend';

export {
  confirmationHandles,
  intentCorrectionsCollection,
  ticketFeedbackCollection,
  type MetricsQuery,
} from './metrics-rows';

// The report's shape is a contract shared with the dashboard: @baton/schemas (metrics.ts).
export type {
  ScoreSummary,
  DurationSummary,
  Measures,
  FailureReason,
  FailedHandoff,
  VersionMetrics,
  JourneyMetrics,
  MetricsReport,
  Trend,
  TrendPoint,
} from '@baton/schemas';

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
  query: MetricsQuery,
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
  query: MetricsQuery,
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
export async function computeMetrics(store: Store, query: MetricsQuery): Promise<MetricsReport> {
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
