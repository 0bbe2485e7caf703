/**
 * The erasure of one customer (issue 16), as a workflow so that a crash mid-way resumes and
 * finishes: list what is stored, end the open conversations with a message the customer sees (the
 * journey's `close` Update), delete the store's records in batches, then delete the customer's closed
 * conversation executions from Temporal. Every activity
 * is idempotent, so a retried or replayed step changes nothing twice. Its id is `erase:<customerId>`:
 * a second request joins the running one.
 */
import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';

export const customerErasureWorkflowType = 'customerErasureWorkflow';
export const erasureWorkflowIdOf = (customerId: string): string => `erase:${customerId}`;

export interface ErasureInput {
  customerId: string;
}

export type ErasureStage = 'listing' | 'ending' | 'deleting-records' | 'deleting-executions' | 'done';

export interface ErasureProgress {
  customerId: string;
  stage: ErasureStage;
  conversations: string[];
  openConversations: string[];
  /** Open conversations ended with the message, once ended. */
  ended: number | null;
  /** Counts of the records deleted per kind, once deleted. */
  deleted: Record<string, number> | null;
  /** Closed executions deleted from Temporal, once deleted. */
  executionsDeleted: number | null;
}

/** The activities the erasure calls (workers/worker/src/activities/erasure.ts). */
export interface ErasureActivities {
  'baton.erasure.inventory'(input: ErasureInput): Promise<{ conversations: string[]; openConversations: string[] }>;
  'baton.erasure.endConversations'(input: { conversationIds: string[]; message: string }): Promise<number>;
  'baton.erasure.deleteRecords'(input: ErasureInput & { conversationIds: string[] }): Promise<Record<string, number>>;
  'baton.erasure.deleteExecutions'(input: { conversationIds: string[] }): Promise<number>;
}

export const erasureProgressQuery = defineQuery<ErasureProgress>('erasureProgress');

/** What an open conversation's customer is told before it ends. */
export const erasureEndMessage =
  'This conversation was closed at your request: your data is being erased, and nothing more will be said here.';

// Each step heartbeats as it goes: a worker lost inside one hands it to another within 20 s.
const activities = proxyActivities<ErasureActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { maximumInterval: '30 seconds' },
});

export async function customerErasureWorkflow(input: ErasureInput): Promise<ErasureProgress> {
  const progress: ErasureProgress = {
    customerId: input.customerId,
    stage: 'listing',
    conversations: [],
    openConversations: [],
    ended: null,
    deleted: null,
    executionsDeleted: null,
  };
  setHandler(erasureProgressQuery, () => progress);
  const found = await activities['baton.erasure.inventory'](input);
  progress.conversations = found.conversations;
  progress.openConversations = found.openConversations;
  progress.stage = 'ending';
  progress.ended = await activities['baton.erasure.endConversations']({
    conversationIds: found.openConversations,
    message: erasureEndMessage,
  });
  progress.stage = 'deleting-records';
  progress.deleted = await activities['baton.erasure.deleteRecords']({
    ...input,
    conversationIds: found.conversations,
  });
  progress.stage = 'deleting-executions';
  progress.executionsDeleted = await activities['baton.erasure.deleteExecutions']({
    conversationIds: found.conversations,
  });
  progress.stage = 'done';
  return progress;
}
