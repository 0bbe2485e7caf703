/**
 * One ticket, for the agent who works it: the ticket view, claim, reply, resolve, the AI assist from
 * the knowledge base, internal notes, the verdict on the handoff and intent corrections.
 */
import { randomUUID } from 'node:crypto';
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import {
  Agent,
  AgentMessageBody,
  ClaimTicketBody,
  ConversationAnswer,
  ResolveTicketBody,
  type CompiledJourney,
} from '@baton/schemas';
import { assistAnswer } from '../assist';
import { InboxStore, kbCollection, type ConversationRecord, type Ticket } from '@baton/store';
import { ConversationNotFoundError, type ConversationView } from '../../client';
import { actingAgent } from '../access';
import { createAudit, type Audit } from '../audit';
import { KnowledgeBase, type AssistProvider } from '../knowledge';
import { HttpProblem, parseOrThrow } from '../problem';
import type { InboxStreamSources } from './inbox';
import { register, route } from './route';
import { ensureMayWork, takeOver } from './ticket-work';
import { ConversationAudience } from '../conversation-audience';
import { conversationViews, ticketOf, type ConversationViewsOptions } from './shared';

/** An admin may take over a ticket another agent holds (audited); everyone else claims pending tickets only. */
const ClaimBody = ClaimTicketBody.extend({ takeover: z.boolean().optional() }).strict();
const AssistBody = z.object({ question: z.string().trim().max(2000).optional() }).strict();
const FeedbackBody = z
  .object({
    summaryHelpful: z.boolean(),
    comment: z.string().trim().max(2000).optional(),
    pulse: z.number().int().min(1).max(5).optional(),
    agent: Agent.optional(),
  })
  .strict();
const IntentBody = z
  .object({
    intent: z.string().min(1).max(100),
    /** The customer's words to learn from; by default the customer's messages before the handoff. */
    text: z.string().trim().min(1).max(4000).optional(),
    agent: Agent.optional(),
  })
  .strict();
const NoteBody = z
  .object({ text: z.string().trim().min(1, 'must not be empty').max(4000), agent: Agent.optional() })
  .strict();

const tag = 'tickets';
export const ticketsTable = {
  get: route({
    method: 'get',
    path: '/api/tickets/:id',
    audience: ['agent'],
    tag,
    summary: "The ticket, its conversation, notes, the agent's feedback and correction, and the journey's intents",
  }),
  claim: route({
    method: 'post',
    path: '/api/tickets/:id/claim',
    audience: ['agent'],
    tag,
    summary:
      'Claim a pending ticket (one agent wins a race), or take over a claimed one (admins, `takeover: true`, audited); answers the ticket and its conversation',
    body: ClaimBody,
  }),
  message: route({
    method: 'post',
    path: '/api/tickets/:id/messages',
    audience: ['agent'],
    tag,
    summary: "Send the agent's reply to the customer",
    body: AgentMessageBody,
    response: ConversationAnswer,
    statuses: [201],
  }),
  resolve: route({
    method: 'post',
    path: '/api/tickets/:id/resolve',
    audience: ['agent'],
    tag,
    summary: 'Resolve the ticket; the conversation goes on to its survey or end',
    body: ResolveTicketBody,
  }),
  assist: route({
    method: 'post',
    path: '/api/tickets/:id/assist',
    audience: ['agent'],
    tag,
    summary: "An answer and a suggested reply from the knowledge base (by default to the customer's last words)",
    body: AssistBody,
    bodyOptional: true,
  }),
  notes: route({
    method: 'post',
    path: '/api/tickets/:id/notes',
    audience: ['agent'],
    tag,
    summary: 'Add an internal note (never shown to the customer)',
    body: NoteBody,
    statuses: [201],
  }),
  feedback: route({
    method: 'post',
    path: '/api/tickets/:id/feedback',
    audience: ['agent'],
    tag,
    summary: "The agent's verdict on the handoff (was the summary helpful)",
    body: FeedbackBody,
    statuses: [201],
  }),
  intent: route({
    method: 'post',
    path: '/api/tickets/:id/intent',
    audience: ['agent'],
    tag,
    summary: 'Correct the intent the bot recognised, for the classifier to learn from',
    body: IntentBody,
    statuses: [201],
  }),
};

/** The intents of each classify node of a journey, for the correction dropdown. */
export function journeyIntents(
  journey: CompiledJourney | undefined,
): { nodeId: string; label: string; intents: string[] }[] {
  if (!journey) return [];
  return Object.values(journey.nodes).flatMap((node) => {
    if (node.type !== 'classify') return [];
    const data = node.data as {
      label?: string;
      intents?: { name: string }[];
      routes?: { intents: string[] }[];
    };
    // A model-backed node is corrected to the model's intents it routes (training rows for the next model).
    const names = data.routes ? data.routes.flatMap((route) => route.intents) : (data.intents ?? []).map((i) => i.name);
    return [{ nodeId: node.id, label: data.label ?? node.id, intents: names }];
  });
}

export interface TicketRoutesOptions extends ConversationViewsOptions {
  /** Answers the agent's questions from the knowledge base; the configured provider by default. */
  provider?: AssistProvider;
  /** The knowledge base the assist reads (createApp shares one with the kb routes). */
  knowledge?: KnowledgeBase;
  /** Told when a request may change a ticket, so the inbox's next read is fresh. */
  stream?: InboxStreamSources;
  /** Where takeovers are recorded; the audit collection of `store` by default. */
  audit?: Audit;
}

export function ticketRoutes(options: TicketRoutesOptions): Router {
  const { store, conversations, log, stream } = options;
  const audit = options.audit ?? createAudit(store, log);
  const knowledge = options.knowledge ?? new KnowledgeBase(store, log, options.provider);
  const inbox = new InboxStore(store.collection(kbCollection).db);
  const { withLink, freshView } = conversationViews(options);
  const audience = new ConversationAudience(store, () => store.listActivities());
  /**
   * Every conversation a ticket route answers goes through here: staff read the secrets of activity
   * outputs as "[secret]" (conversation-audience.ts). The read model is written raw first (freshView).
   */
  const staffAnswer = async (conversationId: string) =>
    withLink(await audience.staffView(await freshView(conversationId)));
  const router: Router = express.Router();

  let indexes: Promise<void> | undefined;
  const ready = () => {
    indexes ??= Promise.all([knowledge.ready(), inbox.ensureIndexes()]).then(
      () => undefined,
      (error: unknown) => {
        indexes = undefined;
        log('could not create the inbox indexes', error);
      },
    );
    return indexes;
  };

  // A ticket changed through this process (claim, reply, resolve, notes…): the inbox's next read is fresh.
  if (stream)
    router.use('/tickets', (req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const done = stream.changing();
        res.on('finish', done);
        res.on('close', done);
      }
      next();
    });

  /** The live conversation from Temporal; its stored projection when the workflow is gone. */
  const conversationOf = async (conversationId: string): Promise<ConversationView | ConversationRecord | null> => {
    try {
      // Staff read the secrets of activity outputs as "[secret]" (conversation-audience.ts).
      return await audience.staffView(await conversations.get(conversationId));
    } catch (error) {
      if (!(error instanceof ConversationNotFoundError)) log(`could not read conversation ${conversationId}`, error);
      // The stored projection keeps the raw values: hidden the same way.
      const stored = await store.getConversation(conversationId);
      return stored && (await audience.staffView(stored));
    }
  };

  const intentsOf = async (ticket: Ticket) => {
    const version = await store.getVersion(ticket.journey.id, ticket.journey.version);
    return journeyIntents(version?.compiled);
  };

  register(router, ticketsTable.claim, async (req, res: Response) => {
    const body = parseOrThrow(ticketsTable.claim.body, req.body);
    const agent = actingAgent(res, body.agent);
    const ticket = await ticketOf(store, req);
    if (body.takeover) {
      await takeOver({ store, conversations, audit }, ticket, agent, res);
    } else {
      // The store decides who wins a race between two agents (pending → open happens once); then the conversation hears of it.
      await store.claimTicket(ticket.ticketId, agent);
      await conversations.claim(ticket.conversationId, agent);
    }
    res.json({ ticket: await store.getTicket(ticket.ticketId), ...(await staffAnswer(ticket.conversationId)) });
  });

  register(router, ticketsTable.message, async (req, res) => {
    const body = parseOrThrow(ticketsTable.message.body, req.body);
    const agent = actingAgent(res, body.agent);
    const ticket = await ticketOf(store, req);
    ensureMayWork(ticket, agent, 'reply to');
    await conversations.agentAction(ticket.conversationId, { type: 'message', ...body, agent });
    res.status(201).json(await staffAnswer(ticket.conversationId));
  });

  register(router, ticketsTable.resolve, async (req, res) => {
    const body = parseOrThrow(ticketsTable.resolve.body, req.body);
    const agent = actingAgent(res, body.agent);
    const ticket = await ticketOf(store, req);
    ensureMayWork(ticket, agent, 'resolve');
    await conversations.agentAction(ticket.conversationId, {
      type: 'resolve',
      agent,
      ...(body.resolution !== undefined && { resolution: body.resolution }),
    });
    await store.resolveTicket(ticket.ticketId, agent, body.resolution);
    res.json({ ticket: await store.getTicket(ticket.ticketId), ...(await staffAnswer(ticket.conversationId)) });
  });

  register(router, ticketsTable.get, async (req, res) => {
    const ticket = await ticketOf(store, req, 'ticket id');
    await ready();
    const [conversation, notes, feedback, correction, intents] = await Promise.all([
      conversationOf(ticket.conversationId),
      inbox.notes(ticket.ticketId),
      inbox.feedbackFor(ticket.ticketId),
      inbox.correctionFor(ticket.ticketId),
      intentsOf(ticket),
    ]);
    const { notes: _notes, ...rest } = ticket;
    res.json({
      ticket: rest,
      conversation,
      notes,
      feedback,
      correction,
      intents,
      temporalUrl: options.temporalUiUrl?.(ticket.conversationId),
    });
  });

  register(router, ticketsTable.assist, async (req, res) => {
    const body = parseOrThrow(ticketsTable.assist.body, req.body ?? {});
    const ticket = await ticketOf(store, req, 'ticket id');
    let question = body.question;
    if (!question) {
      // By default: what the customer said last, and what the bot thought it was about.
      const conversation = await conversationOf(ticket.conversationId);
      const said = (conversation?.transcript ?? ticket.transcript)
        .filter((entry) => entry.from === 'customer')
        .slice(-3)
        .map((entry) => entry.text);
      const intent = conversation?.intent ?? ticket.intent;
      question = [...said, intent ? intent.name.replace(/[_-]+/g, ' ') : ''].filter(Boolean).join('\n');
    }
    const context = ticket.customer.name ? { customerName: ticket.customer.name } : {};
    // Customer articles feed the suggested reply; internal ones come back apart, for the agent only.
    const assisted = await assistAnswer(await knowledge.index(), question, context, {
      preferred: knowledge.assistProvider(),
      embedded: knowledge.embeddedProvider(),
      log,
    });
    res.json({ question, ...assisted });
  });

  register(router, ticketsTable.notes, async (req, res) => {
    const body = parseOrThrow(ticketsTable.notes.body, req.body);
    const agent = actingAgent(res, body.agent);
    const ticket = await ticketOf(store, req, 'ticket id');
    const note = {
      noteId: `note-${randomUUID()}`,
      text: body.text,
      agentId: agent.id,
      agentName: agent.name,
      at: new Date(),
    };
    const notes = await inbox.addNote(ticket.ticketId, note);
    res.status(201).json({ note, notes });
  });

  register(router, ticketsTable.feedback, async (req, res) => {
    const body = parseOrThrow(ticketsTable.feedback.body, req.body);
    const agent = actingAgent(res, body.agent);
    const ticket = await ticketOf(store, req, 'ticket id');
    await ready();
    const at = new Date();
    const feedback = await inbox.recordFeedback({
      ticketId: ticket.ticketId,
      conversationId: ticket.conversationId,
      journeyId: ticket.journey.id,
      version: ticket.journey.version,
      agentId: agent.id,
      summaryHelpful: body.summaryHelpful,
      pulse: body.pulse ?? null,
      comment: body.comment ?? null,
      at,
    });
    // The ticket shows the latest verdict too.
    await store.setTicketFeedback(ticket.ticketId, {
      ...(ticket.feedback ?? {}),
      agent,
      summaryHelpful: body.summaryHelpful,
      ...(body.comment !== undefined && { comment: body.comment }),
      at: at.getTime(),
    });
    res.status(201).json({ feedback });
  });

  register(router, ticketsTable.intent, async (req, res) => {
    const body = parseOrThrow(ticketsTable.intent.body, req.body);
    const agent = actingAgent(res, body.agent);
    const ticket = await ticketOf(store, req, 'ticket id');
    const groups = await intentsOf(ticket);
    const declared = [...new Set(groups.flatMap((group) => group.intents))];
    if (!declared.includes(body.intent)) {
      const message = `"${body.intent}" is not an intent of journey ${ticket.journey.id}@${ticket.journey.version} (${declared.join(', ') || 'it declares none'})`;
      throw new HttpProblem(400, 'Invalid request body', `/intent: ${message}`, [{ path: '/intent', message }]);
    }
    const handoffAt = ticket.openedAt;
    const said = ticket.transcript
      .filter((entry) => entry.from === 'customer' && entry.at <= handoffAt)
      .map((entry) => entry.text);
    const text = body.text ?? said.join('\n');
    if (!text)
      throw new HttpProblem(
        400,
        'Invalid request body',
        '/text: the customer wrote nothing before the handoff; say which words to learn from',
        [{ path: '/text', message: 'required' }],
      );
    await ready();
    const correction = await inbox.recordIntentCorrection({
      ticketId: ticket.ticketId,
      text,
      intent: body.intent,
      previousIntent: ticket.intent?.name ?? null,
      journeyId: ticket.journey.id,
      conversationId: ticket.conversationId,
      agentId: agent.id,
      at: new Date(),
    });
    // The ticket shows the correction too (the field the store already has for it).
    await store.setTicketFeedback(ticket.ticketId, {
      ...(ticket.feedback ?? { agent }),
      agent,
      correctIntent: body.intent,
      at: Date.now(),
    });
    res.status(201).json({ correction });
  });

  return router;
}
