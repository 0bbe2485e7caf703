/**
 * GET /api/conversations/:id/stream: server-sent events, `message` for each transcript entry and
 * `state` when the status changes. Streams of one conversation share one watch of Temporal
 * (./conversation-watch.ts); a token and an IP hold a bounded number of them; an idle one closes.
 * The conversation's customer hears the customer view, staff the transcript and state as before;
 * while an agent has the conversation, both also hear `typing` ({typing, name}) when the agent starts
 * or stops typing (routes/typing.ts; read from the store, never from the workflow).
 */
import type { Request, Response } from 'express';
import type { ConversationView } from '../../client';
import type { Conversations } from '../../client';
import { identityOf, type Identity } from '../access';
import type { ConversationAudience } from '../conversation-audience';
import { HttpProblem } from '../problem';
import { ConversationWatches, defaultStreamLimits, StreamCounter, type StreamLimitOptions } from './conversation-watch';

export interface ConversationStreamOptions {
  conversations: Pick<Conversations, 'get'>;
  audience: ConversationAudience;
  log: (message: string, error?: unknown) => void;
  /** Interval at which a watch looks for news in its conversation. */
  pollMs?: number;
  limits?: Partial<StreamLimitOptions>;
  /** Who types to the customer now (an agent in the inbox); null when nobody does. */
  typing?: (conversationId: string) => Promise<{ name: string } | null>;
}

/** The key a caller's streams count under: the customer's token, the user (session or API key); none when access control is off. */
function tokenKeyOf(identity: Identity | undefined): string | undefined {
  if (identity?.kind === 'customer') return `customer:${identity.conversationId}`;
  if (identity?.kind === 'user') return `user:${identity.userId}`;
  return undefined;
}

interface Event {
  entries: { seq: number }[];
  state: Record<string, unknown>;
  /** Changes when the state event is worth sending again. */
  stateKey: string;
  /** Who is typing to the customer (an agent); null when nobody does. */
  typing: { name: string } | null;
}

export class ConversationStreams {
  readonly watches: ConversationWatches;
  private readonly limits: StreamLimitOptions;
  private readonly perToken: StreamCounter;
  private readonly perIp: StreamCounter;

  constructor(private readonly options: ConversationStreamOptions) {
    this.limits = { ...defaultStreamLimits, ...options.limits };
    this.perToken = new StreamCounter(this.limits.perToken);
    this.perIp = new StreamCounter(this.limits.perIp);
    this.watches = new ConversationWatches((id) => options.conversations.get(id), options.pollMs ?? 500);
  }

  /** Takes a place for the caller's stream, else 429; returns its release. */
  private admit(req: Request, identity: Identity | undefined): () => void {
    const tokenKey = tokenKeyOf(identity);
    const ip = `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
    if (tokenKey !== undefined && !this.perToken.acquire(tokenKey))
      throw new HttpProblem(
        429,
        'Too many streams',
        `this token holds ${this.limits.perToken} open event streams already; close one first`,
      );
    if (!this.perIp.acquire(ip)) {
      if (tokenKey !== undefined) this.perToken.release(tokenKey);
      throw new HttpProblem(
        429,
        'Too many streams',
        `this address holds ${this.limits.perIp} open event streams already; close one first`,
      );
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (tokenKey !== undefined) this.perToken.release(tokenKey);
      this.perIp.release(ip);
    };
  }

  private async eventOf(view: ConversationView, forCustomer: boolean): Promise<Event> {
    // Asked only while an agent has the conversation: one small read per poll of the conversation's stream.
    const typing =
      view.waiting?.kind === 'agent' && this.options.typing
        ? await this.options.typing(view.conversationId).catch(() => null)
        : null;
    if (forCustomer) {
      const seen = await this.options.audience.customerView(view);
      return {
        entries: seen.transcript,
        state: { status: seen.status, waiting: seen.waiting },
        stateKey: `${seen.status}:${seen.waiting?.kind ?? ''}`,
        typing,
      };
    }
    return {
      entries: view.transcript,
      state: { status: view.status, nodeId: view.nodeId, waiting: view.waiting, outcome: view.outcome },
      stateKey: `${view.status}:${view.nodeId ?? ''}:${view.waiting?.kind ?? ''}`,
      typing,
    };
  }

  async serve(req: Request, res: Response, conversationId: string): Promise<void> {
    const identity = identityOf(res);
    const forCustomer = identity?.kind === 'customer';
    const release = this.admit(req, identity);
    let first: ConversationView;
    try {
      first = await this.options.conversations.get(conversationId);
    } catch (error) {
      release();
      throw error;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let sent = 0;
    let lastState = '';
    let lastTyping = '';
    let closed = false;
    let idle: NodeJS.Timeout | undefined;
    let unsubscribe = () => {};
    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(idle);
      unsubscribe();
      release();
      res.end();
    };
    const stillAlive = () => {
      clearTimeout(idle);
      idle = setTimeout(close, this.limits.idleMs);
      idle.unref();
    };
    const push = (event: Event) => {
      if (closed) return;
      let wrote = false;
      for (const entry of event.entries.slice(sent)) {
        res.write(`event: message\nid: ${entry.seq}\ndata: ${JSON.stringify(entry)}\n\n`);
        wrote = true;
      }
      sent = Math.max(sent, event.entries.length);
      if (event.stateKey !== lastState) {
        lastState = event.stateKey;
        res.write(`event: state\ndata: ${JSON.stringify(event.state)}\n\n`);
        wrote = true;
      }
      const typing = event.typing?.name ?? '';
      if (typing !== lastTyping) {
        lastTyping = typing;
        const data = event.typing ? { typing: true, name: event.typing.name } : { typing: false };
        res.write(`event: typing\ndata: ${JSON.stringify(data)}\n\n`);
        wrote = true;
      }
      if (wrote) stillAlive();
    };
    // Views of a watch are rendered in order (the customer view reads the journey first).
    let rendering = Promise.resolve();
    const render = (view: ConversationView) => {
      rendering = rendering
        .then(async () => push(await this.eventOf(view, forCustomer)))
        .then(() => {
          if (view.status === 'ended') close();
        })
        .catch((error: unknown) => {
          this.options.log(`stream of ${conversationId} stopped`, error);
          close();
        });
    };
    req.on('close', close);
    const lastEventId = Number(req.header('last-event-id'));
    if (Number.isInteger(lastEventId) && lastEventId > 0) sent = Math.min(lastEventId, first.transcript.length);
    stillAlive();
    render(first);
    await rendering;
    if (closed || first.status === 'ended') return;
    // Temporal holds the truth; the conversation's one watch reads it at a short interval for all its streams.
    unsubscribe = this.watches.watch(conversationId, {
      view: render,
      end: (error) => {
        if (error !== undefined) this.options.log(`stream of ${conversationId} stopped`, error);
        rendering = rendering.then(close);
      },
    });
  }
}
