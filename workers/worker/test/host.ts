/**
 * A minimal host for tests: drives the pure interpreter and runs its activity calls through the
 * registry's wrappers (as the Temporal workflow would), without Temporal.
 */
import type { CompiledJourney, JsonValue } from '@baton/schemas';
import { step, type ActivityCall, type ConversationEvent, type StepOutput } from '@baton/core/interpreter';

export type CallActivity = (call: ActivityCall) => Promise<unknown>;

export interface Settled {
  output: StepOutput;
  /** Every activity call made, with its result. */
  calls: { call: ActivityCall; ok: boolean; output?: unknown; error?: string }[];
}

/** Runs the activity calls of `output` (and of what follows) until the conversation waits on the outside world. */
export async function settle(
  journey: CompiledJourney,
  output: StepOutput,
  callActivity: CallActivity,
  clock: () => number,
): Promise<Settled> {
  const calls: Settled['calls'] = [];
  let current = output;
  for (;;) {
    const call = current.effects.find((effect): effect is ActivityCall => effect.type === 'call_activity');
    if (!call) return { output: current, calls };
    let event: ConversationEvent;
    try {
      const result = (await callActivity(call)) as JsonValue;
      calls.push({ call, ok: true, output: result });
      event = { type: 'activity_result', at: clock(), callId: call.callId, ok: true, output: result ?? null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      calls.push({ call, ok: false, error: message });
      event = { type: 'activity_result', at: clock(), callId: call.callId, ok: false, error: message };
    }
    current = step(journey, current.state, event);
    if (current.rejected) throw new Error(`the interpreter rejected the activity result: ${current.rejected}`);
  }
}
