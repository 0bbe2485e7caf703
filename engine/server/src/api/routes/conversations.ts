/** Conversations: started by anyone (the widget), then read, written to and streamed by its customer or an agent. */
import { randomUUID } from 'node:crypto';
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import {
  ConversationAnswer,
  CustomerConversationAnswer,
  CustomerMessageBody,
  StartConversationBody,
  SurveyBody,
} from '@baton/schemas';
import { customerMessageAnswer } from '@baton/core/interpreter';
import { liveAlias, routeForConversation } from '@baton/store';
import {
  ConversationExistsError,
  ConversationNotFoundError,
  ConversationRejectedError,
  type ConversationView,
} from '../../client';
import { identityOf } from '../access';
import { conversationTokenFor, type AuthOptions } from '../auth';
import type { BackgroundWork } from '../background';
import { ConversationAudience, readsCustomerView, readsStaffView } from '../conversation-audience';
import type { IdentityOptions } from '../identity';
import { HttpProblem, parseOrThrow } from '../problem';
import { startCustomer, startVariables } from '../start-inputs';
import { ConversationStreams } from '../streams/conversation-stream';
import type { StreamLimitOptions } from '../streams/conversation-watch';
import { register, route } from './route';
import { conversationViews, idParam, type ConversationViewsOptions } from './shared';

const tag = 'conversations';
export const conversationsTable = {
  start: route({
    method: 'post',
    path: '/api/conversations',
    audience: ['public'],
    tag,
    summary:
      'Start a conversation on a version, an alias or the latest version; answers it and, with access control, its customer token',
    body: StartConversationBody,
    statuses: [201],
  }),
  get: route({
    method: 'get',
    path: '/api/conversations/:id',
    audience: ['customer', 'agent'],
    tag,
    summary:
      "The conversation: live from its workflow, else its stored projection; to its customer's token, the customer view",
    response: z.union([ConversationAnswer, CustomerConversationAnswer]),
  }),
  message: route({
    method: 'post',
    path: '/api/conversations/:id/messages',
    // Only the customer speaks as the customer: agents act through the ticket routes.
    audience: ['customer'],
    tag,
    summary: "Send the customer's message (200 when its clientMessageId was sent already)",
    body: CustomerMessageBody,
    statuses: [201, 200],
  }),
  survey: route({
    method: 'post',
    path: '/api/conversations/:id/survey',
    audience: ['customer'],
    tag,
    summary: "The customer's answer to the satisfaction survey; answers the customer view",
    body: SurveyBody,
    response: z.union([ConversationAnswer, CustomerConversationAnswer]),
  }),
  stream: route({
    method: 'get',
    path: '/api/conversations/:id/stream',
    audience: ['customer', 'agent'],
    tag,
    summary: 'Server-sent events: `message` for each transcript entry, `state` when the status changes',
    produces: 'text/event-stream',
  }),
};

export interface ConversationRoutesOptions extends ConversationViewsOptions {
  background: BackgroundWork;
  /** Access control, for the customer token a start answers; undefined when it is off. */
  auth: AuthOptions | undefined;
  /** Told of each conversation that starts, with its Temporal UI link: `baton dev` prints these. */
  announce?: (line: string) => void;
  /** Interval at which the event stream looks for news in a conversation. */
  streamPollMs?: number;
  /** Caps on open event streams per token and per IP, and the idle time after which one closes. */
  streamLimits?: Partial<StreamLimitOptions>;
  /** What each reader sees of a conversation (made from the store when not given). */
  audience?: ConversationAudience;
  /** Site secrets for identity tokens; undefined: no token is accepted and every customer is unverified. */
  identity?: IdentityOptions;
}

export function conversationRoutes(options: ConversationRoutesOptions): Router {
  const { store, conversations, log, background, auth } = options;
  const { withLink, project, answeredView } = conversationViews(options);
  const router: Router = express.Router();
  const audience = options.audience ?? new ConversationAudience(store, () => store.listActivities());
  const streams = new ConversationStreams({
    conversations,
    audience,
    typing: (conversationId) => store.typing.current(conversationId),
    log,
    ...(options.streamPollMs !== undefined && { pollMs: options.streamPollMs }),
    ...(options.streamLimits && { limits: options.streamLimits }),
  });

  /** Only the holder of a conversation's customer token may start "again" with its id (no staff role holds one). */
  const holdsTokenOf = (res: Response, conversationId: string) => {
    const identity = identityOf(res);
    return identity?.kind === 'open' || (identity?.kind === 'customer' && identity.conversationId === conversationId);
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
  const exists = (conversationId: string, ended: boolean) =>
    new HttpProblem(
      409,
      'Conversation exists',
      `/conversationId: a conversation "${conversationId}" already exists${ended ? ' and has ended' : ''}; omit conversationId to start a new one`,
      [{ path: '/conversationId', message: ended ? 'already exists (ended)' : 'already exists' }],
    );

  register(router, conversationsTable.start, async (req, res) => {
    const body = parseOrThrow(conversationsTable.start.body, req.body);
    // Checked first: a refused identity token starts nothing.
    const customer = startCustomer(body, options.identity, Date.now());
    const conversationId = body.conversationId ?? `conv-${randomUUID()}`;
    // Starting again with an existing id answers that conversation (and its token): only its own customer may.
    const holdsToken = body.conversationId !== undefined && holdsTokenOf(res, body.conversationId);
    if (body.conversationId !== undefined && !holdsToken && (await conversationExists(body.conversationId)))
      throw exists(body.conversationId, false);
    // Past Temporal's retention only the store remembers a conversation: it never starts again under its id.
    const stored = holdsToken ? await store.getConversation(conversationId) : null;
    if (stored && stored.journeyId !== body.journeyId) throw exists(conversationId, stored.status === 'ended');
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
    const variables = startVariables(version.compiled, body.variables);
    const startOrAnswer = () =>
      conversations
        .start(
          {
            conversationId,
            journey: version.compiled,
            customer,
            variables,
            channel: body.channel,
          },
          // Without the token only one start wins an id (several at once: the others are refused).
          { onExisting: holdsToken ? 'answer' : 'refuse' },
        )
        .catch(async (error: unknown) => {
          if (!(error instanceof ConversationExistsError)) throw error;
          // An ended conversation answers its own customer back, on its own journey only: it never starts again.
          if (holdsToken && error.ended && error.journeyId === body.journeyId) return conversations.get(conversationId);
          throw exists(conversationId, error.ended);
        });
    // An ended conversation the store remembers is answered as stored, never started again.
    const view: ConversationView = stored?.status === 'ended' ? stored : await startOrAnswer();
    // Its own customer gets it back on the journey it runs, never answered as if started on another.
    if (view.journey.id !== version.journeyId) throw exists(conversationId, view.status === 'ended');
    await project(view);
    const link = options.temporalUiUrl?.(conversationId);
    options.announce?.(
      `conversation ${conversationId} started on ${version.journeyId}@${version.version}${usedAlias ? ` (alias ${usedAlias})` : ''}${link ? `: ${link}` : ''}`,
    );
    // A second start with the same id answers the existing conversation: say the version it really runs.
    // Whoever is not staff (the widget, the customer) reads the customer view, never the Temporal link.
    const answer = readsStaffView(identityOf(res))
      ? withLink(await audience.staffView(view))
      : { conversation: await audience.customerView(view) };
    res
      .status(201)
      .location(`/api/conversations/${conversationId}`)
      .json({
        conversationId,
        journeyId: version.journeyId,
        version: view.journey.version,
        alias: usedAlias,
        ...answer,
        ...(auth && { token: conversationTokenFor(conversationId, auth) }),
      });
  });

  register(router, conversationsTable.get, async (req, res) => {
    const id = idParam(req);
    let view: ConversationView;
    try {
      view = await conversations.get(id);
    } catch (error) {
      if (!(error instanceof ConversationNotFoundError)) throw error;
      const stored = await store.getConversation(id);
      if (!stored) throw error;
      view = stored;
    }
    // The customer's token reads the customer view; staff the whole conversation, its secrets hidden.
    if (readsCustomerView(identityOf(res))) res.json({ conversation: await audience.customerView(view) });
    else res.json(withLink(await audience.staffView(view)));
  });

  register(router, conversationsTable.message, async (req, res) => {
    const id = idParam(req);
    const message = parseOrThrow(conversationsTable.message.body, req.body);
    const { view, changes, ...result } = await conversations.sendMessage(id, message);
    // Only the customer writes here (or anyone, with access control off in tests): the customer reads
    // what they may (no intent, sentiment or handoff record).
    res
      .status(result.duplicate ? 200 : 201)
      .json(readsCustomerView(identityOf(res)) ? customerMessageAnswer(result) : result);
    // The reply does not wait for the read model (a graceful shutdown does), written from what the
    // Update answered (shared.ts answeredView).
    background.run(
      answeredView(id, { view, changes }).then(
        () => undefined,
        (error: unknown) => log(`could not project conversation ${id}`, error),
      ),
    );
  });

  /**
   * A survey answer has no client id as a message has: a client that sends it again because the
   * first answer's reply was cut off (a proxy, a network) meets a conversation that took it, and
   * ended. When the conversation holds that very answer, it is answered as the first time was;
   * otherwise the refusal stands.
   */
  const sameAnswerAgain = async (id: string, answer: SurveyBody, refusal: unknown): Promise<ConversationView> => {
    if (!(refusal instanceof ConversationRejectedError)) throw refusal;
    const view = await conversations.get(id).catch(() => store.getConversation(id));
    const held = view?.survey;
    if (!view || !held || held.ces !== answer.ces || held.csat !== answer.csat || held.comment !== answer.comment)
      throw refusal;
    return view;
  };

  register(router, conversationsTable.survey, async (req, res) => {
    const id = idParam(req);
    const answer = parseOrThrow(conversationsTable.survey.body, req.body);
    const view = await conversations.answerSurvey(id, answer).then(
      (result) => answeredView(id, result),
      (error: unknown) => sameAnswerAgain(id, answer, error),
    );
    if (readsCustomerView(identityOf(res))) res.json({ conversation: await audience.customerView(view) });
    else res.json(withLink(await audience.staffView(view)));
  });

  register(router, conversationsTable.stream, async (req, res) => {
    await streams.serve(req, res, idParam(req));
  });

  return router;
}
