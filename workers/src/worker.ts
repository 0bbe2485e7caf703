import { Worker, bundleWorkflowCode, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type { Duration, Logger } from '@temporalio/common';
import type { Store } from '@baton/engine/store';
import { builtinActivities } from './activities/builtin';
import { EmbeddedAiProvider } from './ai/embedded';
import type { AiProvider } from './ai/provider';
import { createActivityRegistry, type ActivityRegistry } from './registry';
import type { ActivityDefinition, ActivityLogger } from './sdk';

export interface BatonWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  store: Store;
  /** The embedded provider when absent. */
  provider?: AiProvider;
  /** Custom activities, registered next to the built-in ones. */
  definitions?: readonly ActivityDefinition[];
  /** A prebuilt workflow bundle (see bundleBatonWorkflows); the workflows are bundled at start otherwise. */
  workflowBundle?: WorkflowBundleOption;
  maxCachedWorkflows?: number;
  /** Write the activity catalog to the store so that the API can show the palette; true by default. */
  registerCatalog?: boolean;
  /** Where activities log outside a Temporal context. */
  logger?: ActivityLogger;
  /** Time to let running activities finish on shutdown (ms or a Temporal duration); Temporal's default otherwise. */
  shutdownGraceTime?: Duration;
}

/** Module path of the workflow code (engine/src/workflow). */
export function batonWorkflowsPath(): string {
  return require.resolve('@baton/engine/workflow');
}

/** Bundles the workflow code once (tests and several workers in one process can share the bundle). */
export async function bundleBatonWorkflows(options: { logger?: Logger } = {}): Promise<{ code: string }> {
  const bundle = await bundleWorkflowCode({ workflowsPath: batonWorkflowsPath(), ...(options.logger !== undefined && { logger: options.logger }) });
  return { code: bundle.code };
}

/** The built-ins plus the given custom activities, as the worker registers them. */
export function batonActivityRegistry(options: Pick<BatonWorkerOptions, 'store' | 'provider' | 'definitions' | 'logger'>): ActivityRegistry {
  return createActivityRegistry([...builtinActivities, ...(options.definitions ?? [])], {
    store: options.store,
    provider: options.provider ?? new EmbeddedAiProvider(),
    ...(options.logger !== undefined && { logger: options.logger }),
  });
}

/** A Temporal worker running the journey workflow and Baton's activities on one task queue. */
export async function createBatonWorker(options: BatonWorkerOptions): Promise<Worker> {
  const registry = batonActivityRegistry(options);
  if (options.registerCatalog ?? true) {
    try {
      await options.store.registerActivities(registry.catalog);
    } catch (error) {
      // The palette can wait; the conversations cannot.
      console.warn(`could not register the activity catalog: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    activities: registry.activities,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: batonWorkflowsPath() }),
    ...(options.maxCachedWorkflows !== undefined && { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.shutdownGraceTime !== undefined && { shutdownGraceTime: options.shutdownGraceTime }),
  });
}
