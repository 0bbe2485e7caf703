/**
 * An in-process Baton stack for integration tests, on the real servers from test/global-setup.ts:
 * a store on its own database, a real Temporal worker on its own task queue, the Express API.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { exampleActivities } from '@baton/examples';
import { bundleBatonWorkflows, createBatonWorker } from '@baton/worker';
import { BackgroundWork, createApp } from '@baton/server/api';
import type { AuthOptions } from '@baton/server/api/auth';
import type { IdentityOptions } from '@baton/server/api/identity';
import { Conversations } from '@baton/server/client';
import { connectStore, type Store } from '@baton/store';
import { requireServers, uniqueDbName } from './servers';

let bundle: Promise<{ code: string }> | undefined;
/** Bundling takes seconds: once per run when test/global-setup.ts made it, else once per test file. */
export function sharedWorkflowBundle(): Promise<{ code: string }> {
  const prebuilt = process.env.BATON_TEST_WORKFLOW_BUNDLE;
  bundle ??=
    prebuilt && existsSync(prebuilt)
      ? Promise.resolve({ code: readFileSync(prebuilt, 'utf8') })
      : bundleBatonWorkflows();
  return bundle;
}

function quietTemporalLogs(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process: keep it.
  }
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

export async function startInProcessWorker(
  store: Store,
  taskQueue: string,
  /** More worker options (e.g. a test's erasure hook). */
  extra: Partial<Parameters<typeof createBatonWorker>[0]> = {},
): Promise<RunningWorker> {
  const { temporalAddress, temporalNamespace } = requireServers();
  const connection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await createBatonWorker({
    connection,
    namespace: temporalNamespace,
    taskQueue,
    store,
    definitions: exampleActivities,
    workflowBundle: await sharedWorkflowBundle(),
    ...extra,
  });
  const running = worker.run();
  return {
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

export interface TestStack {
  app: ReturnType<typeof createApp>;
  /** What the app's routes left running after their answers; stop() waits for it (give it to other apps on this stack). */
  background: BackgroundWork;
  store: Store;
  client: Client;
  conversations: Conversations;
  taskQueue: string;
  db: string;
  worker?: RunningWorker;
  stop(): Promise<void>;
}

/**
 * `auth`: access control on (sessions, API keys, customer tokens) with these options; off (every request open) by default.
 * `identity`: site secrets for identity tokens; none by default (every customer unverified).
 */
export async function startTestStack(
  options: { worker?: boolean; auth?: AuthOptions; identity?: IdentityOptions } = {},
): Promise<TestStack> {
  quietTemporalLogs();
  const { temporalAddress, temporalNamespace, mongoUri } = requireServers();
  const db = uniqueDbName('stack');
  const taskQueue = `tq-${db}`;
  const store = await connectStore(mongoUri, db);
  const worker = options.worker === false ? undefined : await startInProcessWorker(store, taskQueue);
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: temporalNamespace });
  const conversations = new Conversations(client, taskQueue);
  const background = new BackgroundWork();
  const app = createApp({
    store,
    conversations,
    background,
    catalog: () => store.listActivities(),
    streamPollMs: 100,
    log: () => undefined,
    auth: options.auth ?? false,
    identity: options.identity ?? false,
  });
  return {
    app,
    background,
    store,
    client,
    conversations,
    taskQueue,
    db,
    ...(worker && { worker }),
    async stop() {
      // A read-model write a message left running queries its workflow: let it finish while the worker
      // and the connection are still there (a gRPC retry firing after close throws outside any test).
      await background.settled(10_000);
      await worker?.stop();
      await connection.close();
      await store
        .collection('journeys')
        .db.dropDatabase()
        .catch(() => undefined);
      await store.close();
    },
  };
}
