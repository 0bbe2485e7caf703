/**
 * Drives conversations over HTTP as a patient client would: a request that fails (network error,
 * 5xx, timeout) is sent again, with the same clientMessageId, until it gets an answer. Every
 * message sent is remembered, so the transcript can be compared with it afterwards.
 */
import type { Store } from '@baton/store';

export type FlowName = 'reset-bot' | 'reset-handoff' | 'order-handoff';
export const flows: readonly FlowName[] = ['reset-bot', 'reset-handoff', 'order-handoff'];

interface Turn {
  kind: 'customer' | 'agent';
  clientMessageId: string;
  text: string;
}

export interface DrivenConversation {
  conversationId: string;
  flow: FlowName;
  sent: Turn[];
  /** The outcome the flow leads to. */
  expectedOutcome: 'resolved_by_bot' | 'resolved_by_agent';
  expectsTicket: boolean;
  /** Its customer's token: the customer's messages and survey answer are sent with it. */
  token: string;
  /** Set once the conversation has ended as it should. */
  completed: boolean;
  error?: string;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  contentType: string;
}

export interface DriverOptions {
  apiUrl: string;
  /** Sent as a bearer token (an API key with the agent role at least). */
  apiKey?: string;
  /**
   * The customer token of a conversation id, to start with: a retried start (its answer lost) then
   * gets the same conversation back, where a start without it would be refused (409, the id exists).
   */
  customerToken?: (conversationId: string) => string;
  /** Give up on one request after this long (all retries included); default 10 minutes. */
  requestDeadlineMs?: number;
  /** A customer's pause before each message, as [min, max] ms (default [100, 800]): conversations overlap as in life. */
  thinkMs?: [number, number];
  /** Told of every failed attempt that will be retried. */
  onRetry?: (what: string, reason: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One customer message: when it was first sent, and how long until the API answered it (retries included). */
export interface ReplySample {
  at: number;
  ms: number;
}

export class ChaosDriver {
  retries = 0;
  /** Every customer message's reply time (the API answers a message once the bot has replied or the conversation waits). */
  readonly replies: ReplySample[] = [];
  /** Why requests were sent again: HTTP status or error name → count. */
  readonly retryReasons = new Map<string, number>();
  constructor(private readonly options: DriverOptions) {}

  /** One attempt, no retry; sent with `bearer` (the API key unless told). */
  async once(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 120_000,
    bearer = this.options.apiKey,
  ): Promise<HttpAnswer> {
    const response = await fetch(`${this.options.apiUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(bearer && { authorization: `Bearer ${bearer}` }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, contentType };
  }

  /** Retries network errors, timeouts, 429 and 5xx until a 2xx/4xx answer or the deadline. */
  async call(method: string, path: string, body?: unknown, bearer?: string): Promise<HttpAnswer> {
    const deadline = Date.now() + (this.options.requestDeadlineMs ?? 600_000);
    let pause = 250;
    for (;;) {
      let reason: string;
      let kind: string;
      try {
        const answer = await this.once(method, path, body, undefined, bearer);
        // 429 asks a client to come back later, as a patient one does.
        if (answer.status < 500 && answer.status !== 429) return answer;
        reason = `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
        kind = `${answer.status} ${(answer.body as { title?: string } | null)?.title ?? ''}`.trim();
      } catch (error) {
        reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        // fetch's TypeError says only "fetch failed"; its cause says why (a socket closed, refused…).
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
        const code = (cause as { code?: unknown } | undefined)?.code;
        kind = error instanceof Error ? `${error.name}${typeof code === 'string' ? ` (${code})` : ''}` : 'error';
      }
      this.retryReasons.set(kind, (this.retryReasons.get(kind) ?? 0) + 1);
      if (Date.now() > deadline) throw new Error(`${method} ${path} kept failing: ${reason}`);
      this.retries += 1;
      this.options.onRetry?.(`${method} ${path}`, reason);
      await sleep(pause);
      pause = Math.min(pause * 2, 3_000);
    }
  }

  async expect(
    method: string,
    path: string,
    body: unknown,
    ok: (status: number) => boolean,
    bearer?: string,
  ): Promise<Record<string, unknown>> {
    const answer = await this.call(method, path, body, bearer);
    if (!ok(answer.status))
      throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    return answer.body as Record<string, unknown>;
  }

  async start(index: number, flow: FlowName, runTag: string): Promise<DrivenConversation> {
    const conversationId = `chaos-${runTag}-${flow}-${index}`;
    const journeyId = flow === 'order-handoff' ? 'order-tracking' : 'password-reset';
    const customer = { id: `cust-${index}`, name: `Customer ${index}`, email: `customer${index}@example.com` };
    // Starting with our own id and its token makes the start idempotent: a retried start answers the same conversation.
    const ownToken = this.options.customerToken?.(conversationId);
    const started = await this.expect(
      'POST',
      '/api/conversations',
      { journeyId, conversationId, customer },
      (status) => status === 201,
      ownToken,
    );
    return {
      conversationId,
      token: typeof started.token === 'string' ? started.token : (ownToken ?? ''),
      flow,
      sent: [],
      expectedOutcome: flow === 'reset-bot' ? 'resolved_by_bot' : 'resolved_by_agent',
      expectsTicket: flow !== 'reset-bot',
      completed: false,
    };
  }

  async say(conversation: DrivenConversation, text: string): Promise<void> {
    const [low, high] = this.options.thinkMs ?? [100, 800];
    await sleep(low + Math.random() * (high - low));
    const clientMessageId = `m${conversation.sent.length + 1}`;
    conversation.sent.push({ kind: 'customer', clientMessageId, text });
    const at = Date.now();
    await this.expect(
      'POST',
      `/api/conversations/${conversation.conversationId}/messages`,
      { clientMessageId, text },
      (status) => status === 201 || status === 200,
      conversation.token,
    );
    this.replies.push({ at, ms: Date.now() - at });
  }

  /** The customer's turns that bring the conversation to its first real wait (a reply or an agent). */
  async firstTurn(conversation: DrivenConversation): Promise<void> {
    await this.say(conversation, conversation.flow === 'order-handoff' ? 'Z9999' : 'I forgot my password');
  }

  async ticketOf(conversationId: string): Promise<string> {
    for (;;) {
      const inbox = await this.expect('GET', '/api/inbox?limit=500', undefined, (status) => status === 200);
      const tickets = (inbox.tickets as { ticketId: string; conversationId: string }[]).filter(
        (ticket) => ticket.conversationId === conversationId,
      );
      if (tickets[0]) return tickets[0].ticketId;
      await sleep(500);
    }
  }

  /** Everything after the first turn, to the end of the survey. */
  async finish(conversation: DrivenConversation): Promise<void> {
    const id = conversation.conversationId;
    const agent = { id: 'agent-sam', name: 'Sam' };
    if (conversation.flow === 'reset-bot') {
      await this.say(conversation, 'Yes it worked, thanks!');
    } else {
      await this.say(
        conversation,
        conversation.flow === 'order-handoff'
          ? 'Z99998'
          : "No, it didn't work. This is ridiculous, I've tried everything",
      );
      const ticketId = await this.ticketOf(id);
      await this.expect('POST', `/api/tickets/${ticketId}/claim`, { agent }, (status) => status === 200);
      const agentMessage = { clientMessageId: 'a1', text: `Hi, Sam here for ${id}; I have fixed it.` };
      conversation.sent.push({ kind: 'agent', ...agentMessage });
      await this.expect(
        'POST',
        `/api/tickets/${ticketId}/messages`,
        { agent, ...agentMessage },
        (status) => status === 201,
      );
      if (conversation.flow === 'reset-handoff') await this.say(conversation, 'Got it, thanks Sam!');
      await this.expect(
        'POST',
        `/api/tickets/${ticketId}/resolve`,
        { agent, resolution: 'fixed during the fault suite' },
        (status) => status === 200,
      );
    }
    await this.answerSurvey(conversation);
  }

  /**
   * The survey has no client id as messages do: when an attempt lands but its answer is lost (a
   * connection cut by a restart), the API answers the same answer sent again 200, as the first time
   * (engine/server conversations route); anything else fails the conversation.
   */
  async answerSurvey(conversation: DrivenConversation): Promise<void> {
    const id = conversation.conversationId;
    const sent = await this.call('POST', `/api/conversations/${id}/survey`, { ces: 6, csat: 5 }, conversation.token);
    if (sent.status === 200) return;
    throw new Error(
      `POST /api/conversations/${id}/survey answered ${sent.status}: ${JSON.stringify(sent.body).slice(0, 300)}`,
    );
  }

  async run(conversation: DrivenConversation, steps: (c: DrivenConversation) => Promise<void>): Promise<void> {
    try {
      await steps(conversation);
    } catch (error) {
      conversation.error = error instanceof Error ? error.message : String(error);
    }
  }
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await task(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
}

export interface Tally {
  conversations: number;
  completed: number;
  duplicateTickets: number;
  missingTickets: number;
  lostMessages: number;
  duplicatedMessages: number;
  failures: string[];
}

/**
 * Compares each conversation's transcript (read from Temporal through the API) with what was sent,
 * and counts the tickets in the store: one per handed-off conversation, none for the others.
 */
export async function tally(
  driver: ChaosDriver,
  store: Store,
  conversations: readonly DrivenConversation[],
): Promise<Tally> {
  const result: Tally = {
    conversations: conversations.length,
    completed: 0,
    duplicateTickets: 0,
    missingTickets: 0,
    lostMessages: 0,
    duplicatedMessages: 0,
    failures: [],
  };
  const ids = conversations.map((conversation) => conversation.conversationId);
  const tickets = await store
    .collection<{ conversationId: string }>('tickets')
    .find({ conversationId: { $in: ids } })
    .toArray();
  const ticketCount = new Map<string, number>();
  for (const ticket of tickets)
    ticketCount.set(ticket.conversationId, (ticketCount.get(ticket.conversationId) ?? 0) + 1);
  for (const conversation of conversations) {
    const id = conversation.conversationId;
    const count = ticketCount.get(id) ?? 0;
    const wanted = conversation.expectsTicket ? 1 : 0;
    if (count > wanted) result.duplicateTickets += count - wanted;
    if (count < wanted) result.missingTickets += wanted - count;
    const answer = await driver.call('GET', `/api/conversations/${id}`);
    const view = (
      answer.body as {
        conversation?: {
          status: string;
          outcome?: string;
          transcript: { from: string; text: string; clientMessageId?: string }[];
        };
      }
    ).conversation;
    if (!view) {
      result.failures.push(`${id}: not readable (${answer.status})`);
      continue;
    }
    for (const turn of conversation.sent) {
      const from = turn.kind === 'customer' ? 'customer' : 'agent';
      const copies = view.transcript.filter(
        (entry) =>
          entry.from === from &&
          (entry.clientMessageId === turn.clientMessageId ||
            (entry.clientMessageId === undefined && entry.text === turn.text)),
      ).length;
      if (copies === 0) result.lostMessages += 1;
      if (copies > 1) result.duplicatedMessages += copies - 1;
    }
    const done =
      view.status === 'ended' && view.outcome === conversation.expectedOutcome && conversation.error === undefined;
    conversation.completed = done;
    if (done) result.completed += 1;
    else
      result.failures.push(
        `${id}: ${conversation.error ?? `status ${view.status}, outcome ${view.outcome ?? 'none'} (wanted ${conversation.expectedOutcome})`}`,
      );
  }
  return result;
}

/** `503 A backing service is unavailable ×12, TimeoutError ×3`, or `none`. */
export function describeRetries(driver: ChaosDriver): string {
  const entries = [...driver.retryReasons.entries()].sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'none' : entries.map(([kind, count]) => `${kind} ×${count}`).join(', ');
}

export function lossless(t: Tally): boolean {
  return (
    t.completed === t.conversations &&
    t.duplicateTickets === 0 &&
    t.missingTickets === 0 &&
    t.lostMessages === 0 &&
    t.duplicatedMessages === 0
  );
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function latency(samples: readonly ReplySample[]): { n: number; p50: number; p95: number; max: number } {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? 0 };
}

/**
 * `before n=40 p50=420ms p95=900ms max=1200ms | during … | after …`: reply times of the messages
 * answered before the fault window, of those in flight at any moment of it, and of those sent after it.
 */
export function describeLatency(replies: readonly ReplySample[], window?: { start: number; end: number }): string {
  const show = (name: string, samples: readonly ReplySample[]) => {
    const l = latency(samples);
    return l.n === 0 ? `${name} n=0` : `${name} n=${l.n} p50=${l.p50}ms p95=${l.p95}ms max=${l.max}ms`;
  };
  if (!window) return show('all', replies);
  const before = replies.filter((r) => r.at + r.ms < window.start);
  const during = replies.filter((r) => r.at + r.ms >= window.start && r.at <= window.end);
  const after = replies.filter((r) => r.at > window.end);
  return [show('before', before), show('during', during), show('after', after)].join(' | ');
}
