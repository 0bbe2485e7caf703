/**
 * A retention run (issue 16), started daily by the Temporal Schedule `baton-retention` (overlap
 * SKIP): reads the retention setting, then redacts, in bounded batches, the ended conversations past
 * it and their records (engine/store/src/retention.ts). Each batch is an idempotent activity; a run
 * with more than `maxBatchesPerRun` batches continues as new, so its history stays small.
 */
import { continueAsNew, proxyActivities } from '@temporalio/workflow';

export const retentionWorkflowType = 'retentionWorkflow';
export const retentionScheduleId = 'baton-retention';

export interface RetentionRunInput {
  /** Conversations redacted per batch; 100 by default. */
  batchSize?: number;
  /** Totals carried over a continue-as-new. */
  carried?: RetentionRunResult;
}

export interface RetentionRunResult {
  batches: number;
  redacted: Record<string, number>;
}

export interface RetentionActivities {
  /** Redacts one batch at the run's time; answers what it changed and whether more may remain. */
  'baton.retention.redactBatch'(input: {
    now: number;
    batchSize: number;
  }): Promise<{ conversations: string[]; counts: Record<string, number> }>;
}

const maxBatchesPerRun = 200;

const activities = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});

export async function retentionWorkflow(input: RetentionRunInput = {}): Promise<RetentionRunResult> {
  const batchSize = input.batchSize ?? 100;
  const result: RetentionRunResult = input.carried ?? { batches: 0, redacted: {} };
  // The cut-off is taken once per run (workflow time, deterministic).
  const now = Date.now();
  for (let batch = 0; batch < maxBatchesPerRun; batch += 1) {
    const done = await activities['baton.retention.redactBatch']({ now, batchSize });
    result.batches += 1;
    for (const [kind, count] of Object.entries(done.counts))
      result.redacted[kind] = (result.redacted[kind] ?? 0) + count;
    if (done.conversations.length < batchSize) return result;
  }
  return continueAsNew<typeof retentionWorkflow>({ batchSize, carried: result });
}
