/**
 * The Temporal Schedule that applies retention (issue 16): `baton-retention`, daily at 03:17 UTC,
 * overlap SKIP (a run still going when the next is due skips it), starting the retention workflow on
 * the engine's task queue. Created idempotently by each API process at start: one that exists is
 * left as it is (an operator may have paused or changed it in the Temporal UI).
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { retentionScheduleId, retentionWorkflowType } from '@baton/workflow/retention';

export interface RetentionScheduleOptions {
  taskQueue: string;
  /** `baton-retention` unless given (tests use their own). */
  scheduleId?: string;
  /** UTC time of day of the daily run; 03:17 by default. */
  at?: { hour: number; minute: number };
}

/** Creates the schedule unless it exists; answers whether this call created it. */
export async function ensureRetentionSchedule(client: Client, options: RetentionScheduleOptions): Promise<boolean> {
  const scheduleId = options.scheduleId ?? retentionScheduleId;
  const at = options.at ?? { hour: 3, minute: 17 };
  try {
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: at.hour, minute: at.minute }] },
      action: {
        type: 'startWorkflow',
        workflowType: retentionWorkflowType,
        workflowId: `${scheduleId}-run`,
        taskQueue: options.taskQueue,
        args: [{}],
        workflowRunTimeout: '6 hours',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { purpose: 'Baton retention: redacts ended conversations past the retention setting' },
    });
    return true;
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return false;
    throw error;
  }
}
