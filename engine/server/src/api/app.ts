/**
 * The HTTP API's wiring: the middleware (middleware/), then one router per resource (routes/), each
 * registering its routes from its table; the OpenAPI document is generated from the same tables.
 */
import express, { type Router } from 'express';
import type { ActivityManifest } from '@baton/schemas';
import type { Store } from '@baton/store';
import type { Conversations } from '../client';
import { createAudit } from './audit';
import { authOptionsFromEnv, authStoreOf, type AuthOptions } from './auth';
import { identityOptionsFromEnv, type IdentityOptions } from './identity';
import { BackgroundWork } from './background';
import { KnowledgeBase } from './knowledge';
import { jsonBody } from './middleware/body';
import { applyTrustProxy, trustProxyFromEnv, type TrustProxy } from './middleware/client-address';
import { messageDeadline } from './middleware/deadline';
import { apiNotFound, errorHandler } from './middleware/errors';
import { identification } from './middleware/identity';
import { createLogger, errorFields, requestLogger, type Logger } from './middleware/logger';
import {
  corsPolicy,
  customerRateLimit,
  securityHeaders,
  securityOptionsFromEnv,
  type SecurityOptions,
} from './middleware/security';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi/document';
import { routeTable } from './openapi/table';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { conversationExportRoutes } from './routes/conversation-export';
import { conversationRoutes } from './routes/conversations';
import { expectedWaitRoutes } from './routes/expected-wait';
import { diffRoutes } from './routes/diff';
import { healthRoutes, type Checks } from './routes/health';
import { InboxStreamSources, inboxRoutes } from './routes/inbox';
import { journeyRoutes } from './routes/journeys';
import { kbRoutes } from './routes/kb';
import { cannedResponseRoutes } from './routes/canned-responses';
import { typingRoutes } from './routes/typing';
import { customerRoutes } from './routes/customers';
import { retentionRoutes } from './routes/retention';
import { metricsRoutes } from './routes/metrics';
import { migrationRoutes } from './routes/migrations';
import { openapiRoutes } from './routes/openapi';
import { overlayRoutes } from './routes/overlay';
import { prometheusRoutes } from './routes/prometheus';
import { routingRoutes } from './routes/routing';
import { ticketRoutes } from './routes/tickets';
import { triageRoutes } from './routes/triage';
import { triageModelRoutes } from './routes/triage-models';
import { versionRoutes } from './routes/versions';
import { streamLimitsFromEnv, type StreamLimitOptions } from './streams/conversation-watch';

export interface ApiOptions {
  store: Store;
  conversations: Conversations;
  /** The activity catalog the workers register, for the palette and the compiler. */
  catalog: () => Promise<ActivityManifest[]> | ActivityManifest[];
  /** Link to a conversation in the Temporal UI, when one runs. */
  temporalUiUrl?: (conversationId: string) => string | undefined;
  /** Link to the Temporal UI's workflow list filtered by a visibility query, when one runs. */
  temporalUiListUrl?: (query: string) => string | undefined;
  health?: () => Promise<Checks>;
  log?: (message: string, error?: unknown) => void;
  /** Told of each conversation that starts, with its Temporal UI link: `baton dev` prints these. */
  announce?: (line: string) => void;
  /** Folder of the built web app (designer and inbox), served at `/`. */
  staticDir?: string;
  /** Interval at which the event stream looks for news in a conversation. */
  streamPollMs?: number;
  /** Open event streams per token and per IP, idle time; default from the environment (BATON_STREAMS_PER_TOKEN, BATON_STREAMS_PER_IP, BATON_STREAM_IDLE_SECONDS). */
  streamLimits?: Partial<StreamLimitOptions>;
  /** Headers, CORS and customer rate limits; default from the environment (BATON_CORS_ORIGINS, BATON_RATE_LIMIT_PER_MINUTE); `false` turns them off. */
  security?: SecurityOptions | false;
  /** Proxies whose X-Forwarded-For gives the client's address (per-IP limits, logs); default BATON_TRUST_PROXY, else none. */
  trustProxy?: TrustProxy;
  /** Structured request logs; default a pino logger at BATON_LOG_LEVEL. */
  logger?: Logger;
  /** Readiness checks for `/api/ready`; default `health`, else a Mongo ping and a Temporal call. */
  ready?: () => Promise<Checks>;
  /** Work a route goes on with after its answer (the read model after a message); a shutdown waits for it. */
  background?: BackgroundWork;
  /**
   * Access control (sessions, API keys, customer tokens). Default: on, from the environment
   * (BATON_TOKEN_SECRET…).
   * `false`: every request is open, for tests of business logic; refused when NODE_ENV=production.
   */
  auth?: AuthOptions | false;
  /** Site secrets for customers' identity tokens; default from BATON_IDENTITY_SECRET(S); `false`: none accepted. */
  identity?: IdentityOptions | false;
}

export function createApp(options: ApiOptions): express.Express {
  const background = options.background ?? new BackgroundWork();
  const { store, conversations } = options;
  const logger = options.logger ?? createLogger();
  const log = options.log ?? ((message: string, error?: unknown) => logger.error(errorFields(error), message));
  const audit = createAudit(store, log);
  const security = options.security === false ? undefined : (options.security ?? securityOptionsFromEnv());
  const auth = options.auth ?? authOptionsFromEnv();
  if (auth === false && process.env.NODE_ENV === 'production')
    throw new Error('createApp({ auth: false }) opens every route: refused when NODE_ENV=production');
  const identity = options.identity ?? identityOptionsFromEnv();
  const authStore = auth ? authStoreOf(store.collection('users').db) : undefined;
  void authStore
    ?.ensureIndexes()
    .catch((error: unknown) => log('could not create the indexes of users, sessions and API keys', error));

  const app = express();
  app.disable('x-powered-by');
  applyTrustProxy(app, options.trustProxy ?? trustProxyFromEnv());
  app.use(requestLogger(logger));
  if (security) {
    app.use(securityHeaders());
    const corsHandler = corsPolicy(security.corsOrigins ?? []);
    if (corsHandler) app.use('/api', corsHandler);
    app.use('/api', customerRateLimit(security));
  }
  app.use(jsonBody());
  app.use(messageDeadline());
  const { identify, perTokenLimit } = identification(auth, authStore);
  app.use(identify);
  if (perTokenLimit) app.use('/api', perTokenLimit);
  app.use(prometheusRoutes({ store }));

  const views = { store, conversations, log, temporalUiUrl: options.temporalUiUrl };
  const inboxStream = new InboxStreamSources(store);
  const knowledge = new KnowledgeBase(store, log);
  let document: OpenApiDocument | undefined;
  const api: Router = express.Router();
  api.use(
    ticketRoutes({ ...views, knowledge, stream: inboxStream }),
    typingRoutes({ store }),
    healthRoutes({ store, conversations, health: options.health, ready: options.ready }),
    openapiRoutes({ document: () => (document ??= buildOpenApiDocument(routeTable)) }),
    journeyRoutes({ store, audit, catalog: options.catalog }),
    versionRoutes({ store, audit }),
    // Before conversationRoutes: `/conversations/export` is not a conversation id.
    conversationExportRoutes({ store, audit, log }),
    conversationRoutes({
      ...views,
      background,
      auth: auth || undefined,
      announce: options.announce,
      streamPollMs: options.streamPollMs,
      streamLimits: options.streamLimits ?? streamLimitsFromEnv(process.env),
      identity: identity || undefined,
    }),
    inboxRoutes({ store, stream: inboxStream }),
  );
  if (auth && authStore) api.use(authRoutes({ store: authStore, options: auth, audit }));
  api.use(
    diffRoutes({ store }),
    expectedWaitRoutes({ store }),
    overlayRoutes({ store, ...(options.temporalUiListUrl && { temporalUiListUrl: options.temporalUiListUrl }) }),
    migrationRoutes({ store, conversations, log }),
    auditRoutes(audit),
    triageRoutes(),
    triageModelRoutes({ store, audit }),
    kbRoutes({ knowledge }),
    cannedResponseRoutes({ store }),
    metricsRoutes({
      store,
      ...(options.temporalUiUrl && { temporalUiUrl: options.temporalUiUrl }),
      ...(options.temporalUiListUrl && { temporalUiListUrl: options.temporalUiListUrl }),
    }),
    routingRoutes({ store }),
    customerRoutes({ store, conversations, audit }),
    retentionRoutes({ store, audit, conversations }),
  );
  app.use('/api', api);
  // Other sites embed the chat widget: its script may be loaded cross-origin (helmet says same-origin).
  app.use('/widget.js', (_req, res, next) => {
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  if (options.staticDir) app.use(express.static(options.staticDir));
  app.use('/api', apiNotFound());
  app.use(errorHandler(log));
  return app;
}
