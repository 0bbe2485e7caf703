/**
 * Baton's activities heartbeat while they run when the workflow gave them a heartbeatTimeout (a
 * worker killed mid-activity is then noticed within it, not after the whole startToCloseTimeout),
 * repeating the details the activity itself reported; without one, nothing is sent. The activity
 * runs in an activity context of its own (as the SDK's MockActivityEnvironment does), whose
 * heartbeat records what the worker would send.
 */
import { z } from 'zod';
import { asyncLocalStorage, type Context, type Info } from '@temporalio/activity';
import type { Store } from '@baton/store';
import type { AiProvider } from '@baton/ai';
import { defineActivity } from '@baton/activity-sdk';
import { createActivityRegistry } from '../src/registry';
import { heartbeatEveryMs } from '../src/heartbeat';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** An activity that reports progress once, then waits `waitMs` (a slow model or store). */
const slow = defineActivity({
  name: 'test.slow',
  description: 'waits',
  input: z.object({ waitMs: z.number() }),
  output: z.object({ done: z.boolean() }),
  run: async ({ waitMs }, context) => {
    context.heartbeat({ step: 1 });
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    return { done: true };
  },
});

const registry = createActivityRegistry([slow], { store: {} as Store, provider: {} as AiProvider });

/** Runs one activity call in a Temporal activity context with this info; `beats` are its heartbeats. */
function environment(info: Partial<Info>) {
  const beats: unknown[] = [];
  const context = {
    info: { activityId: 'a1', attempt: 1, workflowExecution: { workflowId: 'w1', runId: 'r1' }, ...info },
    log: quiet,
    cancellationSignal: new AbortController().signal,
    heartbeat: (details?: unknown) => beats.push(details),
  } as unknown as Context;
  const run = (input: unknown) => asyncLocalStorage.run(context, () => registry.activities['test.slow']!(input));
  return { run, beats };
}

it('heartbeats on a timer while the activity runs, repeating its own details, and stops when it ends', async () => {
  const heartbeatTimeoutMs = 500;
  const { run, beats } = environment({ heartbeatTimeoutMs });
  const waitMs = heartbeatEveryMs(heartbeatTimeoutMs) * 6;
  await expect(run({ waitMs })).resolves.toEqual({ done: true });
  // The activity's own heartbeat, then the timer's, each with the activity's last details.
  expect(beats.length).toBeGreaterThan(2);
  expect(beats.every((details) => JSON.stringify(details) === JSON.stringify({ step: 1 }))).toBe(true);
  const after = beats.length;
  await new Promise((resolve) => setTimeout(resolve, heartbeatEveryMs(heartbeatTimeoutMs) * 3));
  expect(beats.length).toBe(after);
});

it("sends only the activity's own heartbeats when the workflow gave no heartbeat timeout", async () => {
  const { run, beats } = environment({});
  await run({ waitMs: 300 });
  expect(beats).toEqual([{ step: 1 }]);
});

it('heartbeats several times per timeout, at most once a second', () => {
  expect(heartbeatEveryMs(5_000)).toBe(1_000);
  expect(heartbeatEveryMs(500)).toBe(100);
  expect(heartbeatEveryMs(60_000)).toBe(1_000);
});
