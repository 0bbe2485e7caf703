/** What GET /api/metrics answers: the contract in @baton/schemas, shared with the engine that computes it. */
export type { ScoreSummary, Measures, FailedHandoff, MetricsReport } from '@baton/schemas';
