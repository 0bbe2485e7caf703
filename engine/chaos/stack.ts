/**
 * A whole Baton stack on free ports that the fault suite may break: its own Temporal dev server on a
 * file database, its own Mongo-wire server, the worker as a child process, the API in this process.
 * Each part can be killed and started again on the same port and data, as an operator would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type RunningApi } from '@baton/server/api';
import { authStoreOf, conversationTokenFor, issueApiKey, randomToken } from '@baton/server/api/auth';
import { createLogger } from '@baton/server/api/logger';
import { seedExamples } from '@baton/cli/dev/stack';
import { startWorkerProcess } from '@baton/cli/dev/worker-process';
import {
  freePort,
  startMongoWire,
  startTemporalDevServer,
  type ManagedProcess,
  type MongoWireServer,
  type TemporalDevServer,
} from '@baton/cli/services';
import type { SlowStoreCommand, Store } from '@baton/store';

export interface ChaosStackOptions {
  /** Lines from the servers and the worker (quiet by default). */
  log?: (line: string) => void;
  /** Extra environment for the worker process (e.g. the AI provider). */
  workerEnv?: Record<string, string>;
  /** Report store commands at least this slow, from the API and the worker (BATON_SLOW_STORE_MS). */
  slowStore?: { thresholdMs: number; report: (from: 'api' | 'worker', command: SlowStoreCommand) => void };
  /**
   * A Mongo-wire server that runs already (e.g. a real MongoDB): used with a database of this stack's
   * own, dropped when it stops, instead of starting FerretDB. It cannot be stopped and started again:
   * for the benches, not the fault suite's store outage.
   */
  externalMongoUri?: string;
}

export interface ChaosStack {
  apiUrl: string;
  /** An admin API key (admin holds every role: agent for the inbox, designer for journeys). */
  apiKey: string;
  /** The customer token of a conversation id (signed as the API signs them): only its customer writes to it. */
  customerToken(conversationId: string): string;
  store: Store;
  temporalAddress: string;
  mongoUri: string;
  db: string;
  taskQueue: string;
  /** SIGKILL the worker (no goodbye), as a crash or an OOM kill would. */
  killWorker(): Promise<void>;
  /** SIGTERM the worker and wait for it to finish what it runs. */
  stopWorker(): Promise<void>;
  /** Start a worker process (again); `env` replaces the extra environment from now on. */
  startWorker(env?: Record<string, string>): Promise<void>;
  workerRunning(): boolean;
  /** Process id of the running worker (for memory readings), if one runs. */
  workerPid(): number | undefined;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  stopMongo(): Promise<void>;
  startMongo(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Publishes a version of every example journey (also of those published already), as `baton dev`
 * seeds them (engine/cli/src/dev/stack.ts); one that does not compile throws.
 */
export function publishExamples(store: Store): Promise<string[]> {
  return seedExamples(store, { author: 'chaos', message: 'fault suite', strict: true, republish: true });
}

/** An error and its cause (a Temporal ServiceError says only "Workflow Update failed"; its gRPC cause says why). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error ?? '');
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

/** startMongoWire prefers MONGODB_URI; the fault suite needs a server of its own that it may stop. */
async function ownMongo(dataDir: string, port: number, log?: (line: string) => void): Promise<MongoWireServer> {
  const saved = process.env.MONGODB_URI;
  delete process.env.MONGODB_URI;
  try {
    return await startMongoWire({ dataDir, port, startTimeoutMs: 120_000, ...(log && { log }) });
  } finally {
    if (saved !== undefined) process.env.MONGODB_URI = saved;
  }
}

export async function startChaosStack(options: ChaosStackOptions = {}): Promise<ChaosStack> {
  const log = options.log;
  const dir = mkdtempSync(join(tmpdir(), 'baton-chaos-'));
  const temporalPort = await freePort();
  const mongoPort = await freePort();
  const dbFile = join(dir, 'temporal.sqlite');
  const mongoDir = join(dir, 'mongo');
  const external = options.externalMongoUri;
  // An external server's database is this stack's own, so two runs (or a real deployment) never share one.
  const db = external ? `baton_stack_${Date.now().toString(36)}_${process.pid}` : 'baton_chaos';
  const taskQueue = 'baton-chaos';
  const slowStore = options.slowStore;
  let workerEnv = { ...options.workerEnv, ...(slowStore && { BATON_SLOW_STORE_MS: String(slowStore.thresholdMs) }) };
  /** The worker says each slow command as a JSON line; the rest of its output goes to `log`. */
  const workerLog = (line: string) => {
    const at = line.indexOf('{"msg":"slow store command"');
    if (slowStore && at >= 0) {
      try {
        slowStore.report('worker', (JSON.parse(line.slice(at)) as { store: SlowStoreCommand }).store);
        return;
      } catch {
        // Not one of ours after all: shown as any other line.
      }
    }
    log?.(line);
  };

  let temporal: TemporalDevServer | undefined;
  let mongo: MongoWireServer | undefined;
  let worker: ManagedProcess | undefined;
  let api: RunningApi | undefined;
  let apiKey: string;
  const tokenSecret = randomToken(48);

  const startTemporal = async () => {
    temporal = await startTemporalDevServer({
      dbFile,
      port: temporalPort,
      uiPort: false,
      startTimeoutMs: 120_000,
      ...(log && { log }),
    });
  };
  const startMongo = async () => {
    if (external) throw new Error('the chaos stack does not start or stop an external Mongo-wire server');
    mongo = await ownMongo(mongoDir, mongoPort, log);
  };
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const mongoUri = external ?? `mongodb://127.0.0.1:${mongoPort}/`;

  const startWorker = async (env?: Record<string, string>) => {
    if (env) workerEnv = { ...env, ...(slowStore && { BATON_SLOW_STORE_MS: String(slowStore.thresholdMs) }) };
    worker = await startWorkerProcess({
      temporalAddress,
      mongoUri,
      db,
      taskQueue,
      env: workerEnv,
      readyTimeoutMs: 180_000,
      ...((log || slowStore) && { log: workerLog }),
    });
  };

  const stop = async () => {
    const steps: (() => Promise<void>)[] = [
      async () => worker?.stop(),
      async () => {
        if (external) await api?.store.collection('conversations').db.dropDatabase();
      },
      async () => api?.close(),
      async () => temporal?.stop(),
      async () => mongo?.stop(),
    ];
    for (const step of steps) await step().catch((error: unknown) => log?.(`while stopping: ${String(error)}`));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await Promise.all([startTemporal(), external ? Promise.resolve() : startMongo()]);
    await startWorker();
    api = await startApi(
      {
        temporalAddress,
        namespace: 'default',
        mongoUri,
        db,
        taskQueue,
        host: '127.0.0.1',
        port: 0,
        // One driver plays every customer from one address: the per-IP and per-token limits would throttle it.
        auth: { tokenSecret, customerRequestsPerToken: 0, loginAttemptsPerWindow: 0 },
        security: { corsOrigins: [], rateLimitPerMinute: 0 },
        ...(slowStore && {
          slowStoreMs: slowStore.thresholdMs,
          onSlowStoreCommand: (command: SlowStoreCommand) => slowStore.report('api', command),
        }),
      },
      (message, error) => log?.(`[api] ${message}: ${describeError(error)}`),
      createLogger({ level: 'silent' }),
    );
    await publishExamples(api.store);
    apiKey = await issueApiKey(authStoreOf(api.store.collection('users').db), {
      name: 'fault suite',
      roles: ['admin'],
      createdBy: 'chaos',
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const running = api;

  return {
    apiUrl: running.url,
    apiKey,
    customerToken: (conversationId) => conversationTokenFor(conversationId, { tokenSecret }),
    store: running.store,
    temporalAddress,
    mongoUri,
    db,
    taskQueue,
    async killWorker() {
      const current = worker;
      worker = undefined;
      if (!current || current.exitInfo()) return;
      current.child.kill('SIGKILL');
      await current.exited;
    },
    async stopWorker() {
      const current = worker;
      worker = undefined;
      await current?.stop(60_000);
    },
    startWorker,
    workerRunning: () => worker !== undefined && worker.exitInfo() === undefined,
    workerPid: () => (worker && worker.exitInfo() === undefined ? worker.child.pid : undefined),
    async stopTemporal() {
      await temporal?.stop();
      temporal = undefined;
    },
    startTemporal,
    async stopMongo() {
      await mongo?.stop();
      mongo = undefined;
    },
    startMongo,
    stop,
  };
}
