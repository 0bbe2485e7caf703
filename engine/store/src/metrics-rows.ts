/**
 * The report's query, and the collections of agents' verdicts and intent corrections the measures'
 * writers read (read-model-measures-store.ts, which names them literally to avoid an import cycle).
 */

/** The collection the inbox writes agent verdicts to (one document per verdict). */
export const ticketFeedbackCollection = 'ticket_feedback';
/** Where the inbox keeps agents' corrections of the bot's intent (one per ticket). */
export const intentCorrectionsCollection = 'intent_corrections';

export interface MetricsQuery {
  journeyId?: string;
  version?: number;
  /** Epoch ms, inclusive; the report starts at midnight UTC of its day. */
  from: number;
  /** Epoch ms, exclusive; the report ends at the next midnight UTC (or at this one). */
  to: number;
  /** A resolved ticket reopened within this many ms of its resolution is not a resolution. */
  reopenWindowMs: number;
  /** At most this many failed handoffs are listed (newest first). */
  failedLimit?: number;
}
