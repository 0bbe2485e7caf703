/**
 * Temporal's time-skipping test server with a real worker running Baton's activities on a store of
 * its own: for tests where hours of conversation time (timeouts, SLA timers, survey delays) pass in
 * seconds through real Temporal timers.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { exampleActivities } from '@baton/examples';
import { batonActivityRegistry } from '@baton/worker';
import { Conversations } from '@baton/server/client';
import { connectStore, type Store } from '@baton/store';
import { requireServers, temporalTestServerPath, uniqueDbName } from './servers';
import { sharedWorkflowBundle } from './stack';

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  store: Store;
  /** Conversations on the worker's task queue (named after the test). */
  conversations: Conversations;
  stop(): Promise<void>;
}

export async function startTimeSkippingStack(name: string): Promise<TimeSkippingStack> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed by an earlier test file in this process
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
  let store: Store | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const stop = async () => {
    worker?.shutdown();
    await running;
    await store
      ?.collection('journeys')
      .db.dropDatabase()
      .catch(() => undefined);
    await store?.close();
    await env.teardown();
  };
  try {
    store = await connectStore(requireServers().mongoUri, uniqueDbName(name));
    const registry = batonActivityRegistry({ store, definitions: exampleActivities });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: name,
      workflowBundle: await sharedWorkflowBundle(),
      activities: registry.activities,
    });
    running = worker.run();
    return { env, store, conversations: new Conversations(env.client, name), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
