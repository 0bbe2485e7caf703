/**
 * The activities of a customer's erasure (engine/workflow/src/erasure-workflow.ts). Each is
 * idempotent: a retry after a crash finds less to do and does it, never fails on what is gone.
 * They reach Temporal through the activity context's client (bound to the worker's namespace), and
 * heartbeat as they go, so a worker lost mid-step hands the step to another within the heartbeat
 * timeout.
 */
import { Context } from '@temporalio/activity';
import { customerInventory, deleteCustomerRecords, type ErasedCounts, type Store } from '@baton/store';
import { closeUpdate } from '@baton/workflow/definitions';
import type { ErasureActivities } from '@baton/workflow/erasure';

type Db = Parameters<typeof customerInventory>[0];

/** gRPC's NOT_FOUND status code. */
const grpcNotFound = 5;
/** How long one conversation's close may take before it is terminated instead. */
const closeTimeoutMs = 30_000;

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  const name = (error as { name?: unknown }).name;
  return code === grpcNotFound || name === 'WorkflowNotFoundError';
}

export interface ErasureActivityOptions {
  /** Ids deleted per command; 200 by default. */
  batchSize?: number;
  /**
   * Called after each batch of deletions (after the heartbeat), with the attempt's cancellation (a
   * worker shutting down). Tests use it to stop a worker inside the step; nothing else sets it.
   */
  afterBatch?: (counts: ErasedCounts, cancelled: Promise<never>) => Promise<void> | void;
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The erasure's activities on the worker's store. */
export function erasureActivities(store: Store, options: ErasureActivityOptions = {}): ErasureActivities {
  const db = store.collection('conversations').db as Db;
  return {
    async 'baton.erasure.inventory'({ customerId }) {
      const found = await customerInventory(db, customerId);
      return { conversations: found.conversations, openConversations: found.openConversations };
    },

    /**
     * Ends each open conversation with the message through the journey's `close` Update: the customer
     * sees it as the bot's last word, and the Update answers once the final projection is written.
     * One that does not answer in time (or a worker without the Update) is terminated with the message
     * as the reason; an ended or missing one is skipped.
     */
    async 'baton.erasure.endConversations'({ conversationIds, message }) {
      const context = Context.current();
      let ended = 0;
      for (const conversationId of conversationIds) {
        try {
          const handle = context.client.workflow.getHandle(conversationId);
          const description = await handle.describe();
          if (description.status.name !== 'RUNNING') continue;
          try {
            await withTimeout(
              handle.executeUpdate(closeUpdate, { args: [{ message }] }),
              closeTimeoutMs,
              `closing ${conversationId}`,
            );
          } catch (error) {
            if (isNotFound(error)) continue;
            const now = await handle.describe();
            if (now.status.name === 'RUNNING') await handle.terminate(message);
          }
          ended += 1;
        } catch (error) {
          if (!isNotFound(error)) throw error;
        } finally {
          context.heartbeat({ conversationId });
        }
      }
      return ended;
    },

    /** Deletes in batches, heartbeating the counts so far; a retry carries them on. */
    async 'baton.erasure.deleteRecords'({ customerId, conversationIds }) {
      const context = Context.current();
      const previous = context.info.heartbeatDetails as { counts?: Partial<ErasedCounts> } | undefined;
      const found = await customerInventory(db, customerId, conversationIds);
      return deleteCustomerRecords(db, found, {
        ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
        ...(previous?.counts && { counted: previous.counts }),
        afterBatch: async (counts) => {
          context.heartbeat({ counts });
          await options.afterBatch?.(counts, context.cancelled);
        },
      });
    },

    /** Deletes each conversation's executions (every run) from Temporal; a missing one counts nothing. */
    async 'baton.erasure.deleteExecutions'({ conversationIds }) {
      const context = Context.current();
      const { client } = context;
      let deleted = 0;
      for (const workflowId of conversationIds) {
        try {
          await client.workflowService.deleteWorkflowExecution({
            namespace: context.info.workflowNamespace,
            workflowExecution: { workflowId },
          });
          deleted += 1;
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        context.heartbeat(workflowId);
      }
      return deleted;
    },
  };
}
