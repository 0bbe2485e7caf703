import { temporalSettingsFromEnv, type TemporalTls } from '@baton/config';
import type { Server, ServerResponse } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { Conversations } from '../client';
import { connectStore, slowStoreMsFromEnv, type SlowStoreCommand, type Store } from '@baton/store';
import { createApp } from './app';
import { BackgroundWork } from './background';
import { ensureRetentionSchedule } from './retention-schedule';
import { callReadiness, storeReadiness } from './routes/health';
import { authOptionsFromEnv, authStoreOf, firstAdminFromEnv, type AuthOptions } from './auth';
import { identityOptionsFromEnv, type IdentityOptions } from './identity';
import { updateRetryBudgetMs } from './middleware/deadline';
import { createLogger, errorFields, type Logger } from './middleware/logger';
import type { SecurityOptions } from './middleware/security';
import { trustProxyFromEnv, type TrustProxy } from './middleware/client-address';
import { tracingClientInterceptors, tracingFromEnv, type Tracing } from '@baton/telemetry';

export interface ApiConfig {
  temporalAddress: string;
  namespace: string;
  /** TLS or mutual TLS to Temporal (a cluster, Temporal Cloud); absent: plaintext (the local dev server). */
  temporalTls?: TemporalTls;
  /** A Temporal Cloud API key. */
  temporalApiKey?: string;
  mongoUri: string;
  db: string;
  taskQueue: string;
  host: string;
  port: number;
  /** Base URL of the Temporal web UI, for links to each conversation's history. */
  temporalUiUrl?: string;
  staticDir?: string;
  /** Receives one line per conversation started (with its Temporal UI link). */
  announce?: (line: string) => void;
  /** Access control; default from the environment. Always on: the API never serves open routes. */
  auth?: AuthOptions;
  /** Site secrets for customers' identity tokens; default from BATON_IDENTITY_SECRET(S); `false`: none accepted. */
  identity?: IdentityOptions | false;
  /** Headers, CORS and per-IP limits; default from the environment. Load drivers (fault suite, benchmark) turn the per-IP limit off. */
  security?: SecurityOptions;
  /** Proxies whose X-Forwarded-For is believed (BATON_TRUST_PROXY); none by default. */
  trustProxy?: TrustProxy;
  /** Time in-flight requests get to finish on close() before their connections are cut (default 30 s, BATON_SHUTDOWN_GRACE_MS). */
  shutdownGraceMs?: number;
  /** Traces of the Temporal client calls; default from BATON_OTEL_EXPORTER (off unless set). */
  tracing?: Tracing | false;
  /** Log store commands at least this slow, with their filter's shape (BATON_SLOW_STORE_MS). */
  slowStoreMs?: number;
  /** Receives each slow store command instead of the log (a benchmark sums them). */
  onSlowStoreCommand?: (command: SlowStoreCommand) => void;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Access control for a server: on, from the environment. Customer tokens must survive restarts and
 * be shared by every API process, so outside localhost BATON_TOKEN_SECRET has to be set.
 */
export function serverAuthOptions(host: string, env: NodeJS.ProcessEnv = process.env): AuthOptions {
  const local = loopbackHosts.has(host);
  if (!local && !env.BATON_TOKEN_SECRET) {
    throw new Error(
      `the API is asked to listen on ${host}, beyond this machine, but BATON_TOKEN_SECRET is not set: set it (at least 32 characters, e.g. \`openssl rand -base64 48\`) or listen on 127.0.0.1`,
    );
  }
  return authOptionsFromEnv(env, { requireSecret: !local });
}

/** Reads the same variables in `baton dev`, docker-compose and production. */
export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const slowStoreMs = slowStoreMsFromEnv(env);
  const temporal = temporalSettingsFromEnv(env);
  const trustProxy = trustProxyFromEnv(env);
  return {
    temporalAddress: temporal.address,
    namespace: temporal.namespace,
    ...(temporal.tls && { temporalTls: temporal.tls }),
    ...(temporal.apiKey && { temporalApiKey: temporal.apiKey }),
    mongoUri: env.MONGODB_URI || 'mongodb://127.0.0.1:27017',
    db: env.BATON_DB || 'baton',
    taskQueue: env.BATON_TASK_QUEUE || 'baton',
    host: env.BATON_API_HOST || '127.0.0.1',
    port: Number(env.BATON_API_PORT || 4000),
    ...(env.BATON_TEMPORAL_UI_URL && { temporalUiUrl: env.BATON_TEMPORAL_UI_URL }),
    ...(env.BATON_SHUTDOWN_GRACE_MS && { shutdownGraceMs: Number(env.BATON_SHUTDOWN_GRACE_MS) }),
    ...(slowStoreMs !== undefined && { slowStoreMs }),
    ...(trustProxy && { trustProxy }),
    // The built web app (designer and inbox); the Docker image builds it into designer/dist.
    ...(env.BATON_STATIC_DIR && { staticDir: env.BATON_STATIC_DIR }),
  };
}

export interface RunningApi {
  url: string;
  server: Server;
  store: Store;
  conversations: Conversations;
  /**
   * Graceful stop: no new connections, /api/ready answers 503, event streams end (clients reconnect
   * elsewhere with Last-Event-ID), in-flight requests finish (up to the grace time), then the
   * Temporal connection and the store close.
   */
  close(): Promise<void>;
}

/** Connects to Temporal and MongoDB and serves the API until `close()`. */
export async function startApi(
  config: ApiConfig,
  log?: (message: string, error?: unknown) => void,
  logger: Logger = createLogger(),
): Promise<RunningApi> {
  log ??= (message: string, error?: unknown) => logger.error(errorFields(error), message);
  // Checked before connecting to anything: a misconfiguration is said at once.
  const auth = config.auth ?? serverAuthOptions(config.host);
  const identity = config.identity ?? identityOptionsFromEnv() ?? false;
  const slowStoreMs = config.slowStoreMs;
  const store = await connectStore(config.mongoUri, config.db, {
    ...(slowStoreMs !== undefined && {
      slowCommands: {
        thresholdMs: slowStoreMs,
        report: config.onSlowStoreCommand ?? ((command) => logger.warn({ store: command }, 'slow store command')),
      },
    }),
  });
  logger.info({ store: store.server.description }, 'store connected');
  // A fresh server has no user: BATON_ADMIN_EMAIL / BATON_ADMIN_PASSWORD name the first admin (`baton dev` makes its own).
  const firstAdmin = await firstAdminFromEnv(authStoreOf(store.collection('users').db));
  if (firstAdmin) logger.info('first admin created from BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD');
  const tracing = config.tracing === undefined ? tracingFromEnv('baton-api') : config.tracing || undefined;
  const connection = await Connection.connect({
    address: config.temporalAddress,
    ...(config.temporalTls && { tls: config.temporalTls }),
    ...(config.temporalApiKey && { apiKey: config.temporalApiKey }),
  });
  const client = new Client({ connection, namespace: config.namespace, interceptors: tracingClientInterceptors() });
  let stopping = false;
  const conversations = new Conversations(client, config.taskQueue, (message) => logger.warn(message), {
    budgetMs: updateRetryBudgetMs(),
  });
  // The daily retention run (issue 16): created once, by whichever API process starts first.
  await ensureRetentionSchedule(client, { taskQueue: config.taskQueue }).catch((error: unknown) =>
    logger.warn(errorFields(error), 'could not create the retention schedule baton-retention'),
  );
  const uiBase = config.temporalUiUrl?.replace(/\/$/, '');
  const background = new BackgroundWork();
  const app = createApp({
    background,
    store,
    conversations,
    catalog: () => store.listActivities(),
    log,
    logger,
    auth,
    identity,
    ...(config.security && { security: config.security }),
    ...(config.trustProxy !== undefined && { trustProxy: config.trustProxy }),
    ...(config.staticDir && { staticDir: config.staticDir }),
    ...(config.announce && { announce: config.announce }),
    ...(uiBase && {
      temporalUiUrl: (id: string) =>
        `${uiBase}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(id)}`,
      temporalUiListUrl: (query: string) =>
        `${uiBase}/namespaces/${encodeURIComponent(config.namespace)}/workflows?query=${encodeURIComponent(query)}`,
    }),
    health,
    // A stopping process is not ready: load balancers stop sending it new work.
    ready: async () => (stopping ? { shutdown: { ok: false, detail: 'this API process is shutting down' } } : health()),
  });
  async function health() {
    const [mongodb, temporal] = await Promise.all([
      storeReadiness(store),
      callReadiness(connection.healthService.check({})),
    ]);
    return { mongodb, temporal };
  }
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, () => resolve(listening));
    listening.once('error', reject);
  });
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const graceMs = config.shutdownGraceMs ?? 30_000;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.host}:${port}`,
    server,
    store,
    conversations,
    close() {
      closing ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Event streams never finish by themselves: end them; the browser reconnects (to another process) with Last-Event-ID.
        for (const res of inFlight)
          if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) res.socket?.destroy();
        // Keep-alive connections with no request in flight are closed now, the others as soon as their answer is sent.
        server.closeIdleConnections();
        const sweeper = setInterval(() => server.closeIdleConnections(), 100);
        let timer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), graceMs);
        });
        const outcome = await Promise.race([closed.then(() => 'drained' as const), graceOver]);
        clearInterval(sweeper);
        if (timer) clearTimeout(timer);
        if (outcome === 'timeout') {
          log?.(`shutdown: ${inFlight.size} request(s) still running after ${graceMs} ms; closing their connections`);
          server.closeAllConnections();
          await closed;
        }
        // The read model writes that answered requests left running (bounded: each is a store write).
        await background.settled(5_000);
        await connection.close();
        await store.close();
        await tracing?.shutdown();
      })();
      return closing;
    },
  };
}
