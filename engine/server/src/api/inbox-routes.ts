/**
 * The agents' shared inbox beyond claim/reply/resolve (those stay in app.ts): one stream of bot and
 * human conversations, the ticket view, AI assist from the knowledge base, internal notes, the
 * agent's verdict on the handoff and intent corrections; and the knowledge base's own routes.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { Agent, Id, type CompiledJourney } from '@baton/schemas';
import { createKbIndex, type KbIndex } from '@baton/ai/kb';
import { aiProviderFromEnv, createEmbeddedProvider, type AiProvider, type KbAnswer, type KbPassage } from '@baton/ai';
import { ConversationNotFoundError, type Conversations, type ConversationView } from '../client';
import {
  InboxStore,
  KbStore,
  kbCollection,
  type ConversationRecord,
  type KbArticleInput,
  type Store,
  type Ticket,
} from '@baton/store';
import { actingAgent, allow } from './access';
import { HttpProblem, parseOrThrow } from './problem';

/** The part of an AI provider the assist uses. */
export type AssistProvider = Pick<AiProvider, 'name' | 'answer'>;

export interface InboxRoutesOptions {
  store: Store;
  conversations: Conversations;
  log: (message: string, error?: unknown) => void;
  /** Answers the agent's questions from the knowledge base; the embedded provider by default. */
  provider?: AssistProvider;
  /** The stream's shared read; createApp passes the one its ticket routes mark as changed. */
  stream?: InboxStreamSources;
}

/** What the inbox's stream is built from: the latest tickets and conversations. */
export interface StreamSources {
  tickets: Ticket[];
  records: ConversationRecord[];
}

/**
 * One read of the stream's sources at a time in each API process: agents whose browsers poll
 * together share it (the read is a sort over every stored conversation on a store that cannot index
 * it, 3.3 s with 10,000 on FerretDB). A request joins a read only if it started after the last change
 * to a ticket made through this process, so an agent sees their own claim or answer at once.
 */
export class InboxStreamSources {
  private generation = 0;
  private changesUnderway = 0;
  private inFlight: { generation: number; read: Promise<StreamSources> } | undefined;
  /** Store reads started (for tests and metrics). */
  reads = 0;

  constructor(private readonly store: Store) {}

  /**
   * A request that may change a ticket begins; call the answer when its response is done. Until
   * then and from then on, no request joins a read that started earlier.
   */
  changing(): () => void {
    this.generation += 1;
    this.changesUnderway += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.changesUnderway -= 1;
      this.generation += 1;
    };
  }

  get(): Promise<StreamSources> {
    if (this.inFlight && this.inFlight.generation === this.generation && this.changesUnderway === 0)
      return this.inFlight.read;
    this.reads += 1;
    const read = Promise.all([
      this.store.listTickets({ limit: 500 }),
      this.store.listConversations({ limit: 500 }),
    ]).then(([tickets, records]) => ({ tickets, records }));
    const entry = { generation: this.generation, read };
    this.inFlight = entry;
    const done = () => {
      if (this.inFlight === entry) this.inFlight = undefined;
    };
    read.then(done, done);
    return read;
  }
}

export const inboxStatuses = ['bot', 'pending', 'open', 'resolved', 'closed'] as const;
export type InboxStatus = (typeof inboxStatuses)[number];

const ItemsQuery = z.object({
  status: z.enum(inboxStatuses).optional(),
  queue: z.string().max(100).optional(),
  assignee: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

const SearchQuery = z.object({
  q: z.string().trim().min(1, 'must not be empty').max(2000),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

const ArticleFields = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(200),
  body: z.string().trim().min(1, 'must not be empty').max(20_000),
  tags: z.array(z.string().trim().min(1).max(50)).max(30).default([]),
  source: z.string().max(200).default('designer'),
});
const NewArticleBody = ArticleFields.extend({ articleId: Id.optional() }).strict();
const ArticleUpdateBody = ArticleFields.strict();

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

const priorityRank: Record<string, number> = { urgent: 3, high: 2, normal: 1, low: 0 };
const statusOrder: Record<string, number> = { pending: 0, open: 1, bot: 2, resolved: 3, closed: 4 };

/** A ticket as other parts of Baton may extend it (routing adds reopening). */
type InboxTicket = Ticket & { reopened?: boolean | number; reopenedAt?: number | null; notes?: unknown };

export interface InboxItem {
  /** The ticket id for escalated conversations, else the conversation id. */
  id: string;
  kind: 'ticket' | 'conversation';
  status: string;
  conversationId: string;
  ticketId: string | null;
  customer: ConversationView['customer'];
  journey: { id: string; version: number };
  channel: string;
  intent: { name: string; confidence: number } | null;
  sentiment: { score: number; label: string };
  queue: string | null;
  priority: string | null;
  reopened: boolean;
  assignee: { id: string; name: string } | null;
  lastMessage: { from: string; text: string; at: number } | null;
  updatedAt: number;
}

function lastOf(transcript: readonly { from: string; text: string; at: number }[]): InboxItem['lastMessage'] {
  const last = transcript[transcript.length - 1];
  return last ? { from: last.from, text: last.text, at: last.at } : null;
}

function ticketItem(ticket: InboxTicket, conversation: ConversationRecord | undefined): InboxItem {
  const transcript = conversation?.transcript ?? ticket.transcript;
  return {
    id: ticket.ticketId,
    kind: 'ticket',
    status: ticket.status,
    conversationId: ticket.conversationId,
    ticketId: ticket.ticketId,
    customer: ticket.customer,
    journey: ticket.journey,
    channel: ticket.channel,
    intent: conversation?.intent ?? ticket.intent,
    sentiment: conversation
      ? { score: conversation.sentiment.score, label: conversation.sentiment.label }
      : { score: ticket.sentiment.score, label: ticket.sentiment.label },
    queue: ticket.queue,
    priority: ticket.priority,
    reopened: Boolean(ticket.reopened),
    assignee: ticket.assignee,
    lastMessage: lastOf(transcript),
    updatedAt: Math.max(conversation?.updatedAt ?? 0, ticket.resolvedAt ?? ticket.claimedAt ?? ticket.openedAt),
  };
}

function conversationItem(conversation: ConversationRecord): InboxItem {
  return {
    id: conversation.conversationId,
    kind: 'conversation',
    status: conversation.status === 'active' ? 'bot' : 'closed',
    conversationId: conversation.conversationId,
    ticketId: null,
    customer: conversation.customer,
    journey: { id: conversation.journey.id, version: conversation.journey.version },
    channel: conversation.channel,
    intent: conversation.intent,
    sentiment: { score: conversation.sentiment.score, label: conversation.sentiment.label },
    queue: null,
    priority: null,
    reopened: false,
    assignee: null,
    lastMessage: lastOf(conversation.transcript),
    updatedAt: conversation.updatedAt,
  };
}

/** The intents of each classify node of a journey, for the correction dropdown. */
export function journeyIntents(
  journey: CompiledJourney | undefined,
): { nodeId: string; label: string; intents: string[] }[] {
  if (!journey) return [];
  return Object.values(journey.nodes).flatMap((node) => {
    if (node.type !== 'classify') return [];
    const data = node.data as { label?: string; intents?: { name: string }[] };
    return [
      { nodeId: node.id, label: data.label ?? node.id, intents: (data.intents ?? []).map((intent) => intent.name) },
    ];
  });
}

function slug(text: string): string {
  const base = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `kb-${base || 'article'}-${randomUUID().slice(0, 6)}`;
}

export function inboxRoutes(options: InboxRoutesOptions): Router {
  const { store, conversations, log } = options;
  const stream = options.stream ?? new InboxStreamSources(store);
  const db = store.collection(kbCollection).db;
  const kb = new KbStore(db);
  const inbox = new InboxStore(db);
  const router: Router = express.Router();

  let indexes: Promise<void> | undefined;
  const ready = () => {
    indexes ??= Promise.all([kb.ensureIndexes(), inbox.ensureIndexes()]).then(
      () => undefined,
      (error: unknown) => {
        indexes = undefined;
        log('could not create the inbox indexes', error);
      },
    );
    return indexes;
  };

  // The index is rebuilt when the articles changed (here or in another process): the stamp says so.
  let cached: { stamp: string; index: KbIndex } | undefined;
  const kbIndex = async (): Promise<KbIndex> => {
    const stamp = await kb.stamp();
    if (cached?.stamp === stamp) return cached.index;
    const articles = await kb.list();
    cached = { stamp, index: createKbIndex(articles) };
    return cached.index;
  };

  let embedded: AssistProvider | undefined;
  const embeddedProvider = (): AssistProvider => {
    embedded ??= createEmbeddedProvider();
    return embedded;
  };

  // The provider the workers use (BATON_AI_PROVIDER…), so the assist answers with the configured model.
  let configured: AssistProvider | undefined;
  const configuredProvider = (): AssistProvider => {
    if (options.provider) return options.provider;
    if (!configured) {
      try {
        configured = aiProviderFromEnv();
      } catch (error) {
        log('the configured AI provider cannot be built; the assist uses the embedded provider', error);
        configured = embeddedProvider();
      }
    }
    return configured;
  };

  /** The signed-in agent, else the `agent` of the body (while access control is off). */
  const agentOf = (res: Response, fromBody: Agent | undefined): Agent => actingAgent(res, fromBody);

  const idParam = (req: Request, what: string): string =>
    parseOrThrow(Id, req.params.id, `path parameter "id" (${what})`);

  const ticketOf = async (req: Request): Promise<InboxTicket> => {
    const id = idParam(req, 'ticket id');
    const ticket = await store.getTicket(id);
    if (!ticket) throw new HttpProblem(404, 'Ticket not found', `no ticket "${id}"`);
    return ticket;
  };

  /** The live conversation from Temporal; its stored projection when the workflow is gone. */
  const conversationOf = async (conversationId: string): Promise<ConversationView | ConversationRecord | null> => {
    try {
      return await conversations.get(conversationId);
    } catch (error) {
      if (!(error instanceof ConversationNotFoundError)) log(`could not read conversation ${conversationId}`, error);
      return store.getConversation(conversationId);
    }
  };

  const intentsOf = async (ticket: Ticket) => {
    const version = await store.getVersion(ticket.journey.id, ticket.journey.version);
    return journeyIntents(version?.compiled);
  };

  // ------------------------------------------------------------ the stream

  router.get('/inbox/items', allow('agent'), async (req, res) => {
    const query = parseOrThrow(ItemsQuery, req.query, 'query');
    const { tickets, records } = await stream.get();
    const byConversation = new Map(records.map((record) => [record.conversationId, record]));
    const ticketed = new Set(tickets.map((ticket) => ticket.conversationId));
    const items: InboxItem[] = [
      ...tickets.map((ticket) => ticketItem(ticket, byConversation.get(ticket.conversationId))),
      // A conversation that was handed off but whose ticket is not in the list shows as nothing rather than as "bot".
      ...records
        .filter((record) => !ticketed.has(record.conversationId) && record.handoffs.length === 0)
        .map(conversationItem),
    ];
    const counts: Record<string, number> = Object.fromEntries(inboxStatuses.map((status) => [status, 0]));
    const selected = items.filter((item) => {
      if (query.queue !== undefined && item.queue !== query.queue) return false;
      if (query.assignee !== undefined && item.assignee?.id !== query.assignee) return false;
      counts[item.status] = (counts[item.status] ?? 0) + 1;
      return query.status === undefined || item.status === query.status;
    });
    selected.sort(
      (a, b) =>
        (statusOrder[a.status] ?? 5) - (statusOrder[b.status] ?? 5) ||
        (priorityRank[b.priority ?? ''] ?? -1) - (priorityRank[a.priority ?? ''] ?? -1) ||
        b.updatedAt - a.updatedAt ||
        a.id.localeCompare(b.id),
    );
    const queues = [...new Set(tickets.map((ticket) => ticket.queue))].sort();
    const assignees = [
      ...new Map(
        tickets.flatMap((ticket) => (ticket.assignee ? [[ticket.assignee.id, ticket.assignee] as const] : [])),
      ).values(),
    ];
    res.json({ items: selected.slice(0, query.limit), counts, queues, assignees });
  });

  // ------------------------------------------------------------ one ticket

  router.get('/tickets/:id', allow('agent'), async (req, res) => {
    const ticket = await ticketOf(req);
    await ready();
    const [conversation, notes, feedback, correction, intents] = await Promise.all([
      conversationOf(ticket.conversationId),
      inbox.notes(ticket.ticketId),
      inbox.feedbackFor(ticket.ticketId),
      inbox.correctionFor(ticket.ticketId),
      intentsOf(ticket),
    ]);
    const { notes: _notes, ...rest } = ticket;
    res.json({ ticket: rest, conversation, notes, feedback, correction, intents });
  });

  router.post('/tickets/:id/assist', allow('agent'), async (req, res) => {
    const body = parseOrThrow(AssistBody, req.body ?? {});
    const ticket = await ticketOf(req);
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
    const index = await kbIndex();
    const hits = index.search(question, { limit: 5 });
    const passages: KbPassage[] = hits.flatMap((hit) => {
      const article = index.get(hit.articleId);
      return article ? [{ articleId: article.articleId, title: article.title, body: article.body }] : [];
    });
    const context = ticket.customer.name ? { customerName: ticket.customer.name } : {};
    let provider = configuredProvider();
    if (!provider.answer) provider = embeddedProvider();
    let answer: KbAnswer;
    try {
      answer = await provider.answer!(question, passages, context);
    } catch (error) {
      // A failing model never leaves the agent without an answer: the extractive one stands in.
      log(`assist provider ${provider.name} failed; using the embedded answer`, error);
      provider = embeddedProvider();
      answer = await provider.answer!(question, passages, context);
    }
    res.json({
      question,
      sources: hits.map((hit) => ({
        articleId: hit.articleId,
        title: hit.title,
        snippet: hit.snippet,
        score: hit.score,
      })),
      answer: answer.answer,
      suggestedReply: answer.suggestedReply,
      basedOn: answer.basedOn,
      provider: provider.name,
    });
  });

  router.post('/tickets/:id/notes', allow('agent'), async (req, res) => {
    const body = parseOrThrow(NoteBody, req.body);
    const agent = agentOf(res, body.agent);
    const ticket = await ticketOf(req);
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

  router.post('/tickets/:id/feedback', allow('agent'), async (req, res) => {
    const body = parseOrThrow(FeedbackBody, req.body);
    const agent = agentOf(res, body.agent);
    const ticket = await ticketOf(req);
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

  router.post('/tickets/:id/intent', allow('agent'), async (req, res) => {
    const body = parseOrThrow(IntentBody, req.body);
    const agent = agentOf(res, body.agent);
    const ticket = await ticketOf(req);
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

  // ------------------------------------------------------------ knowledge base

  router.get('/kb/search', allow('agent', 'designer'), async (req, res) => {
    const query = parseOrThrow(SearchQuery, req.query, 'query');
    const index = await kbIndex();
    res.json({ query: query.q, hits: index.search(query.q, { limit: query.limit }), articles: index.size });
  });

  router.get('/kb/articles', allow('agent', 'designer'), async (_req, res) => {
    res.json({ articles: await kb.list() });
  });

  router.get('/kb/articles/:id', allow('agent', 'designer'), async (req, res) => {
    const id = idParam(req, 'article id');
    const article = await kb.get(id);
    if (!article) throw new HttpProblem(404, 'Article not found', `no article "${id}"`);
    res.json({ article });
  });

  router.post('/kb/articles', allow('designer'), async (req, res) => {
    const body = parseOrThrow(NewArticleBody, req.body);
    await ready();
    const input: KbArticleInput = {
      articleId: body.articleId ?? slug(body.title),
      title: body.title,
      body: body.body,
      tags: body.tags,
      source: body.source,
    };
    const article = await kb.create(input);
    res.status(201).location(`/api/kb/articles/${article.articleId}`).json({ article });
  });

  router.put('/kb/articles/:id', allow('designer'), async (req, res) => {
    const id = idParam(req, 'article id');
    const body = parseOrThrow(ArticleUpdateBody, req.body);
    res.json({ article: await kb.update(id, body) });
  });

  router.delete('/kb/articles/:id', allow('designer'), async (req, res) => {
    await kb.remove(idParam(req, 'article id'));
    res.status(204).end();
  });

  return router;
}
