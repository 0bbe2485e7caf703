import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  AgentMessageBody,
  AliasName,
  ClaimTicketBody,
  CustomerMessageBody,
  Id,
  PublishBody,
  ResolveTicketBody,
  RollbackAliasBody,
  SetAliasBody,
  StartConversationBody,
  SurveyBody,
  type ActivityManifest,
  type Journey,
} from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import {
  ConversationNotFoundError,
  ConversationRejectedError,
  type Conversations,
  type ConversationView,
} from '../client';
import {
  AliasRollbackError,
  AliasRoutesError,
  AliasVersionNotFoundError,
  StoreConflictError,
  StoreNotFoundError,
  liveAlias,
  routeForConversation,
  type Store,
} from '@baton/store';
import { diffRoutes } from './diff-routes';
import { overlayRoutes } from './overlay-routes';
import { HttpProblem, diagnosticsProblem, parseOrThrow, problemHandler } from './problem';
import { migrationRoutes } from './migration-routes';
import { triageRoutes } from './triage-routes';
import { InboxStreamSources, inboxRoutes } from './inbox-routes';
import { metricsRoutes } from './metrics-routes';
import { routingRoutes } from './routing-routes';
import { prometheusRoutes } from './prometheus';
import { auditRoutes, createAudit } from './audit';
import { createLogger, errorFields, requestLogger, type Logger } from './logger';
import { actingAgent, allow, hasRole, identityOf, type Identity } from './access';
import { authOptionsFromEnv, authRoutes, authStoreOf, conversationTokenFor, identify, type AuthOptions } from './auth';
import {
  corsPolicy,
  customerRateLimit,
  customerTokenRateLimit,
  securityHeaders,
  securityOptionsFromEnv,
  type SecurityOptions,
} from './security';

/** Tasks that outlive their request; `settled()` lets a graceful shutdown wait for them before the store closes. */
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();

  run(task: Promise<unknown>): void {
    const tracked = task.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(tracked);
    void tracked.then(() => this.pending.delete(tracked));
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves when every task started so far has ended, or after `withinMs` at the latest. */
  async settled(withinMs = Number.POSITIVE_INFINITY): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      if (Number.isFinite(withinMs)) timer = setTimeout(resolve, withinMs);
    });
    const drained = (async () => {
      while (this.pending.size > 0) await Promise.all([...this.pending]);
    })();
    await Promise.race([drained, late]);
    if (timer) clearTimeout(timer);
  }
}

/** A dependency's readiness from one call to it: ok when it answers, else why not. */
export async function callReadiness(call: Promise<unknown>): Promise<{ ok: boolean; detail?: string }> {
  try {
    await call;
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: String(error) };
  }
}

/** The store's readiness: a ping, and which server answered it (or why it did not). */
export async function storeReadiness(store: Store): Promise<{ ok: boolean; detail: string }> {
  try {
    return { ok: (await store.ping()) === true, detail: store.server.description };
  } catch (error) {
    return { ok: false, detail: String(error) };
  }
}

export interface ApiOptions {
  store: Store;
  conversations: Conversations;
  /** The activity catalog the workers register, for the palette and the compiler. */
  catalog: () => Promise<ActivityManifest[]> | ActivityManifest[];
  /** Link to a conversation in the Temporal UI, when one runs. */
  temporalUiUrl?: (conversationId: string) => string | undefined;
  health?: () => Promise<Record<string, { ok: boolean; detail?: string }>>;
  log?: (message: string, error?: unknown) => void;
  /** Told of each conversation that starts, with its Temporal UI link: `baton dev` prints these. */
  announce?: (line: string) => void;
  /** Folder of the built web app (designer and inbox), served at `/`. */
  staticDir?: string;
  /** Interval at which the event stream looks for news in a conversation. */
  streamPollMs?: number;
  /** Headers, CORS and customer rate limits; default from the environment (BATON_CORS_ORIGINS, BATON_RATE_LIMIT_PER_MINUTE); `false` turns them off. */
  security?: SecurityOptions | false;
  /** Structured request logs; default a pino logger at BATON_LOG_LEVEL. */
  logger?: Logger;
  /** Readiness checks for `/api/ready`; default `health`, else a Mongo ping and a Temporal call. */
  ready?: () => Promise<Record<string, { ok: boolean; detail?: string }>>;
  /** Work a route goes on with after its answer (the read model after a message); a shutdown waits for it. */
  background?: BackgroundWork;
  /**
   * Access control (sessions, API keys, customer tokens). Default: on, from the environment
   * (BATON_TOKEN_SECRET…).
   * `false`: every request is open, for tests of business logic; refused when NODE_ENV=production.
   */
  auth?: AuthOptions | false;
}

/** A journey draft is saved even while it has errors, but it has to look like a journey. */
const DraftBody = z
  .object({
    id: Id,
    name: z.string().min(1).max(200),
    // Stored as a plain field next to the encoded source, so it has to be what the journey schema says.
    description: z.string().max(2000).optional(),
    schemaVersion: z.number().int(),
    nodes: z.array(z.unknown()),
    edges: z.array(z.unknown()).default([]),
  })
  .passthrough();

const VersionParam = z.coerce.number().int().positive();
const InboxQuery = z.object({
  status: z.enum(['pending', 'open', 'resolved']).optional(),
  queue: z.string().max(100).optional(),
  assignee: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

function param(req: Request, name: string): string {
  const value = req.params[name];
  return parseOrThrow(Id, value, `path parameter "${name}"`);
}

export function createApp(options: ApiOptions): express.Express {
  const background = options.background ?? new BackgroundWork();
  const { store, conversations } = options;
  const logger = options.logger ?? createLogger();
  const log = options.log ?? ((message: string, error?: unknown) => logger.error(errorFields(error), message));
  const audit = createAudit(store, log);
  const security = options.security === false ? undefined : (options.security ?? securityOptionsFromEnv());
  const compile = async (journey: unknown) => {
    const catalog = await options.catalog();
    return compileJourney(journey, { activities: new Map(catalog.map((manifest) => [manifest.name, manifest])) });
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogger(logger));
  if (security) {
    app.use(securityHeaders());
    const corsHandler = corsPolicy(security.corsOrigins ?? []);
    if (corsHandler) app.use('/api', corsHandler);
    app.use('/api', customerRateLimit(security));
  }
  app.use(express.json({ limit: '1mb' }));
  const auth = options.auth ?? authOptionsFromEnv();
  if (auth === false && process.env.NODE_ENV === 'production')
    throw new Error('createApp({ auth: false }) opens every route: refused when NODE_ENV=production');
  const authStore = auth ? authStoreOf(store.collection('users').db) : undefined;
  void authStore
    ?.ensureIndexes()
    .catch((error: unknown) => log('could not create the indexes of users, sessions and API keys', error));
  if (auth && authStore) {
    app.use(identify(authStore, auth));
    app.use(
      '/api',
      customerTokenRateLimit({
        limit: auth.customerRequestsPerToken ?? 60,
        ...(auth.rateLimitWindowMs !== undefined && { windowMs: auth.rateLimitWindowMs }),
      }),
    );
  } else {
    app.use((_req, res, next) => {
      res.locals.identity = { kind: 'open' } satisfies Identity;
      next();
    });
  }
  app.use(prometheusRoutes({ store }));
  const api: Router = express.Router();

  // A ticket changed through this process (claim, reply, resolve, notes…): the inbox's next read is fresh.
  const inboxStream = new InboxStreamSources(store);
  api.use('/tickets', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const done = inboxStream.changing();
      res.on('finish', done);
      res.on('close', done);
    }
    next();
  });

  api.get('/health', allow('public'), async (_req, res) => {
    const checks = options.health ? await options.health() : {};
    const ok = Object.values(checks).every((check) => check.ok);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks });
  });

  api.get('/ready', allow('public'), async (_req, res) => {
    const checks = await (options.ready ?? options.health ?? defaultReadiness)();
    const failing = Object.entries(checks).filter(([, check]) => !check.ok);
    if (failing.length > 0)
      throw new HttpProblem(
        503,
        'Not ready',
        failing.map(([name, check]) => `${name}: ${check.detail ?? 'failing'}`).join('; '),
      );
    res.json({ status: 'ready', checks });
  });

  // Journeys: drafts, validation, publishing, versions.
  api.get('/journeys', allow('designer'), async (_req, res) => {
    res.json({ journeys: await store.listJourneys() });
  });

  api.post('/journeys', allow('designer'), async (req, res) => {
    const draft = parseOrThrow(DraftBody, req.body) as unknown as Journey;
    await store.createDraft(draft);
    res
      .status(201)
      .location(`/api/journeys/${draft.id}`)
      .json({ journey: draft, diagnostics: (await compile(draft)).diagnostics });
  });

  api.get('/journeys/:id', allow('designer'), async (req, res) => {
    const draft = await store.getDraft(param(req, 'id'));
    if (!draft) throw new HttpProblem(404, 'Journey not found', `no journey "${req.params.id}"`);
    res.json({ journey: draft, diagnostics: (await compile(draft)).diagnostics });
  });

  api.put('/journeys/:id', allow('designer'), async (req, res) => {
    const id = param(req, 'id');
    const draft = parseOrThrow(DraftBody, req.body) as unknown as Journey;
    if (draft.id !== id)
      throw new HttpProblem(
        400,
        'Invalid request body',
        `/id: the body's id "${draft.id}" differs from the path's "${id}"`,
        [{ path: '/id', message: `must be "${id}"` }],
      );
    await store.saveDraft(id, draft);
    res.json({ journey: draft, diagnostics: (await compile(draft)).diagnostics });
  });

  api.post('/journeys/:id/validate', allow('designer'), async (req, res) => {
    const id = param(req, 'id');
    const body: unknown =
      req.body && typeof req.body === 'object' && Object.keys(req.body as object).length > 0
        ? req.body
        : await store.getDraft(id);
    if (!body) throw new HttpProblem(404, 'Journey not found', `no journey "${id}"`);
    const result = await compile(body);
    res.json({ ok: result.ok, diagnostics: result.diagnostics, ...(result.ok && { hash: result.journey.hash }) });
  });

  api.post('/journeys/:id/publish', allow('designer'), async (req, res) => {
    const id = param(req, 'id');
    const { message, author } = parseOrThrow(PublishBody, req.body ?? {});
    const draft = await store.getDraft(id);
    if (!draft) throw new HttpProblem(404, 'Journey not found', `no journey "${id}"`);
    const result = await compile(draft);
    if (!result.ok) throw diagnosticsProblem(422, 'The journey has errors', result.diagnostics);
    const published = await store.publishVersion({
      journeyId: id,
      source: draft,
      compiled: result.journey,
      ...(author && { author }),
      ...(message && { message }),
    });
    await audit.record(res, {
      action: 'publish',
      journeyId: id,
      version: published.version,
      actor: author,
      details: { created: published.created, hash: published.hash },
    });
    res.status(published.created ? 201 : 200).json({
      id,
      version: published.version,
      hash: published.hash,
      created: published.created,
      ref: `${id}@${published.version}`,
    });
  });

  api.get('/journeys/:id/versions', allow('designer'), async (req, res) => {
    res.json({ versions: await store.listVersions(param(req, 'id')) });
  });

  api.get('/journeys/:id/versions/:version', allow('designer'), async (req, res) => {
    const version = parseOrThrow(VersionParam, req.params.version, 'path parameter "version"');
    const found = await store.getVersion(param(req, 'id'), version);
    if (!found) throw new HttpProblem(404, 'Version not found', `no version ${version} of journey "${req.params.id}"`);
    res.json(found);
  });

  // Aliases: named pointers at versions (one, or two with a canary split); every change is in the history.
  const aliasParam = (req: Request) => parseOrThrow(AliasName, req.params.alias, 'path parameter "alias"');

  api.get('/journeys/:id/aliases', allow('designer'), async (req, res) => {
    res.json({ aliases: await store.listAliases(param(req, 'id')) });
  });

  api.get('/journeys/:id/aliases/:alias', allow('designer'), async (req, res) => {
    const id = param(req, 'id');
    const alias = aliasParam(req);
    const found = await store.getAlias(id, alias);
    if (!found) throw new HttpProblem(404, 'Alias not found', `journey "${id}" has no alias "${alias}"`);
    res.json({ alias: found });
  });

  api.put('/journeys/:id/aliases/:alias', allow('designer'), async (req, res) => {
    const id = param(req, 'id');
    const alias = aliasParam(req);
    const body = parseOrThrow(SetAliasBody, req.body);
    const routes = body.routes ?? (body.version !== undefined ? [{ version: body.version, percent: 100 }] : []);
    try {
      const result = await store.setAlias(id, alias, routes, body.author);
      await audit.record(res, {
        action: 'alias.set',
        journeyId: id,
        alias,
        versions: routes.map((route) => route.version),
        actor: body.author,
        details: { changed: result.changed, revision: result.alias.revision },
      });
      res.status(result.alias.revision === 1 && result.changed ? 201 : 200).json(result);
    } catch (error) {
      if (error instanceof AliasVersionNotFoundError) {
        const index = routes.findIndex((route) => route.version === error.version);
        const path = body.routes ? `/routes/${index}/version` : '/version';
        throw new HttpProblem(404, 'Version not found', `${path}: ${error.message}`, [
          { path, message: `version ${error.version} is not published` },
        ]);
      }
      if (error instanceof AliasRoutesError)
        throw new HttpProblem(400, 'Invalid request body', `/routes: ${error.message}`, [
          { path: '/routes', message: error.message },
        ]);
      throw error;
    }
  });

  api.post('/journeys/:id/aliases/:alias/rollback', allow('designer'), async (req, res) => {
    const id = param(req, 'id');
    const alias = aliasParam(req);
    const { author } = parseOrThrow(RollbackAliasBody, req.body ?? {});
    try {
      const rolledBack = await store.rollbackAlias(id, alias, author);
      await audit.record(res, {
        action: 'alias.rollback',
        journeyId: id,
        alias,
        versions: rolledBack.alias.routes.map((route) => route.version),
        actor: author,
      });
      res.json(rolledBack);
    } catch (error) {
      if (error instanceof AliasRollbackError) throw new HttpProblem(409, 'Nothing to roll back', error.message);
      throw error;
    }
  });

  api.get('/journeys/:id/aliases/:alias/history', allow('designer'), async (req, res) => {
    const id = param(req, 'id');
    const alias = aliasParam(req);
    const history = await store.aliasHistory(id, alias);
    if (history.length === 0) throw new HttpProblem(404, 'Alias not found', `journey "${id}" has no alias "${alias}"`);
    res.json({ history });
  });

  api.get('/activities', allow('designer', 'agent'), async (_req, res) => {
    res.json({ activities: await options.catalog() });
  });

  // Conversations.
  const withLink = (view: ConversationView) => ({
    conversation: view,
    temporalUrl: options.temporalUiUrl?.(view.conversationId),
  });
  const project = async (view: ConversationView) => {
    // The projection is a read model; losing one write only delays what the list shows.
    try {
      await store.saveConversation(view);
    } catch (error) {
      log(`could not project conversation ${view.conversationId}`, error);
    }
  };

  const mayReadConversation = (res: Response, conversationId: string) => {
    const identity = identityOf(res);
    return (
      hasRole(identity, 'agent') ||
      hasRole(identity, 'designer') ||
      (identity?.kind === 'customer' && identity.conversationId === conversationId)
    );
  };
  const conversationExists = async (conversationId: string) => {
    if (await store.getConversation(conversationId)) return true;
    try {
      await conversations.get(conversationId);
      return true;
    } catch (error) {
      if (error instanceof ConversationNotFoundError) return false;
      throw error;
    }
  };

  /** The full conversation, read from the workflow, projected for lists, and answered. */
  const freshView = async (conversationId: string) => {
    const view = await conversations.get(conversationId);
    await project(view);
    return view;
  };

  api.post('/conversations', allow('public'), async (req, res) => {
    const body = parseOrThrow(StartConversationBody, req.body);
    const conversationId = body.conversationId ?? `conv-${randomUUID()}`;
    // Starting again with an existing id answers that conversation (and its token): only its own customer or staff may.
    if (
      auth &&
      body.conversationId !== undefined &&
      !mayReadConversation(res, body.conversationId) &&
      (await conversationExists(body.conversationId))
    ) {
      throw new HttpProblem(
        409,
        'Conversation exists',
        `/conversationId: a conversation "${body.conversationId}" already exists; omit conversationId to start a new one`,
        [{ path: '/conversationId', message: 'already exists' }],
      );
    }
    // The version: as given; else the alias's route for this conversation (the named alias, or `live` when there is one); else the latest.
    let wanted = body.version;
    let usedAlias: string | null = null;
    if (wanted === undefined) {
      const alias = await store.getAlias(body.journeyId, body.alias ?? liveAlias);
      if (alias) {
        wanted = routeForConversation(alias.routes, conversationId).version;
        usedAlias = alias.alias;
      } else if (body.alias !== undefined) {
        throw new HttpProblem(
          404,
          'Alias not found',
          `/alias: journey "${body.journeyId}" has no alias "${body.alias}"`,
          [{ path: '/alias', message: `no alias "${body.alias}"` }],
        );
      }
    }
    const version = await store.getVersion(body.journeyId, wanted);
    if (!version) {
      const what = wanted
        ? `version ${wanted} of journey "${body.journeyId}"`
        : `a published version of journey "${body.journeyId}"`;
      const path = body.version ? '/version' : usedAlias ? '/alias' : '/journeyId';
      throw new HttpProblem(404, 'Journey version not found', `there is no ${what}`, [
        { path, message: 'not published' },
      ]);
    }
    const view = await conversations.start({
      conversationId,
      journey: version.compiled,
      customer: body.customer,
      variables: body.variables,
      channel: body.channel,
    });
    await project(view);
    const link = options.temporalUiUrl?.(conversationId);
    options.announce?.(
      `conversation ${conversationId} started on ${version.journeyId}@${version.version}${usedAlias ? ` (alias ${usedAlias})` : ''}${link ? `: ${link}` : ''}`,
    );
    // A second start with the same id answers the existing conversation: say the version it really runs.
    res
      .status(201)
      .location(`/api/conversations/${conversationId}`)
      .json({
        conversationId,
        journeyId: version.journeyId,
        version: view.journey.version,
        alias: usedAlias,
        ...withLink(view),
        ...(auth && { token: conversationTokenFor(conversationId, auth) }),
      });
  });

  api.get('/conversations/:id', allow('customer', 'agent'), async (req, res) => {
    const id = param(req, 'id');
    try {
      res.json(withLink(await conversations.get(id)));
    } catch (error) {
      if (!(error instanceof ConversationNotFoundError)) throw error;
      const stored = await store.getConversation(id);
      if (!stored) throw error;
      res.json({ conversation: stored, temporalUrl: options.temporalUiUrl?.(id) });
    }
  });

  api.post('/conversations/:id/messages', allow('customer', 'agent'), async (req, res) => {
    const id = param(req, 'id');
    const message = parseOrThrow(CustomerMessageBody, req.body);
    const result = await conversations.sendMessage(id, message);
    res.status(result.duplicate ? 200 : 201).json(result);
    // The reply does not wait for the read model (a graceful shutdown does).
    background.run(freshView(id).catch((error: unknown) => log(`could not project conversation ${id}`, error)));
  });

  api.post('/conversations/:id/survey', allow('customer', 'agent'), async (req, res) => {
    const id = param(req, 'id');
    const answer = parseOrThrow(SurveyBody, req.body);
    await conversations.answerSurvey(id, answer);
    res.json(withLink(await freshView(id)));
  });

  api.get('/conversations/:id/stream', allow('customer', 'agent'), async (req, res) => {
    const id = param(req, 'id');
    let view = await conversations.get(id);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let sent = 0;
    let lastStatus = '';
    const push = (current: ConversationView) => {
      for (const entry of current.transcript.slice(sent))
        res.write(`event: message\nid: ${entry.seq}\ndata: ${JSON.stringify(entry)}\n\n`);
      sent = current.transcript.length;
      const status = `${current.status}:${current.nodeId ?? ''}:${current.waiting?.kind ?? ''}`;
      if (status !== lastStatus) {
        lastStatus = status;
        res.write(
          `event: state\ndata: ${JSON.stringify({ status: current.status, nodeId: current.nodeId, waiting: current.waiting, outcome: current.outcome })}\n\n`,
        );
      }
    };
    const lastEventId = Number(req.header('last-event-id'));
    if (Number.isInteger(lastEventId) && lastEventId > 0) sent = Math.min(lastEventId, view.transcript.length);
    push(view);
    let closed = false;
    req.on('close', () => {
      closed = true;
    });
    // Temporal holds the truth; the stream reads it at a short interval and sends what is new.
    while (!closed && view.status !== 'ended') {
      await new Promise((resolve) => setTimeout(resolve, options.streamPollMs ?? 500));
      if (closed) break;
      try {
        view = await conversations.get(id);
        push(view);
      } catch (error) {
        log(`stream of ${id} stopped`, error);
        break;
      }
    }
    res.end();
  });

  // The agents' inbox.
  api.get('/inbox', allow('agent'), async (req, res) => {
    const query = parseOrThrow(InboxQuery, req.query, 'query');
    res.json({ tickets: await store.listTickets(query) });
  });

  const ticketOf = async (req: Request) => {
    const ticket = await store.getTicket(param(req, 'id'));
    if (!ticket) throw new HttpProblem(404, 'Ticket not found', `no ticket "${req.params.id}"`);
    return ticket;
  };

  api.post('/tickets/:id/claim', allow('agent'), async (req, res: Response) => {
    const agent = actingAgent(res, parseOrThrow(ClaimTicketBody, req.body).agent);
    const ticket = await ticketOf(req);
    // The store decides who wins a race between two agents (pending → open happens once); then the conversation hears of it.
    await store.claimTicket(ticket.ticketId, agent);
    await conversations.claim(ticket.conversationId, agent);
    res.json({ ticket: await store.getTicket(ticket.ticketId), ...withLink(await freshView(ticket.conversationId)) });
  });

  api.post('/tickets/:id/messages', allow('agent'), async (req, res) => {
    const body = parseOrThrow(AgentMessageBody, req.body);
    const ticket = await ticketOf(req);
    await conversations.agentAction(ticket.conversationId, {
      type: 'message',
      ...body,
      agent: actingAgent(res, body.agent),
    });
    res.status(201).json(withLink(await freshView(ticket.conversationId)));
  });

  api.post('/tickets/:id/resolve', allow('agent'), async (req, res) => {
    const body = parseOrThrow(ResolveTicketBody, req.body);
    const agent = actingAgent(res, body.agent);
    const ticket = await ticketOf(req);
    await conversations.agentAction(ticket.conversationId, {
      type: 'resolve',
      agent,
      ...(body.resolution !== undefined && { resolution: body.resolution }),
    });
    await store.resolveTicket(ticket.ticketId, agent, body.resolution);
    res.json({ ticket: await store.getTicket(ticket.ticketId), ...withLink(await freshView(ticket.conversationId)) });
  });

  if (auth && authStore) api.use(authRoutes({ store: authStore, options: auth, audit }));
  api.use(diffRoutes({ store }));
  api.use(overlayRoutes({ store }));
  api.use(migrationRoutes({ store, conversations, log }));
  api.use(auditRoutes(audit));
  api.use(triageRoutes());
  api.use(inboxRoutes({ store, conversations, log, stream: inboxStream }));
  api.use(metricsRoutes({ store }));
  api.use(routingRoutes({ store }));
  app.use('/api', api);
  // Other sites embed the chat widget: its script may be loaded cross-origin (helmet says same-origin).
  app.use('/widget.js', (_req, res, next) => {
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  if (options.staticDir) app.use(express.static(options.staticDir));
  app.use('/api', (req, _res, next) =>
    next(new HttpProblem(404, 'Not found', `no route ${req.method} ${req.originalUrl}`)),
  );
  app.use(
    problemHandler(
      (error) => {
        if (error instanceof ConversationNotFoundError)
          return new HttpProblem(404, 'Conversation not found', error.message);
        if (error instanceof ConversationRejectedError)
          return new HttpProblem(409, 'Conversation refused the request', error.message);
        if (error instanceof StoreNotFoundError) return new HttpProblem(404, 'Not found', error.message);
        if (error instanceof StoreConflictError) return new HttpProblem(409, 'Conflict', error.message);
        if (
          error instanceof Error &&
          /ECONNREFUSED|MongoServerSelectionError|MongoNetworkError|UNAVAILABLE/.test(`${error.name} ${error.message}`)
        ) {
          return new HttpProblem(
            503,
            'A backing service is unavailable',
            'Temporal or MongoDB cannot be reached; retry shortly',
          );
        }
        return undefined;
      },
      (error) => log('unhandled API error', error),
    ),
  );
  return app;

  async function defaultReadiness(): Promise<Record<string, { ok: boolean; detail?: string }>> {
    const [mongodb, temporal] = await Promise.all([
      storeReadiness(store),
      callReadiness(conversations.client.workflowService.getSystemInfo({})),
    ]);
    return { mongodb, temporal };
  }
}
