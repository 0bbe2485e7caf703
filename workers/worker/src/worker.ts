import { Worker, bundleWorkflowCode, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type { Duration, Logger } from '@temporalio/common';
import type { ActivityManifest } from '@baton/schemas';
import type { Store } from '@baton/store';
import { builtinActivities } from './activities/builtin';
import { erasureActivities, type ErasureActivityOptions } from './activities/erasure';
import { retentionActivities } from './activities/retention';
import { summaryTimeoutMs } from './activities/summary';
import { aiProviderFromEnv } from '@baton/ai';
import type { AiProvider } from '@baton/ai';
import { createActivityRegistry, type ActivityRegistry } from './registry';
import { maxHeartbeatThrottleIntervalMs } from './heartbeat';
import type { ActivityDefinition, ActivityLogger } from '@baton/activity-sdk';
import type { WorkerTelemetry } from './telemetry';

export interface BatonWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  store: Store;
  /** From the environment when absent (ai/config.ts: the embedded provider unless BATON_AI_PROVIDER=openai). */
  provider?: AiProvider;
  /**
   * Custom activities, registered next to the built-in ones; those that declare another task queue
   * are left to their own workers (see createActivityWorker) and neither registered nor announced.
   */
  definitions?: readonly ActivityDefinition[];
  /** A prebuilt workflow bundle (see bundleBatonWorkflows); the workflows are bundled at start otherwise. */
  workflowBundle?: WorkflowBundleOption;
  maxCachedWorkflows?: number;
  /**
   * How long a conversation's next workflow task waits for the worker that has it cached before any
   * worker takes it (and replays it). The SDK's 10 s is what a conversation waits after its worker died.
   */
  stickyQueueScheduleToStartTimeoutMs?: number;
  /** Write the activity catalog to the store so that the API can show the palette; true by default. */
  registerCatalog?: boolean;
  /** Where activities log outside a Temporal context. */
  logger?: ActivityLogger;
  /** Time to let running activities finish on shutdown (ms or a Temporal duration); Temporal's default otherwise. */
  shutdownGraceTime?: Duration;
  /** Batch size and a test's hook for the erasure's deletions (activities/erasure.ts). */
  erasure?: ErasureActivityOptions;
  /** Metrics and tracing interceptors and sinks (see telemetry.ts); with a prebuilt bundle, bundle their workflowModules into it. */
  telemetry?: WorkerTelemetry;
}

/** Module path of the workflow code (engine/workflow/src). */
export function batonWorkflowsPath(): string {
  return require.resolve('@baton/workflow');
}

/** Bundles the workflow code once (tests and several workers in one process can share the bundle). */
export async function bundleBatonWorkflows(
  options: { logger?: Logger; workflowInterceptorModules?: string[] } = {},
): Promise<{ code: string }> {
  const bundle = await bundleWorkflowCode({
    workflowsPath: batonWorkflowsPath(),
    ...(options.logger !== undefined && { logger: options.logger }),
    ...(options.workflowInterceptorModules !== undefined && {
      workflowInterceptorModules: options.workflowInterceptorModules,
    }),
  });
  return { code: bundle.code };
}

/** The built-ins plus the given custom activities, as the worker registers them. */
export function batonActivityRegistry(
  options: Pick<BatonWorkerOptions, 'store' | 'provider' | 'definitions' | 'logger'>,
): ActivityRegistry {
  const custom = options.definitions ?? [];
  // The builtin flag gives an activity the whole store: only Baton's own definitions may carry it.
  const claimed = custom.filter((definition) => definition.builtin);
  if (claimed.length > 0)
    throw new Error(
      `only Baton's own activities are built-in; custom activities may not claim it: ${claimed.map((definition) => definition.name).join(', ')}`,
    );
  const provider = options.provider ?? aiProviderFromEnv();
  // A bad BATON_AI_SUMMARY_TIMEOUT_MS stops the worker at start, naming it (not each handoff later).
  summaryTimeoutMs(provider.name);
  return createActivityRegistry([...builtinActivities, ...custom], {
    store: options.store,
    provider,
    ...(options.logger !== undefined && { logger: options.logger }),
  });
}

/**
 * Splits custom activities between a worker on `taskQueue` (those that declare no task queue, or
 * this one) and the workers of other queues.
 */
export function activitiesForTaskQueue(
  definitions: readonly ActivityDefinition[],
  taskQueue: string,
): { served: ActivityDefinition[]; elsewhere: ActivityDefinition[] } {
  const served: ActivityDefinition[] = [];
  const elsewhere: ActivityDefinition[] = [];
  for (const definition of definitions)
    (definition.taskQueue === undefined || definition.taskQueue === taskQueue ? served : elsewhere).push(definition);
  return { served, elsewhere };
}

async function registerCatalog(store: Store, catalog: readonly ActivityManifest[]): Promise<void> {
  try {
    await store.registerActivities(catalog);
  } catch (error) {
    // The palette can wait; the conversations cannot.
    console.warn(`could not register the activity catalog: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A Temporal worker running the journey workflow and Baton's activities on one task queue. */
export async function createBatonWorker(options: BatonWorkerOptions): Promise<Worker> {
  const registry = batonActivityRegistry({
    ...options,
    definitions: activitiesForTaskQueue(options.definitions ?? [], options.taskQueue).served,
  });
  if (options.registerCatalog ?? true) await registerCatalog(options.store, registry.catalog);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    activities: {
      ...registry.activities,
      ...erasureActivities(options.store, options.erasure),
      ...retentionActivities(options.store),
    },
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: batonWorkflowsPath() }),
    // Activities heartbeat on a timer (./heartbeat.ts): send them often enough for their 5 s timeout.
    maxHeartbeatThrottleInterval: maxHeartbeatThrottleIntervalMs,
    ...(options.maxCachedWorkflows !== undefined && { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.stickyQueueScheduleToStartTimeoutMs !== undefined && {
      stickyQueueScheduleToStartTimeout: options.stickyQueueScheduleToStartTimeoutMs,
    }),
    ...(options.shutdownGraceTime !== undefined && { shutdownGraceTime: options.shutdownGraceTime }),
    ...(options.telemetry && {
      // A prebuilt bundle already holds the workflow interceptors; bundling at start adds them.
      interceptors: options.workflowBundle
        ? { ...options.telemetry.interceptors, workflowModules: [] }
        : options.telemetry.interceptors,
      sinks: options.telemetry.sinks,
    }),
  });
}

export interface ActivityWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  /** The team's own task queue; journeys call the activities there (the catalog tells the compiler). */
  taskQueue: string;
  store: Store;
  /** From the environment when absent (ai/config.ts: the embedded provider unless BATON_AI_PROVIDER=openai). */
  provider?: AiProvider;
  /** The custom activities to run; each declares this task queue or none. */
  definitions: readonly ActivityDefinition[];
  /** Write their manifests, with this task queue, to the store's catalog; true by default. */
  registerCatalog?: boolean;
  logger?: ActivityLogger;
  shutdownGraceTime?: Duration;
  /** Activity metrics and tracing (no workflows run here). */
  telemetry?: WorkerTelemetry;
}

/**
 * A worker that runs only a team's custom activities on its own task queue: no workflows, no
 * built-in activities. The team ships and restarts it without redeploying the engine's workers.
 * Its activities are announced in the catalog with the task queue, so the compiler writes the queue
 * into the journeys that call them.
 */
export async function createActivityWorker(options: ActivityWorkerOptions): Promise<Worker> {
  const { taskQueue } = options;
  if (options.definitions.length === 0)
    throw new Error(`an activities-only worker on task queue "${taskQueue}" has no activities to run`);
  const { elsewhere } = activitiesForTaskQueue(options.definitions, taskQueue);
  if (elsewhere.length > 0) {
    const list = elsewhere
      .map((definition) => `"${definition.name}" (task queue "${definition.taskQueue ?? ''}")`)
      .join(', ');
    throw new Error(`activities declaring another task queue cannot run on "${taskQueue}": ${list}`);
  }
  const builtins = options.definitions.filter((definition) => definition.builtin);
  if (builtins.length > 0)
    throw new Error(
      `built-in activities run on the engine's workers, not on "${taskQueue}": ${builtins.map((definition) => definition.name).join(', ')}`,
    );
  const registry = createActivityRegistry(options.definitions, {
    store: options.store,
    provider: options.provider ?? aiProviderFromEnv(),
    ...(options.logger !== undefined && { logger: options.logger }),
  });
  if (options.registerCatalog ?? true)
    await registerCatalog(
      options.store,
      registry.catalog.map((manifest) => ({ ...manifest, taskQueue })),
    );
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue,
    activities: registry.activities,
    ...(options.shutdownGraceTime !== undefined && { shutdownGraceTime: options.shutdownGraceTime }),
    ...(options.telemetry && { interceptors: { activity: options.telemetry.interceptors.activity ?? [] } }),
  });
}
