/**
 * The production shape on one machine (issue 15, docs/deploy.md): PostgreSQL, the real Temporal
 * server on it, a Mongo-wire store, two worker processes, two API processes, and HAProxy in front
 * of the APIs. `npm run stack:prod` runs it with data in .baton/prod; the integration test runs a
 * small one in a temporary directory and kills parts of it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authStoreOf, ensureFirstAdmin, issueApiKey, randomToken } from '@baton/server/api/auth';
import { seedExamples, webAppDir } from '@baton/cli/dev/stack';
import { startWorkerProcess, type WorkerProcessOptions as WorkerOptions } from '@baton/cli/dev/worker-process';
import { repoRoot, spawnManaged, startMongoWire, type ManagedProcess } from '@baton/cli/services';
import { connectStore } from '@baton/store';
import { startWorkerInNetns, type WorkerNetns } from './netns';
import { pidListeningOn, type ProdPorts } from './ports';
import { startPostgres, type Postgres } from './postgres';
import {
  ensureNamespace,
  setUpTemporalSchemas,
  startTemporalServer,
  type TemporalBuild,
  type TemporalServer,
} from './temporal-server';

export interface ProdStackOptions {
  /** Where PostgreSQL, the Mongo-wire server and the secrets keep their data. */
  dataDir: string;
  build: TemporalBuild;
  ports: ProdPorts;
  namespace?: string;
  retentionDays?: number;
  db?: string;
  taskQueue?: string;
  /** Publish the example journeys that have no draft yet (default true). */
  seedExamples?: boolean;
  /**
   * Worker 2 in this network namespace (engine/prod/netns.ts): the Temporal server and the store
   * then listen on its host address instead of 127.0.0.1, so a partition cuts worker 2 off.
   */
  isolatedWorker?: WorkerNetns;
  /** More environment for the worker and API processes. */
  env?: Record<string, string>;
  log?: (line: string) => void;
  /** Told as each part is up, with the seconds since the start. */
  progress?: (line: string) => void;
}

export interface ProdProcess {
  name: string;
  pid: number | undefined;
}

export interface ProdStack {
  proxyUrl: string;
  proxyStatsUrl: string;
  apiUrls: string[];
  temporalAddress: string;
  temporalMetricsUrl: string;
  postgres: string;
  mongoUri: string;
  mongoKind: string;
  namespace: string;
  db: string;
  taskQueue: string;
  tokenSecret: string;
  /** An admin API key (for the CLI and the tests), kept in <dataDir>/secrets/api-key. */
  apiKey: string;
  firstAdmin?: { email: string; password: string };
  seeded: string[];
  /** The running worker and API processes (a fault's restart puts the new process in the same slot). */
  workers: ManagedProcess[];
  apis: ManagedProcess[];
  /** Breaking parts and starting them again, on the same ports and data (the fault suite, engine/chaos). */
  faults: ProdFaults;
  /** Every long-running process, for memory readings. */
  processes(): ProdProcess[];
  stop(): Promise<void>;
}

export interface ProdFaults {
  /** SIGKILL worker `index` (0 or 1), as a crash or an OOM kill would; waits until it is gone. */
  killWorker(index: number): Promise<void>;
  /** Starts worker `index` again (after a kill). */
  startWorker(index: number): Promise<void>;
  killApi(index: number): Promise<void>;
  /** Starts API `index` again on its port; HAProxy takes it back once its health check passes. */
  startApi(index: number): Promise<void>;
  /** SIGTERM the Temporal server and wait for it to exit. */
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  temporalRunning(): boolean;
  /** SIGINT PostgreSQL (its "fast" shutdown: clients are disconnected) and wait for it to exit. */
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
}

/** A secret kept in `file` (mode 600), made once. */
function keptSecret(file: string, make: () => string): string {
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept) return kept;
  }
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

/** Starts the API entry point (engine/server/src/api/main.ts) as its own process and waits until it listens. */
async function startApiProcess(
  name: string,
  env: NodeJS.ProcessEnv,
  log: ((line: string) => void) | undefined,
): Promise<ManagedProcess> {
  const api = spawnManaged(
    name,
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), join(repoRoot(), 'engine/server/src/api/main.ts')],
    { cwd: repoRoot(), env, ...(log && { log }) },
  );
  if (!(await api.waitForOutput(/api listening on/, 120_000))) {
    await api.stop();
    throw new Error(`${name} did not start:\n${api.output.toString()}`);
  }
  return api;
}

/** HAProxy in the foreground with deploy/haproxy/haproxy.cfg; resolves once both APIs pass the health check. */
export async function startProxy(
  ports: Pick<ProdPorts, 'proxy' | 'proxyStats' | 'apis'>,
  log: ((line: string) => void) | undefined,
): Promise<ManagedProcess> {
  const haproxy = existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';
  const proxy = spawnManaged('haproxy', haproxy, ['-db', '-f', join(repoRoot(), 'deploy', 'haproxy', 'haproxy.cfg')], {
    env: {
      ...process.env,
      BATON_PROXY_BIND: `127.0.0.1:${ports.proxy}`,
      BATON_PROXY_STATS: `127.0.0.1:${ports.proxyStats}`,
      BATON_API_1: `127.0.0.1:${ports.apis[0]}`,
      BATON_API_2: `127.0.0.1:${ports.apis[1]}`,
    },
    ...(log && { log }),
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const exit = proxy.exitInfo();
    if (exit) throw new Error(`haproxy exited (${exit.code ?? exit.signal}):\n${proxy.output.toString()}`);
    try {
      const stats = await fetch(`http://127.0.0.1:${ports.proxyStats}/;csv`);
      const up = (await stats.text()).split('\n').filter((line) => /^baton_api,api\d,.*,UP,/.test(line)).length;
      if (up === 2) return proxy;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await proxy.stop();
      throw new Error(`haproxy did not see both APIs ready:\n${proxy.output.toString()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function startProdStack(options: ProdStackOptions): Promise<ProdStack> {
  const started = Date.now();
  const log = options.log;
  const progress = (what: string) =>
    options.progress?.(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${what}`);
  const { ports } = options;
  const namespace = options.namespace ?? 'baton';
  const db = options.db ?? 'baton';
  const taskQueue = options.taskQueue ?? 'baton';
  const secrets = join(options.dataDir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const pgPassword = keptSecret(join(secrets, 'postgres-password'), () => randomToken(24));
  const temporalDbPassword = keptSecret(join(secrets, 'temporal-db-password'), () => randomToken(24));
  const tokenSecret = keptSecret(join(secrets, 'token-secret'), () => randomToken(48));

  const stops: (() => Promise<void>)[] = [];
  const named: { name: string; process: () => ManagedProcess | undefined }[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => log?.(`while stopping: ${String(error)}`));
    }
    stops.length = 0;
  };
  try {
    const postgresOptions = {
      dataDir: join(options.dataDir, 'postgres'),
      port: ports.postgres,
      superuserPassword: pgPassword,
      ...(log && { log }),
    };
    const first = await Promise.all([
      startPostgres(postgresOptions),
      startMongoWire({
        dataDir: join(options.dataDir, 'mongo'),
        port: ports.mongo,
        ...(options.isolatedWorker && { host: options.isolatedWorker.hostAddress }),
        startTimeoutMs: 120_000,
        ...(log && { log }),
      }),
    ]);
    let postgres: Postgres = first[0];
    const mongo = first[1];
    stops.push(
      () => postgres.stop(),
      () => mongo.stop(),
    );
    named.push({ name: 'postgres', process: () => postgres.process });
    progress(`PostgreSQL on 127.0.0.1:${ports.postgres}, ${mongo.kind} at ${mongo.uri}`);

    const dbs = {
      user: 'temporal',
      password: temporalDbPassword,
      database: 'temporal',
      visibilityDatabase: 'temporal_visibility',
    };
    const schemas = setUpTemporalSchemas(options.build, postgres, dbs);
    progress(`schemas: ${schemas.join(', ')}`);
    const startTemporal = () =>
      startTemporalServer({
        build: options.build,
        postgres,
        dbs,
        host: options.isolatedWorker?.hostAddress ?? '127.0.0.1',
        port: ports.temporal,
        httpPort: ports.temporalHttp,
        portBase: ports.temporalBase,
        ...(log && { log }),
      });
    let temporal: TemporalServer = await startTemporal();
    stops.push(() => temporal.stop());
    named.push({ name: 'temporal-server', process: () => temporal.process });
    const namespaceOutcome = await ensureNamespace(temporal.address, namespace, options.retentionDays ?? 7);
    progress(`Temporal server at ${temporal.address}, namespace ${namespace} ${namespaceOutcome}`);

    const common = {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: namespace,
      MONGODB_URI: mongo.uri,
      BATON_DB: db,
      BATON_TASK_QUEUE: taskQueue,
      ...options.env,
    };
    const isolated = options.isolatedWorker;
    const startWorker = (n: number) =>
      (n === 2 && isolated ? (o: WorkerOptions) => startWorkerInNetns(isolated, o) : startWorkerProcess)({
        temporalAddress: temporal.address,
        mongoUri: mongo.uri,
        db,
        taskQueue,
        namespace,
        readyTimeoutMs: 240_000,
        // With two workers, a killed one's conversations move to the other after 3 s, not the SDK's 10 s.
        env: { BATON_STICKY_TIMEOUT_MS: '3000', ...options.env },
        ...(log && { log: (line: string) => log(line.replace(`[worker]`, `[worker${n}]`)) }),
      });
    const workers = await Promise.all([1, 2].map(startWorker));
    workers.forEach((_worker, index) => {
      stops.push(async () => workers[index]?.stop(60_000));
      named.push({ name: `worker${index + 1}`, process: () => workers[index] });
    });
    progress('two workers ready');

    // After the workers: they put their activities in the catalog the journeys compile against.
    const store = await connectStore(mongo.uri, db);
    let seeded: string[] = [];
    let apiKey: string;
    let firstAdmin: ProdStack['firstAdmin'];
    try {
      if (options.seedExamples !== false)
        seeded = await seedExamples(store, { author: 'stack:prod', log: (line) => progress(line) });
      const users = authStoreOf(store.collection('users').db);
      await users.ensureIndexes();
      const created = await ensureFirstAdmin(users);
      if (created) {
        firstAdmin = { email: created.user.email, password: created.password };
        writeFileSync(join(secrets, 'admin-password'), `${created.password}\n`, { mode: 0o600 });
      }
      apiKey = keptSecret(join(secrets, 'api-key'), () => '');
      if (!apiKey) {
        apiKey = await issueApiKey(users, { name: 'stack:prod', roles: ['admin'], createdBy: 'stack:prod' });
        writeFileSync(join(secrets, 'api-key'), `${apiKey}\n`, { mode: 0o600 });
      }
    } finally {
      await store.close();
    }

    const startApi = (port: number, index: number) =>
      startApiProcess(
        `api${index + 1}`,
        {
          ...common,
          BATON_API_HOST: '127.0.0.1',
          BATON_API_PORT: String(port),
          BATON_TOKEN_SECRET: tokenSecret,
          // HAProxy reaches the APIs from 127.0.0.1 and appends the client's address to X-Forwarded-For.
          BATON_TRUST_PROXY: options.env?.BATON_TRUST_PROXY ?? '127.0.0.1',
          BATON_STATIC_DIR: webAppDir(),
          BATON_SHUTDOWN_GRACE_MS:
            options.env?.BATON_SHUTDOWN_GRACE_MS ?? process.env.BATON_SHUTDOWN_GRACE_MS ?? '10000',
        },
        log,
      );
    const apis = await Promise.all(ports.apis.map(startApi));
    apis.forEach((_api, index) => {
      stops.push(async () => apis[index]?.stop(30_000));
      named.push({ name: `api${index + 1}`, process: () => apis[index] });
    });
    progress('two APIs listening');

    const proxy = await startProxy(ports, log);
    stops.push(() => proxy.stop(10_000));
    named.push({ name: 'haproxy', process: () => proxy });

    const slot = (list: ManagedProcess[], index: number, what: string): ManagedProcess => {
      const found = list[index];
      if (!found) throw new Error(`there is no ${what} ${index} (0 or 1)`);
      return found;
    };
    const kill = async (child: ManagedProcess) => {
      if (child.exitInfo()) return;
      child.child.kill('SIGKILL');
      await child.exited;
    };
    const faults: ProdFaults = {
      killWorker: (index) => kill(slot(workers, index, 'worker')),
      async startWorker(index) {
        slot(workers, index, 'worker');
        workers[index] = await startWorker(index + 1);
      },
      killApi: (index) => kill(slot(apis, index, 'API')),
      async startApi(index) {
        const port = ports.apis[index];
        if (port === undefined) throw new Error(`there is no API ${index} (0 or 1)`);
        apis[index] = await startApi(port, index);
      },
      stopTemporal: () => temporal.stop(),
      async startTemporal() {
        temporal = await startTemporal();
      },
      temporalRunning: () => temporal.process.exitInfo() === undefined,
      async stopPostgres() {
        const child = postgres.process;
        if (child.exitInfo()) return;
        child.child.kill('SIGINT');
        await child.exited;
      },
      async startPostgres() {
        postgres = await startPostgres(postgresOptions);
      },
    };
    progress('HAProxy sees both APIs ready');

    return {
      proxyUrl: `http://127.0.0.1:${ports.proxy}`,
      proxyStatsUrl: `http://127.0.0.1:${ports.proxyStats}/`,
      apiUrls: ports.apis.map((port) => `http://127.0.0.1:${port}`),
      temporalAddress: temporal.address,
      temporalMetricsUrl: temporal.metricsUrl,
      postgres: `postgresql://127.0.0.1:${ports.postgres} (databases ${dbs.database}, ${dbs.visibilityDatabase})`,
      mongoUri: mongo.uri,
      mongoKind: mongo.kind,
      namespace,
      db,
      taskQueue,
      tokenSecret,
      apiKey,
      ...(firstAdmin && { firstAdmin }),
      seeded,
      workers,
      apis,
      faults,
      processes: () => [
        ...named.map(({ name, process: current }) => {
          const child = current();
          return { name, pid: child && child.exitInfo() === undefined ? child.child.pid : undefined };
        }),
        ...(mongo.kind === 'external' ? [] : [{ name: mongo.kind, pid: pidListeningOn(ports.mongo) }]),
      ],
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
