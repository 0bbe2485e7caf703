/**
 * Baton's embeddable chat widget. A website includes
 *
 *   <script src="https://baton.example/widget.js" data-journey="password-reset"
 *           data-api="https://baton.example" async></script>
 *
 * (optionally data-customer-id, data-customer-name, data-customer-email, data-title, data-open) and
 * gets a launcher and a chat panel in a shadow root. The conversation runs on the Baton API: it is
 * started on the first open, messages go out with a client message id (a retry never duplicates),
 * bot and agent messages arrive live over server-sent events, and the conversation id and its token
 * are kept in localStorage, so a page reload picks the conversation up where it was.
 */
import { widgetCss } from './styles';

interface Entry {
  seq: number;
  from: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  at: number;
  nodeId?: string;
  clientMessageId?: string;
  agent?: { id: string; name: string };
}

interface Waiting {
  kind: 'reply' | 'activity' | 'agent' | 'timer' | 'survey';
  nodeId: string;
  purpose?: string;
}

interface StateEvent {
  status: 'active' | 'ended';
  nodeId: string | null;
  waiting: Waiting | null;
  outcome: string | null;
}

interface ConversationView extends StateEvent {
  conversationId: string;
  transcript: Entry[];
  handoffs?: { nodeId: string; claimedBy?: { name: string } }[];
  survey?: { ces?: number; csat?: number } | null;
}

interface Saved {
  conversationId: string;
  token?: string;
  open?: boolean;
  /** A message that was typed and sent but not confirmed: its text comes back to the input after a reload. */
  pending?: { clientMessageId: string; text: string };
  surveyed?: boolean;
}

interface Config {
  journey: string;
  api: string;
  title: string;
  customer: { id: string; name?: string; email?: string };
  openOnLoad: boolean;
}

/** A failure the customer is told about in plain words. */
class WidgetError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const unreachable =
  "We can't reach support right now. Check your connection; what you typed is kept, so you can try again.";

function readConfig(script: HTMLScriptElement | null): Config | null {
  const data = script?.dataset ?? {};
  const journey = data.journey;
  if (!journey) {
    console.error('[baton widget] data-journey is missing on the <script> tag; the widget is not shown.');
    return null;
  }
  const scriptOrigin = script?.src ? new URL(script.src, location.href).origin : location.origin;
  const api = (data.api ?? scriptOrigin).replace(/\/+$/, '');
  const storedCustomer = `baton-widget:customer:${api}`;
  let customerId = data.customerId;
  if (!customerId) {
    // An anonymous visitor gets a stable id in this browser, so their conversations belong together.
    customerId = localStorage.getItem(storedCustomer) ?? `visitor-${crypto.randomUUID()}`;
    localStorage.setItem(storedCustomer, customerId);
  }
  return {
    journey,
    api,
    title: data.title ?? 'Support',
    customer: {
      id: customerId,
      ...(data.customerName && { name: data.customerName }),
      ...(data.customerEmail && { email: data.customerEmail }),
    },
    openOnLoad: data.open === 'true',
  };
}

const icon =
  '<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

class ChatWidget {
  private readonly storageKey: string;
  private readonly root: HTMLElement;
  private readonly log: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly error: HTMLElement;
  private readonly errorText: HTMLElement;
  private readonly retry: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly survey: HTMLElement;
  private readonly thanks: HTMLElement;
  private readonly restart: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private saved: Saved | null;
  private readonly shown = new Set<number>();
  /** Handoff nodes: the bot's words at them are notices (the transition, "now speaking with"), not answers. */
  private readonly handoffNodes = new Set<string>();
  private source: EventSource | null = null;
  private sending = 0;
  private botWorking = false;
  private ended = false;
  private starting: Promise<void> | null = null;
  private retryAction: (() => void) | null = null;
  private readonly answers: { ces?: number; csat?: number } = {};

  constructor(private readonly config: Config) {
    this.storageKey = `baton-widget:${config.api}:${config.journey}`;
    this.saved = this.load();
    const host = document.createElement('div');
    host.setAttribute('data-baton-widget', config.journey);
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = `<style>${widgetCss}</style>
<div class="root">
  <button class="launcher" type="button" aria-label="Open the support chat">${icon}<span></span></button>
  <section class="panel" role="dialog" aria-label="">
    <header class="head"><span class="title"></span><span class="status" aria-live="polite"></span><button class="close" type="button" aria-label="Close the chat">×</button></header>
    <div class="log" role="log" aria-live="polite" aria-relevant="additions"><div class="typing" aria-label="The assistant is typing" role="status"><span></span><span></span><span></span></div></div>
    <div class="error" role="alert"><span></span><button type="button">Try again</button></div>
    <div class="survey" role="group" aria-label="Survey">
      <p id="ces-q">How easy was it to handle your issue?</p>
      <div class="scale" data-scale="ces" role="group" aria-labelledby="ces-q"></div>
      <div class="ends"><span>1 very hard</span><span>7 very easy</span></div>
      <p id="csat-q">How satisfied are you?</p>
      <div class="scale" data-scale="csat" role="group" aria-labelledby="csat-q"></div>
      <div class="ends"><span>1 not at all</span><span>5 very</span></div>
      <button class="send" type="button" disabled>Send answers</button>
    </div>
    <div class="thanks" role="status">Thank you for your feedback!</div>
    <div class="restart"><button type="button">Start a new conversation</button></div>
    <form><label class="visually-hidden" for="baton-input">Your message</label><textarea id="baton-input" name="message" placeholder="Type your message…" maxlength="4000"></textarea><button type="submit">Send</button></form>
  </section>
</div>`;
    const $ = <T extends Element>(selector: string) => shadow.querySelector(selector) as T;
    this.root = $('.root');
    this.log = $('.log');
    this.typing = $('.typing');
    this.error = $('.error');
    this.errorText = $('.error span');
    this.retry = $('.error button');
    this.status = $('.status');
    this.survey = $('.survey');
    this.thanks = $('.thanks');
    this.form = $('form');
    this.input = $('textarea');
    this.sendButton = $('form button');
    $<HTMLElement>('.launcher span').textContent = config.title;
    $<HTMLElement>('.title').textContent = config.title;
    $<HTMLElement>('.panel').setAttribute('aria-label', `${config.title} chat`);
    this.buildScale($('[data-scale="ces"]'), 'ces', 7);
    this.buildScale($('[data-scale="csat"]'), 'csat', 5);

    $<HTMLButtonElement>('.launcher').addEventListener('click', () => this.open());
    $<HTMLButtonElement>('.close').addEventListener('click', () => this.close());
    this.retry.addEventListener('click', () => this.retryAction?.());
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.send();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        void this.send();
      }
    });
    $<HTMLButtonElement>('.survey .send').addEventListener('click', () => void this.answerSurvey());
    this.restart = $('.restart');
    $<HTMLButtonElement>('.restart button').addEventListener('click', () => this.startOver());
    document.body.appendChild(host);

    if (this.saved?.pending) this.input.value = this.saved.pending.text;
    if (this.saved?.open || config.openOnLoad) this.open();
  }

  // ------------------------------------------------------------ storage

  private load(): Saved | null {
    try {
      const raw = localStorage.getItem(this.storageKey);
      const value = raw ? (JSON.parse(raw) as Saved) : null;
      return value && typeof value.conversationId === 'string' ? value : null;
    } catch {
      return null;
    }
  }

  private save(change: Partial<Saved> | null): void {
    if (change === null) {
      this.saved = null;
      localStorage.removeItem(this.storageKey);
      return;
    }
    if (!this.saved && !change.conversationId) return;
    this.saved = { ...(this.saved as Saved), ...change };
    localStorage.setItem(this.storageKey, JSON.stringify(this.saved));
  }

  // ------------------------------------------------------------ HTTP

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.saved?.token) headers.authorization = `Bearer ${this.saved.token}`;
    let response: Response;
    try {
      response = await fetch(`${this.config.api}/api${path}`, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch {
      throw new WidgetError(unreachable);
    }
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // An HTML error page from a proxy: the status says enough.
    }
    if (!response.ok) {
      if (response.status >= 500 || response.status === 0) throw new WidgetError(unreachable, response.status);
      const detail =
        typeof json.detail === 'string'
          ? json.detail
          : typeof json.title === 'string'
            ? json.title
            : response.statusText;
      throw new WidgetError(detail, response.status);
    }
    return json as T;
  }

  // ------------------------------------------------------------ opening, starting, resuming

  open(): void {
    this.root.classList.add('open');
    if (this.saved) this.save({ open: true });
    this.input.focus();
    this.starting ??= this.connect().finally(() => {
      this.starting = null;
    });
  }

  close(): void {
    this.root.classList.remove('open');
    if (this.saved) this.save({ open: false });
  }

  /** Resumes the stored conversation (a fresh read, then the live stream), or starts one. */
  private async connect(): Promise<void> {
    this.hideError();
    if (this.source) return;
    try {
      if (this.saved) {
        try {
          const { conversation } = await this.request<{ conversation: ConversationView }>(
            'GET',
            `/conversations/${encodeURIComponent(this.saved.conversationId)}`,
          );
          this.showConversation(conversation);
          this.listen();
          return;
        } catch (error) {
          // The conversation is gone, or its token no longer opens it: start a new one.
          if (!(error instanceof WidgetError && [401, 403, 404].includes(error.status ?? 0))) throw error;
          this.save(null);
          this.reset();
        }
      }
      this.setWorking(true);
      const started = await this.request<{ conversationId: string; token?: string; conversation: ConversationView }>(
        'POST',
        '/conversations',
        {
          journeyId: this.config.journey,
          customer: this.config.customer,
          channel: 'web',
        },
      );
      this.save({ conversationId: started.conversationId, ...(started.token && { token: started.token }), open: true });
      this.showConversation(started.conversation);
      this.listen();
    } catch (error) {
      this.setWorking(false);
      this.showError(error instanceof Error ? error.message : unreachable, () => void this.connect());
    }
  }

  private reset(): void {
    this.shown.clear();
    this.handoffNodes.clear();
    for (const node of [...this.log.querySelectorAll('.msg')]) node.remove();
    this.ended = false;
    this.survey.classList.remove('on');
    this.thanks.classList.remove('on');
    this.restart.classList.remove('on');
    this.input.disabled = false;
    this.sendButton.disabled = false;
    this.input.placeholder = 'Type your message…';
    this.status.textContent = '';
  }

  /** After an ended conversation: forget it and begin another. */
  private startOver(): void {
    this.source?.close();
    this.source = null;
    this.save(null);
    this.reset();
    this.starting ??= this.connect().finally(() => {
      this.starting = null;
    });
  }

  private showConversation(view: ConversationView): void {
    for (const handoff of view.handoffs ?? []) this.handoffNodes.add(handoff.nodeId);
    for (const entry of view.transcript) this.add(entry);
    this.applyState(view);
  }

  /** Server-sent events: `message` (a transcript entry, `id` its seq) and `state`. EventSource resumes with Last-Event-ID by itself. */
  private listen(): void {
    if (!this.saved || this.ended) return;
    const token = this.saved.token ? `?token=${encodeURIComponent(this.saved.token)}` : '';
    const source = new EventSource(
      `${this.config.api}/api/conversations/${encodeURIComponent(this.saved.conversationId)}/stream${token}`,
    );
    this.source = source;
    source.addEventListener('message', (event) => {
      this.add(JSON.parse((event as MessageEvent<string>).data) as Entry);
    });
    source.addEventListener('state', (event) => {
      this.applyState(JSON.parse((event as MessageEvent<string>).data) as StateEvent);
    });
    source.addEventListener('open', () => this.hideError());
    source.addEventListener('error', () => {
      if (this.ended) return;
      if (source.readyState === EventSource.CLOSED) {
        // Refused (not a network blip, which EventSource retries itself): read afresh in a moment.
        source.close();
        this.source = null;
        this.showError('The live connection was lost; reconnecting…', () => void this.connect());
        setTimeout(() => {
          if (!this.source && this.root.classList.contains('open')) void this.connect();
        }, 3000);
      }
    });
  }

  // ------------------------------------------------------------ transcript

  private add(entry: Entry): void {
    if (this.shown.has(entry.seq)) return;
    this.shown.add(entry.seq);
    if (entry.from === 'customer' && entry.clientMessageId) {
      // Our own message, now confirmed by the conversation: it replaces the pending bubble.
      this.log.querySelector(`.msg[data-client-id="${CSS.escape(entry.clientMessageId)}"]`)?.remove();
      const pending = this.saved?.pending;
      if (pending?.clientMessageId === entry.clientMessageId) {
        // It got through even though its answer was lost: nothing to send again.
        if (this.input.value.trim() === pending.text) {
          this.input.value = '';
          this.hideError();
        }
        this.save({ pending: undefined });
      }
    }
    const bubble = this.bubble(entry.from, entry.text);
    bubble.dataset.seq = String(entry.seq);
    if (entry.nodeId) bubble.dataset.node = entry.nodeId;
    if (entry.from === 'agent') {
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = `${entry.agent?.name ?? 'Agent'} · support agent`;
      bubble.prepend(who);
    }
    if (entry.from === 'bot' && entry.nodeId && this.handoffNodes.has(entry.nodeId)) this.markNotice(bubble);
    this.insertInOrder(bubble, entry.seq);
  }

  /** In seq order, before the messages still on their way and the typing indicator. */
  private insertInOrder(bubble: HTMLElement, seq: number): void {
    const after = [...this.log.querySelectorAll<HTMLElement>('.msg[data-seq]')].find(
      (node) => Number(node.dataset.seq) > seq,
    );
    this.log.insertBefore(
      bubble,
      after ?? this.log.querySelector('.msg[data-client-id]:not([data-seq])') ?? this.typing,
    );
    this.scroll();
  }

  private bubble(from: string, text: string): HTMLElement {
    const bubble = document.createElement('div');
    bubble.className = `msg ${from}`;
    bubble.textContent = text;
    return bubble;
  }

  private markNotice(bubble: HTMLElement): void {
    bubble.classList.remove('bot');
    bubble.classList.add('notice');
    // At a handoff the bot first says the warm transition; what it says later there is the agent joining.
    const seq = Number(bubble.dataset.seq);
    const others = [
      ...this.log.querySelectorAll<HTMLElement>(`.msg.notice[data-node="${CSS.escape(bubble.dataset.node ?? '')}"]`),
    ];
    if (others.some((other) => other !== bubble && Number(other.dataset.seq) < seq)) bubble.classList.add('joined');
  }

  private noteHandoffNode(nodeId: string): void {
    if (this.handoffNodes.has(nodeId)) return;
    this.handoffNodes.add(nodeId);
    for (const bubble of this.log.querySelectorAll<HTMLElement>(`.msg.bot[data-node="${CSS.escape(nodeId)}"]`))
      this.markNotice(bubble);
  }

  private applyState(state: StateEvent): void {
    const waiting = state.waiting;
    const atHandoff = waiting && (waiting.kind === 'agent' || waiting.purpose === 'open_ticket');
    if (atHandoff) this.noteHandoffNode(waiting.nodeId);
    this.setWorking(state.status === 'active' && waiting?.kind === 'activity');
    if (waiting?.kind === 'agent') this.status.textContent = 'with an agent';
    else if (waiting?.kind === 'survey') this.status.textContent = '';
    else this.status.textContent = state.status === 'ended' ? 'ended' : '';
    const surveyed =
      this.saved?.surveyed === true || ('survey' in state && Boolean((state as ConversationView).survey));
    this.survey.classList.toggle('on', waiting?.kind === 'survey' && !surveyed);
    if (state.status === 'ended') {
      this.ended = true;
      this.source?.close();
      this.source = null;
      this.input.disabled = true;
      this.sendButton.disabled = true;
      this.input.placeholder = 'This conversation has ended.';
      this.survey.classList.remove('on');
      this.thanks.classList.toggle('on', surveyed);
      this.restart.classList.add('on');
    }
    this.scroll();
  }

  private setWorking(on: boolean): void {
    this.botWorking = on;
    this.typing.classList.toggle('on', this.botWorking || this.sending > 0);
    if (this.typing.classList.contains('on')) this.log.appendChild(this.typing);
    this.scroll();
  }

  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  // ------------------------------------------------------------ sending

  private async send(): Promise<void> {
    const text = this.input.value.trim();
    if (!text || this.ended) return;
    if (!this.saved) {
      await (this.starting ?? this.connect());
      if (!this.saved) return;
    }
    // The same text sent again after a failure keeps its id, so the conversation sees it once.
    const clientMessageId =
      this.saved.pending?.text === text ? this.saved.pending.clientMessageId : crypto.randomUUID();
    this.save({ pending: { clientMessageId, text } });
    this.hideError();
    this.input.value = '';
    const bubble = this.bubble('customer', text);
    bubble.classList.add('pending');
    bubble.dataset.clientId = clientMessageId;
    this.log.insertBefore(bubble, this.typing);
    this.sending += 1;
    this.setWorking(this.botWorking);
    try {
      const result = await this.request<{
        replies: Entry[];
        conversation?: { handoff?: { nodeId: string } | null; waiting?: Waiting | null };
      }>('POST', `/conversations/${encodeURIComponent(this.saved.conversationId)}/messages`, { clientMessageId, text });
      this.save({ pending: undefined });
      bubble.classList.remove('pending');
      // The stream brings the same entries with their seq; the answer may be quicker. The bot answers
      // right after the message, so the message's seq is the one before the first reply's.
      const first = result.replies[0];
      if (first && bubble.isConnected && !this.shown.has(first.seq - 1)) {
        this.shown.add(first.seq - 1);
        bubble.dataset.seq = String(first.seq - 1);
        bubble.remove();
        this.insertInOrder(bubble, first.seq - 1);
      }
      // The answer is as fresh as the replies: the bot is done unless it still runs an activity
      // (the stream may not have told yet).
      if (result.conversation) this.botWorking = result.conversation.waiting?.kind === 'activity';
      // A reply that handed the conversation off: its words there are notices.
      if (result.conversation?.handoff) this.noteHandoffNode(result.conversation.handoff.nodeId);
      for (const reply of result.replies) this.add(reply);
      if (!this.source && !this.ended) this.listen();
    } catch (error) {
      bubble.remove();
      // The conversation already showed it (over the stream): it was delivered, only the answer was lost.
      if (this.saved?.pending?.clientMessageId !== clientMessageId) return;
      // Keep what the customer typed (unless they already typed something new).
      if (!this.input.value) this.input.value = text;
      const message =
        error instanceof WidgetError && error.status === 409
          ? `This conversation can't take messages now: ${error.message}`
          : error instanceof Error
            ? error.message
            : unreachable;
      this.showError(message, () => void this.send());
    } finally {
      this.sending -= 1;
      this.setWorking(this.botWorking);
    }
  }

  // ------------------------------------------------------------ survey

  private buildScale(container: HTMLElement, name: 'ces' | 'csat', points: number): void {
    for (let value = 1; value <= points; value += 1) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = String(value);
      button.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-label', `${name === 'ces' ? 'Effort' : 'Satisfaction'} ${value} of ${points}`);
      button.addEventListener('click', () => {
        this.answers[name] = value;
        for (const other of container.querySelectorAll('button'))
          other.setAttribute('aria-pressed', String(other === button));
        (this.survey.querySelector('.send') as HTMLButtonElement).disabled = false;
      });
      container.appendChild(button);
    }
  }

  private async answerSurvey(): Promise<void> {
    if (!this.saved || (this.answers.ces === undefined && this.answers.csat === undefined)) return;
    const send = this.survey.querySelector('.send') as HTMLButtonElement;
    send.disabled = true;
    try {
      const { conversation } = await this.request<{ conversation: ConversationView }>(
        'POST',
        `/conversations/${encodeURIComponent(this.saved.conversationId)}/survey`,
        { ...this.answers },
      );
      this.save({ surveyed: true });
      this.survey.classList.remove('on');
      this.thanks.classList.add('on');
      for (const entry of conversation.transcript) this.add(entry);
      this.applyState(conversation);
    } catch (error) {
      send.disabled = false;
      this.showError(error instanceof Error ? error.message : unreachable, () => void this.answerSurvey());
    }
  }

  // ------------------------------------------------------------ errors

  private showError(message: string, retry: () => void): void {
    this.errorText.textContent = message;
    this.retryAction = retry;
    this.error.classList.add('on');
  }

  private hideError(): void {
    this.error.classList.remove('on');
    this.retryAction = null;
  }
}

function boot(): void {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[data-journey][src*="widget"]');
  const config = readConfig(script);
  if (!config) return;
  const mount = () => {
    const widget = new ChatWidget(config);
    (window as unknown as { batonWidget?: ChatWidget }).batonWidget = widget;
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}

boot();
