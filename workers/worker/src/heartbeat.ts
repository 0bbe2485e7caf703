/**
 * Heartbeats while an activity runs. The journey workflow gives the activities it runs on Baton's own
 * task queue a heartbeatTimeout (5 s, engine/workflow/src/journey-workflow.ts); this worker heartbeats
 * for them on a timer, whatever the activity does, so a worker that dies (SIGKILL, a lost host) stops
 * heartbeating and Temporal retries the activity on another worker within the heartbeat timeout,
 * instead of after its whole startToCloseTimeout (30 s for the handoff's ticket writes: the ~31 s
 * reply under worker kills in docs/deploy.md). A live worker keeps heartbeating however slow the
 * activity is (a model call, a store that is failing over). Activities without a heartbeatTimeout
 * (older workflow code, activities that heartbeat their own progress) are left alone.
 */
import type { Context } from '@temporalio/activity';

/** How often the timer heartbeats: several times per timeout, so one late tick is no timeout. */
export function heartbeatEveryMs(heartbeatTimeoutMs: number): number {
  return Math.max(100, Math.min(1_000, Math.floor(heartbeatTimeoutMs / 5)));
}

/**
 * The worker sends heartbeats to the server at most this often (Worker option
 * maxHeartbeatThrottleInterval; by default 0.8 × the heartbeat timeout, 4 s of 5: too little margin).
 */
export const maxHeartbeatThrottleIntervalMs = 1_000;

/**
 * Starts heartbeating for the activity of `temporal` (none outside Temporal, or without a
 * heartbeatTimeout). The returned `heartbeat` is the activity's own: its details are what the timer
 * repeats, so an activity that reports progress keeps it. Call `stop` when the activity ends.
 */
export function heartbeatWhileRunning(
  temporal: Context | undefined,
  own: (details?: unknown) => void,
): { heartbeat: (details?: unknown) => void; stop: () => void } {
  const timeoutMs = temporal?.info.heartbeatTimeoutMs;
  if (!temporal || !timeoutMs) return { heartbeat: own, stop: () => undefined };
  let details: unknown;
  const timer = setInterval(() => temporal.heartbeat(details), heartbeatEveryMs(timeoutMs));
  return {
    heartbeat(given?: unknown) {
      details = given;
      own(given);
    },
    stop: () => clearInterval(timer),
  };
}
