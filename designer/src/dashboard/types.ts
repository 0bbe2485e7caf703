/** What GET /api/metrics answers (engine/src/store/metrics.ts is the source of truth). */

export interface ScoreSummary {
  count: number;
  mean: number | null;
  distribution: Record<string, number>;
}

export interface Measures {
  conversations: {
    total: number;
    ended: number;
    inProgress: number;
    escalated: number;
    deflected: { confirmed: number; assumed: number; total: number };
    rates: { escalated: number | null; deflectedConfirmed: number | null; deflectedAssumed: number | null };
  };
  ces: ScoreSummary;
  csat: ScoreSummary;
  handoffs: {
    tickets: number;
    claimed: number;
    resolved: number;
    reopened: number;
    resolvedWithoutReopen: number;
    resolutionRate: number | null;
    handleTime: { count: number; p50Seconds: number | null; p90Seconds: number | null; meanSeconds: number | null };
  };
  agents: { summaryVerdicts: number; summaryHelpful: number; helpfulRate: number | null; pulse: ScoreSummary };
}

export interface FailedHandoff {
  ticketId: string;
  conversationId: string;
  journeyId: string;
  version: number;
  queue: string;
  assignee: string | null;
  reasons: ('misrouted' | 'rerouted' | 'summary_unhelpful' | 'reopened')[];
  openedAt: number;
  resolvedAt: number | null;
  correctedIntent?: { from: string | null; to: string };
  comment?: string;
}

export interface MetricsReport {
  period: { from: string; to: string };
  reopenWindowHours: number;
  filter: { journeyId?: string; version?: number };
  overall: Measures;
  journeys: { journeyId: string; measures: Measures; versions: { version: number; measures: Measures }[] }[];
  failedHandoffs: FailedHandoff[];
}
