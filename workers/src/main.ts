/**
 * The worker process: runs the journey workflow and the activities (built-in and the example
 * custom ones) on one Temporal task queue. Custom activities that declare another task queue
 * (`defineActivity({ taskQueue })`) are left to their own workers.
 *
 * With BATON_WORKER_MODE=activities it runs only the custom activities of BATON_ACTIVITY_MODULES on
 * BATON_TASK_QUEUE (no workflows, no built-ins), so a team ships its activities without redeploying
 * the engine; their manifests go to the catalog with that task queue.
 *
 *   TEMPORAL_ADDRESS    127.0.0.1:7233
 *   TEMPORAL_NAMESPACE  default
 *   BATON_TASK_QUEUE    baton
 *   MONGODB_URI         mongodb://127.0.0.1:27017
 *   BATON_DB            baton
 *   BATON_ACTIVITY_MODULES  @baton/examples   (comma-separated modules whose `activities` export lists custom activities)
 *   BATON_WORKER_MODE   all                (or "activities")
 */
import { NativeConnection } from '@temporalio/worker';
import { connectStore } from '@baton/engine/store';
import { loadActivityModules } from './modules';
import { activitiesForTaskQueue, createActivityWorker, createBatonWorker } from './worker';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const taskQueue = process.env.BATON_TASK_QUEUE || 'baton';
  const mongoUri = process.env.MONGODB_URI || 'mongodb://127.0.0.1:27017';
  const dbName = process.env.BATON_DB || 'baton';
  const mode = process.env.BATON_WORKER_MODE || 'all';
  if (mode !== 'all' && mode !== 'activities') throw new Error(`BATON_WORKER_MODE must be "all" or "activities", not "${mode}"`);
  const definitions = loadActivityModules();
  if (mode === 'all') {
    for (const definition of activitiesForTaskQueue(definitions, taskQueue).elsewhere) {
      console.log(`activity ${definition.name} runs on task queue ${definition.taskQueue ?? ''}, not here (BATON_WORKER_MODE=activities BATON_TASK_QUEUE=${definition.taskQueue ?? ''} runs it)`);
    }
  }

  const store = await connectStore(mongoUri, dbName);
  let connection: NativeConnection | undefined;
  try {
    connection = await NativeConnection.connect({ address });
    const worker =
      mode === 'activities'
        ? await createActivityWorker({ connection, namespace, taskQueue, store, definitions })
        : await createBatonWorker({ connection, namespace, taskQueue, store, definitions });

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
    console.log(mode === 'activities' ? `activity worker ready on task queue ${taskQueue}: ${definitions.map((definition) => definition.name).join(', ')}` : `worker ready on task queue ${taskQueue}`);
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
