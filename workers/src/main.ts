/**
 * The worker process: runs the journey workflow and the activities (built-in and the example
 * custom ones) on one Temporal task queue.
 *
 *   TEMPORAL_ADDRESS    127.0.0.1:7233
 *   TEMPORAL_NAMESPACE  default
 *   BATON_TASK_QUEUE    baton
 *   MONGODB_URI         mongodb://127.0.0.1:27017
 *   BATON_DB            baton
 *   BATON_ACTIVITY_MODULES  @baton/examples   (comma-separated modules whose `activities` export lists custom activities)
 */
import { resolve } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { connectStore } from '@baton/engine/store';
import type { ActivityDefinition } from './sdk';
import { createBatonWorker } from './worker';

/** Custom activities come from modules named in the environment, so a team ships its own without touching this file. */
function loadActivityModules(list: string): ActivityDefinition[] {
  const definitions: ActivityDefinition[] = [];
  for (const specifier of list.split(',').map((item) => item.trim()).filter(Boolean)) {
    // Relative paths are the operator's, so they resolve from the working directory.
    const resolved = specifier.startsWith('.') ? resolve(process.cwd(), specifier) : specifier;
    const loaded = require(resolved) as { activities?: unknown };
    if (!Array.isArray(loaded.activities)) throw new Error(`activity module "${specifier}" has no "activities" array export`);
    definitions.push(...(loaded.activities as ActivityDefinition[]));
  }
  return definitions;
}

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const taskQueue = process.env.BATON_TASK_QUEUE || 'baton';
  const mongoUri = process.env.MONGODB_URI || 'mongodb://127.0.0.1:27017';
  const dbName = process.env.BATON_DB || 'baton';

  const store = await connectStore(mongoUri, dbName);
  let connection: NativeConnection | undefined;
  try {
    connection = await NativeConnection.connect({ address });
    const worker = await createBatonWorker({ connection, namespace, taskQueue, store, definitions: loadActivityModules(process.env.BATON_ACTIVITY_MODULES ?? '@baton/examples') });

    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      console.log(`worker stopping (${signal})`);
      worker.shutdown();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);

    const running = worker.run();
    console.log(`worker ready on task queue ${taskQueue}`);
    await running;
    console.log('worker stopped');
  } finally {
    await connection?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error('worker failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
