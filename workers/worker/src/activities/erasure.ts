/**
 * The activities of a customer's erasure (engine/workflow/src/erasure-workflow.ts). Each is
 * idempotent: a retry after a crash finds less to do and does it, never fails on what is gone.
 * They reach Temporal through the activity context's client (bound to the worker's namespace).
 */
import { Context } from '@temporalio/activity';
import { customerInventory, deleteCustomerRecords, type Store } from '@baton/store';
import type { ErasureActivities } from '@baton/workflow/erasure';

type Db = Parameters<typeof customerInventory>[0];

/** gRPC's NOT_FOUND status code. */
const grpcNotFound = 5;

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  const name = (error as { name?: unknown }).name;
  return code === grpcNotFound || name === 'WorkflowNotFoundError';
}

/** The erasure's activities on the worker's store. */
export function erasureActivities(store: Store): ErasureActivities {
  const db = store.collection('conversations').db as Db;
  return {
    async 'baton.erasure.inventory'({ customerId }) {
      const found = await customerInventory(db, customerId);
      return { conversations: found.conversations, openConversations: found.openConversations };
    },

    /**
     * Ends each open conversation: the journey has no end Update, so its execution is terminated
     * with the message as the reason (an ended or missing one is skipped).
     */
    async 'baton.erasure.endConversations'({ conversationIds, message }) {
      const { client } = Context.current();
      let ended = 0;
      for (const conversationId of conversationIds) {
        try {
          const handle = client.workflow.getHandle(conversationId);
          const description = await handle.describe();
          if (description.status.name !== 'RUNNING') continue;
          await handle.terminate(message);
          ended += 1;
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      return ended;
    },

    async 'baton.erasure.deleteRecords'({ customerId, conversationIds }) {
      const found = await customerInventory(db, customerId, conversationIds);
      return deleteCustomerRecords(db, found);
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
