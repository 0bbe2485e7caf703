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
 *   TEMPORAL_TLS, TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY, TEMPORAL_TLS_SERVER_NAME, TEMPORAL_API_KEY
 *                       TLS, mutual TLS or Temporal Cloud (see @baton/config)
 *   BATON_TASK_QUEUE    baton
 *   MONGODB_URI         mongodb://127.0.0.1:27017
 *   BATON_DB            baton
 *   BATON_ACTIVITY_MODULES  @baton/examples   (comma-separated modules whose `activities` export lists custom activities)
 *   BATON_WORKER_MODE   all                (or "activities")
 *   BATON_WORKER_METRICS_PORT  (unset)     Prometheus metrics at http://<host>:<port>/metrics
 *   BATON_WORKER_METRICS_HOST  0.0.0.0
 *   BATON_OTEL_EXPORTER        none        (or "console": OpenTelemetry spans of workflows and activities)
 *   BATON_SHUTDOWN_GRACE_MS    30000       time running activities get to finish on SIGTERM/SIGINT
 *   BATON_MAX_CACHED_WORKFLOWS 1000        workflows kept in the sticky cache (0: none); see docs/performance.md
 *   BATON_STICKY_TIMEOUT_MS    10000       how long a cached conversation's task waits for this worker before another takes it
 *   BATON_SLOW_STORE_MS        (unset)     log every store command at least this slow, with its filter's shape (never its values)
 *
 * SIGTERM or SIGINT: stops polling, lets running activities finish (up to the grace time; Temporal
 * retries what did not), flushes telemetry, closes the connections and exits 0.
 */
import { NativeConnection } from '@temporalio/worker';
import { describeTemporal, temporalSettingsFromEnv } from '@baton/config';
import { connectStore, slowStoreMsFromEnv } from '@baton/store';
import { loadActivityModules } from '@baton/activity-sdk/modules';
import { workerTelemetryFromEnv } from './telemetry';
import { activitiesForTaskQueue, createActivityWorker, createBatonWorker } from './worker';

async function main(): Promise<void> {
  const temporal = temporalSettingsFromEnv();
  const namespace = temporal.namespace;
  const taskQueue = process.env.BATON_TASK_QUEUE || 'baton';
  const mongoUri = process.env.MONGODB_URI || 'mongodb://127.0.0.1:27017';
  const dbName = process.env.BATON_DB || 'baton';
  const mode = process.env.BATON_WORKER_MODE || 'all';
  if (mode !== 'all' && mode !== 'activities')
    throw new Error(`BATON_WORKER_MODE must be "all" or "activities", not "${mode}"`);
  const definitions = loadActivityModules();
  if (mode === 'all') {
    for (const definition of activitiesForTaskQueue(definitions, taskQueue).elsewhere) {
      console.log(
        `activity ${definition.name} runs on task queue ${definition.taskQueue ?? ''}, not here (BATON_WORKER_MODE=activities BATON_TASK_QUEUE=${definition.taskQueue ?? ''} runs it)`,
      );
    }
  }

  const graceText = process.env.BATON_SHUTDOWN_GRACE_MS || '30000';
  const shutdownGraceTime = Number(graceText);
  if (!Number.isInteger(shutdownGraceTime) || shutdownGraceTime < 0)
    throw new Error(`BATON_SHUTDOWN_GRACE_MS must be a whole number of ms, not "${graceText}"`);

  // Not the SDK's default, which grows with the V8 heap limit (2,310 workflows with Node's 4 GB default on a
  // 24 GB machine) and took the worker to 1.1 GB with 10,000 waiting conversations; 1,000 kept it near
  // 730 MB (docs/performance.md). Evicted conversations are replayed from history on their next event.
  const cacheText = process.env.BATON_MAX_CACHED_WORKFLOWS || '1000';
  const maxCachedWorkflows = Number(cacheText);
  if (!Number.isInteger(maxCachedWorkflows) || maxCachedWorkflows < 0)
    throw new Error(`BATON_MAX_CACHED_WORKFLOWS must be a whole number, not "${cacheText}"`);

  const stickyText = process.env.BATON_STICKY_TIMEOUT_MS || '10000';
  const stickyQueueScheduleToStartTimeoutMs = Number(stickyText);
  if (!Number.isInteger(stickyQueueScheduleToStartTimeoutMs) || stickyQueueScheduleToStartTimeoutMs < 1000)
    throw new Error(`BATON_STICKY_TIMEOUT_MS must be a whole number of ms, at least 1000, not "${stickyText}"`);

  // A signal that comes while connecting still stops the worker, once it exists.
  let stopRequested: NodeJS.Signals | undefined;
  let stopWorker: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested) return;
    stopRequested = signal;
    console.log(`worker stopping (${signal}): no new tasks; running activities get up to ${shutdownGraceTime} ms`);
    stopWorker?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const telemetry = await workerTelemetryFromEnv();
  if (telemetry.metricsUrl) console.log(`worker metrics at ${telemetry.metricsUrl}`);
  const slowStoreMs = slowStoreMsFromEnv();
  const store = await connectStore(mongoUri, dbName, {
    ...(slowStoreMs !== undefined && {
      slowCommands: {
        thresholdMs: slowStoreMs,
        report: (command) => console.log(JSON.stringify({ msg: 'slow store command', store: command })),
      },
    }),
  });
  console.log(`worker store: ${store.server.description}`);
  let connection: NativeConnection | undefined;
  try {
    connection = await NativeConnection.connect({
      address: temporal.address,
      ...(temporal.tls && { tls: temporal.tls }),
      ...(temporal.apiKey && { apiKey: temporal.apiKey }),
    });
    console.log(`worker temporal: ${describeTemporal(temporal)}`);
    const common = {
      connection,
      namespace,
      taskQueue,
      store,
      definitions,
      shutdownGraceTime,
      ...(telemetry.telemetry && { telemetry: telemetry.telemetry }),
    };
    const worker =
      mode === 'activities'
        ? await createActivityWorker(common)
        : await createBatonWorker({ ...common, maxCachedWorkflows, stickyQueueScheduleToStartTimeoutMs });
    stopWorker = () => worker.shutdown();
    const running = worker.run();
    if (stopRequested) worker.shutdown();
    else
      console.log(
        mode === 'activities'
          ? `activity worker ready on task queue ${taskQueue}: ${definitions.map((definition) => definition.name).join(', ')}`
          : `worker ready on task queue ${taskQueue}`,
      );
    // Resolves once polling stopped and every running task finished (or the grace time ran out).
    await running;
    console.log('worker stopped');
  } finally {
    await connection?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    await telemetry.close().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('worker failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
