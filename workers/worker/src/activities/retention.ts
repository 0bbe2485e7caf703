/**
 * The retention run's activity (engine/workflow/src/retention-workflow.ts): one bounded batch of
 * ended conversations past the retention setting, redacted with their records. Idempotent: a retry
 * selects only what is still unredacted.
 */
import { Context } from '@temporalio/activity';
import { readRetentionSettings, redactConversations, retentionBatch, type Store } from '@baton/store';
import type { RetentionActivities } from '@baton/workflow/retention';

type Db = Parameters<typeof readRetentionSettings>[0];

export function retentionActivities(store: Store): RetentionActivities {
  const db = store.collection('conversations').db as Db;
  return {
    async 'baton.retention.redactBatch'({ now, batchSize }) {
      const settings = await readRetentionSettings(db);
      const conversations = await retentionBatch(db, settings, now, batchSize);
      Context.current().heartbeat({ selected: conversations.length });
      const counts = await redactConversations(db, conversations);
      return { conversations, counts };
    },
  };
}
