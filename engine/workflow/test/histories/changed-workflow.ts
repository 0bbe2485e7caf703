/**
 * A deliberately incompatible change to the interpreter's workflow (it calls one more activity
 * before anything else), to prove that the replay test catches such changes.
 */
import { proxyActivities } from '@temporalio/workflow';
import { journeyWorkflow as current } from '../../src';
import type { JourneyWorkflowInput } from '../../src/definitions';

const { 'baton.saveConversation': save } = proxyActivities<{
  'baton.saveConversation': (input: unknown) => Promise<unknown>;
}>({ startToCloseTimeout: '10 seconds' });

export async function journeyWorkflow(input: JourneyWorkflowInput): ReturnType<typeof current> {
  await save({ conversation: null });
  return current(input);
}
