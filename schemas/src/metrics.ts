/** What GET /api/metrics answers: the support measures per journey and version over a period (engine/store/src/metrics.ts computes them, the dashboard draws them). */

export interface ScoreSummary {
  count: number;
  /** Null when there is no answer. */
  mean: number | null;
  /** Answers per score, every score of the scale present (0 when none). */
  distribution: Record<string, number>;
}

export interface DurationSummary {
  count: number;
  /** Seconds; null when no ticket was claimed and resolved. */
  p50Seconds: number | null;
  p90Seconds: number | null;
  meanSeconds: number | null;
}

export interface Measures {
  conversations: {
    total: number;
    ended: number;
    inProgress: number;
    /** Conversations with at least one handoff to a person. */
    escalated: number;
    /**
     * Deflection: ended without a handoff. `confirmed` when the customer said it worked (a classify
     * answer such as "yes", an answer node's `resolved`, or a survey answer after a bot resolution); `assumed` otherwise
     * (resolved or abandoned with no word from the customer). Always reported with `escalated` and `total`.
     */
    deflected: { confirmed: number; assumed: number; total: number };
    /** Shares of the ended conversations (null when none ended). */
    rates: { escalated: number | null; deflectedConfirmed: number | null; deflectedAssumed: number | null };
  };
  /**
   * The `answer` nodes' knowledge-base answers, one count per visit that left the node: `answered`
   * (the bot gave an answer: left by answered, resolved or not_resolved), `unsure` (no answer);
   * of the answers, `confirmed` (the customer said it helped: confirmed deflection), `assumed` (no
   * confirmation asked or no reply: assumed deflection) and `notResolved` (the customer said it did not).
   */
  answers: {
    visits: number;
    answered: number;
    unsure: number;
    confirmed: number;
    assumed: number;
    notResolved: number;
    /** answered / visits; the others are shares of `answered` (null when there is nothing to divide). */
    rates: { answered: number | null; confirmed: number | null; assumed: number | null; notResolved: number | null };
  };
  ces: ScoreSummary;
  csat: ScoreSummary;
  handoffs: {
    tickets: number;
    claimed: number;
    resolved: number;
    /** Resolved tickets reopened within the window. */
    reopened: number;
    /** Resolved and not reopened within the window. */
    resolvedWithoutReopen: number;
    /** resolvedWithoutReopen / tickets (null without tickets). */
    resolutionRate: number | null;
    /** Claimed → resolved. */
    handleTime: DurationSummary;
  };
  agents: {
    /** Verdicts on the handoff summary. */
    summaryVerdicts: number;
    summaryHelpful: number;
    /** summaryHelpful / summaryVerdicts (null without verdicts). */
    helpfulRate: number | null;
    pulse: ScoreSummary;
  };
}

export type FailureReason = 'misrouted' | 'rerouted' | 'summary_unhelpful' | 'reopened';

export interface FailedHandoff {
  ticketId: string;
  conversationId: string;
  journeyId: string;
  version: number;
  queue: string;
  assignee: string | null;
  reasons: FailureReason[];
  openedAt: number;
  resolvedAt: number | null;
  /** Misrouted because an agent corrected the bot's intent. */
  correctedIntent?: { from: string | null; to: string };
  comment?: string;
  /** The conversation's workflow in the Temporal UI (staff; when BATON_TEMPORAL_UI_URL is set). */
  temporalUrl?: string;
}

export interface VersionMetrics {
  version: number;
  measures: Measures;
  /** This version's conversations listed in the Temporal UI (query on BatonJourneyId and BatonJourneyVersion; staff, when BATON_TEMPORAL_UI_URL is set). */
  temporalUrl?: string;
}

export interface JourneyMetrics {
  journeyId: string;
  measures: Measures;
  versions: VersionMetrics[];
}

/** One day (or week) of the trend; conversations by the day they started, CSAT by the day it was given. */
export interface TrendPoint {
  /** The bucket's first instant, ISO 8601: midnight UTC; a week starts on Monday. */
  start: string;
  conversations: number;
  /** Ended without a handoff (the deflected total: confirmed and assumed). */
  resolvedByBot: number;
  /** With at least one handoff to a person. */
  handedOff: number;
  csat: { count: number; mean: number | null };
}

export interface Trend {
  /** Days for periods up to 31 days, weeks beyond. */
  bucket: 'day' | 'week';
  /** Set when the period holds more than 120 weeks: the trend covers its last 120 from here. */
  since?: string;
  /** Every bucket the period touches, oldest first, empty ones included (zeros, mean null). */
  points: TrendPoint[];
}

export interface MetricsReport {
  period: { from: string; to: string };
  reopenWindowHours: number;
  filter: { journeyId?: string; version?: number };
  overall: Measures;
  journeys: JourneyMetrics[];
  failedHandoffs: FailedHandoff[];
  /** Conversations started, resolved by the bot, handed off and CSAT per day or week (with the filter). */
  trend: Trend;
  /**
   * Agents' intent corrections made after the newest published triage model (all of them before the
   * first): what `baton triage train --with-corrections` would add. Not limited to the period.
   */
  correctionsToLearn?: number;
}
