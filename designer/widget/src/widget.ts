/**
 * Over 400 lines because the conversation's state (stream, pending sends, handoff, agent, survey) is one
 * object; its DOM pieces are beside it (view, render, status, survey).
 *
 * Baton's embeddable chat widget. A website includes
 *
 *   <script src="https://baton.example/widget.js" data-journey="password-reset"
 *           data-api="https://baton.example" async></script>
 *
 * (optionally data-customer-id, data-customer-name, data-customer-email, data-title, data-open, and
 * data-identity-token: the host site's signed word for its signed-in customer, sent instead of them) and
 * gets a launcher and a chat panel in a shadow root. The conversation runs on the Baton API: it is
 * started on the first open, messages go out with a client message id (a retry never duplicates),
 * bot and agent messages arrive live over server-sent events, and the conversation id and its token
 * are kept in localStorage, so a page reload picks the conversation up where it was.
 *
 * This file is the conversation's logic; beside it: config (the script tag), transport (HTTP and the
 * live stream), storage, view (the shadow DOM), render (the bubbles), survey.
 */
import { readConfig, type Config } from './config';
import { agentLine, bubbleOf, insertInOrder, markNotice, quickReplies, stamp } from './render';
import { clearQuickReplies, foldSurveyQuestion, isNewest, statusText } from './status';
import { loadSaved, storeSaved } from './storage';
import { buildScale, type SurveyAnswers } from './survey';
import { WidgetError, openStream, request, unreachable } from './transport';
import type { ConversationView, Entry, Saved, StateEvent, Waiting } from './types';
import { createView, type View } from './view';

class ChatWidget {
  private readonly storageKey: string;
  /** The elements in the shadow root (see view.ts). */
  private readonly ui: View;
  private saved: Saved | null;
  private readonly shown = new Set<number>();
  /** Handoff nodes: the bot's words at them are notices (the transition, "now speaking with"), not answers. */
  private readonly handoffNodes = new Set<string>();
  private source: EventSource | null = null;
  private sending = 0;
  private botWorking = false;
  /** The agent typing to the customer now (the stream's `typing`), else null. */
  private agentTyping: string | null = null;
  private ended = false;
  private starting: Promise<void> | null = null;
  private retryAction: (() => void) | null = null;
  private readonly answers: SurveyAnswers = {};
  /** The last state the conversation told: what it waits for. */
  private waitingKind: Waiting['kind'] | null = null;
  /** Whether an agent has joined since the last handoff, and their name once they wrote. */
  private agentJoined = false;
  private agentName: string | null = null;

  constructor(private readonly config: Config) {
    this.storageKey = `baton-widget:${config.api}:${config.journey}`;
    this.saved = loadSaved(this.storageKey);
    const view = createView(config);
    this.ui = view;
    buildScale(view.cesScale, 'ces', 7, this.answers, view.surveySend);
    buildScale(view.csatScale, 'csat', 5, this.answers, view.surveySend);

    view.launcher.addEventListener('click', () => this.open());
    view.close.addEventListener('click', () => this.close());
    view.retry.addEventListener('click', () => this.retryAction?.());
    view.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.send();
    });
    view.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        void this.send();
      }
    });
    view.surveySend.addEventListener('click', () => void this.answerSurvey());
    view.restartButton.addEventListener('click', () => this.startOver());
    document.body.appendChild(view.host);

    if (this.saved?.pending) view.input.value = this.saved.pending.text;
    if (this.saved?.open || config.openOnLoad) this.open();
  }

  // ------------------------------------------------------------ storage and HTTP

  private save(change: Partial<Saved> | null): void {
    if (change === null) {
      this.saved = null;
      storeSaved(this.storageKey, null);
      return;
    }
    if (!this.saved && !change.conversationId) return;
    this.saved = { ...(this.saved as Saved), ...change };
    storeSaved(this.storageKey, this.saved);
  }

  private request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return request<T>(this.config.api, this.saved?.token, method, path, body);
  }

  // ------------------------------------------------------------ opening, starting, resuming

  open(): void {
    this.ui.root.classList.add('open');
    if (this.saved) this.save({ open: true });
    this.ui.input.focus();
    this.starting ??= this.connect().finally(() => {
      this.starting = null;
    });
  }

  close(): void {
    this.ui.root.classList.remove('open');
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
          // A signed token names a verified customer; without one, the customer's fields are claims.
          ...(this.config.identityToken
            ? { identityToken: this.config.identityToken }
            : { customer: this.config.customer }),
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
    for (const node of [...this.ui.log.querySelectorAll('.msg, .quick')]) node.remove();
    this.ended = false;
    this.waitingKind = null;
    this.agentJoined = false;
    this.agentName = null;
    this.ui.waiting.classList.remove('on');
    this.ui.survey.classList.remove('on');
    this.ui.thanks.classList.remove('on');
    this.ui.restart.classList.remove('on');
    this.ui.input.disabled = false;
    this.ui.sendButton.disabled = false;
    this.ui.input.placeholder = 'Type your message…';
    this.ui.status.textContent = '';
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

  /** The conversation live (see openStream); a refused stream is read afresh in a moment. */
  private listen(): void {
    if (!this.saved || this.ended) return;
    const source = openStream(this.config.api, this.saved.conversationId, this.saved.token, {
      entry: (entry) => this.add(entry),
      state: (state) => this.applyState(state),
      typing: (who) => {
        this.agentTyping = who;
        this.setWorking(this.botWorking);
      },
      open: () => this.hideError(),
      closed: () => {
        if (this.ended) return;
        source.close();
        this.source = null;
        this.showError('The live connection was lost; reconnecting…', () => void this.connect());
        setTimeout(() => {
          if (!this.source && this.ui.root.classList.contains('open')) void this.connect();
        }, 3000);
      },
    });
    this.source = source;
  }

  // ------------------------------------------------------------ transcript

  private add(entry: Entry): void {
    if (this.shown.has(entry.seq)) return;
    this.shown.add(entry.seq);
    if (entry.from === 'customer' && entry.clientMessageId) {
      // Our own message, now confirmed by the conversation: it replaces the pending bubble.
      this.ui.log.querySelector(`.msg[data-client-id="${CSS.escape(entry.clientMessageId)}"]`)?.remove();
      const pending = this.saved?.pending;
      if (pending?.clientMessageId === entry.clientMessageId) {
        // It got through even though its answer was lost: nothing to send again.
        if (this.ui.input.value.trim() === pending.text) {
          this.ui.input.value = '';
          this.hideError();
        }
        this.save({ pending: undefined });
      }
    }
    const bubble = bubbleOf(entry.from, entry.text, entry.at);
    bubble.dataset.seq = String(entry.seq);
    if (entry.nodeId) bubble.dataset.node = entry.nodeId;
    if (entry.from === 'agent') {
      this.agentName = entry.agent?.name ?? this.agentName;
      this.agentJoined = true;
      bubble.prepend(agentLine(entry.agent?.name ?? 'Agent'));
    }
    if (entry.from === 'bot' && entry.notice) markNotice(this.ui.log, bubble, entry.notice === 'joined');
    else if (entry.from === 'bot' && entry.nodeId && this.handoffNodes.has(entry.nodeId))
      markNotice(this.ui.log, bubble);
    // A new handoff waits for an agent again; the notice that one joined ends the wait.
    if (bubble.classList.contains('notice')) this.agentJoined = bubble.classList.contains('joined');
    // Choices belong to the newest message only.
    if (isNewest(this.ui.log, entry.seq)) clearQuickReplies(this.ui.log);
    this.insertInOrder(bubble, entry.seq);
    if (entry.from === 'bot' && entry.quickReplies?.length && isNewest(this.ui.log, entry.seq) && !this.ended)
      this.ui.log.insertBefore(
        quickReplies(entry.quickReplies, (text) => this.choose(text)),
        this.ui.log.querySelector('.msg[data-client-id]:not([data-seq])') ?? this.ui.typing,
      );
    this.showStatus();
  }

  /** A quick reply chosen: sent as if typed. */
  private choose(text: string): void {
    clearQuickReplies(this.ui.log);
    this.ui.input.value = text;
    void this.send();
  }

  /** The header's word and the waiting strip: waiting for an agent until one joins, then their name. */
  private showStatus(): void {
    const waiting = this.waitingKind === 'agent' && !this.agentJoined && !this.ended;
    if (waiting && !this.ui.waiting.classList.contains('on')) void this.askExpectedWait();
    if (!waiting) this.ui.eta.textContent = '';
    this.ui.waiting.classList.toggle('on', waiting);
    this.ui.status.textContent = statusText(this.waitingKind, waiting, this.agentName, this.ended);
  }

  /** The queue's usual wait (its median claim time), asked once each time the waiting strip shows; silent when unknown. */
  private async askExpectedWait(): Promise<void> {
    if (!this.saved) return;
    const path = `/conversations/${encodeURIComponent(this.saved.conversationId)}/expected-wait`;
    const answer = await this.request<{ expectedWaitMinutes?: number | null }>('GET', path).catch(() => null);
    const minutes = answer?.expectedWaitMinutes;
    if (typeof minutes === 'number' && this.ui.waiting.classList.contains('on'))
      this.ui.eta.textContent = `Usually about ${minutes} min. `;
  }

  private insertInOrder(bubble: HTMLElement, seq: number): void {
    insertInOrder(this.ui.log, this.ui.typing, bubble, seq);
    this.scroll();
  }

  private noteHandoffNode(nodeId: string): void {
    if (this.handoffNodes.has(nodeId)) return;
    this.handoffNodes.add(nodeId);
    for (const bubble of this.ui.log.querySelectorAll<HTMLElement>(`.msg.bot[data-node="${CSS.escape(nodeId)}"]`))
      markNotice(this.ui.log, bubble);
  }

  private applyState(state: StateEvent): void {
    const waiting = state.waiting;
    const atHandoff = waiting && (waiting.kind === 'agent' || waiting.purpose === 'open_ticket');
    if (atHandoff && waiting.nodeId) this.noteHandoffNode(waiting.nodeId);
    this.setWorking(state.status === 'active' && waiting?.kind === 'activity');
    this.waitingKind = waiting?.kind ?? null;
    const surveyed =
      this.saved?.surveyed === true ||
      ('surveyed' in state && (state as ConversationView).surveyed === true) ||
      ('survey' in state && Boolean((state as ConversationView).survey));
    this.ui.survey.classList.toggle('on', waiting?.kind === 'survey' && !surveyed);
    // The survey panel asks the questions: the bot's same words above it would ask them twice.
    if (waiting?.kind === 'survey') foldSurveyQuestion(this.ui.log);
    if (state.status === 'ended') {
      this.ended = true;
      this.source?.close();
      this.source = null;
      this.ui.input.disabled = true;
      this.ui.sendButton.disabled = true;
      this.ui.input.placeholder = 'This conversation has ended.';
      this.ui.survey.classList.remove('on');
      this.ui.thanks.classList.toggle('on', surveyed);
      this.ui.restart.classList.add('on');
      clearQuickReplies(this.ui.log);
    }
    this.showStatus();
    this.scroll();
  }

  private setWorking(on: boolean): void {
    this.botWorking = on;
    this.ui.typing.classList.toggle('on', this.botWorking || this.sending > 0 || this.agentTyping !== null);
    this.ui.typing.setAttribute(
      'aria-label',
      this.agentTyping ? `${this.agentTyping} is typing` : 'The assistant is typing',
    );
    if (this.ui.typing.classList.contains('on')) this.ui.log.appendChild(this.ui.typing);
    this.scroll();
  }

  private scroll(): void {
    this.ui.log.scrollTop = this.ui.log.scrollHeight;
  }

  // ------------------------------------------------------------ sending

  private async send(): Promise<void> {
    const text = this.ui.input.value.trim();
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
    this.ui.input.value = '';
    const bubble = bubbleOf('customer', text, Date.now());
    bubble.classList.add('pending');
    bubble.dataset.clientId = clientMessageId;
    this.ui.log.insertBefore(bubble, this.ui.typing);
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
      if (first) stamp(bubble, first.at);
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
      if (!this.ui.input.value) this.ui.input.value = text;
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

  private async answerSurvey(): Promise<void> {
    if (!this.saved || (this.answers.ces === undefined && this.answers.csat === undefined)) return;
    const send = this.ui.surveySend;
    send.disabled = true;
    try {
      const { conversation } = await this.request<{ conversation: ConversationView }>(
        'POST',
        `/conversations/${encodeURIComponent(this.saved.conversationId)}/survey`,
        { ...this.answers },
      );
      this.save({ surveyed: true });
      this.ui.survey.classList.remove('on');
      this.ui.thanks.classList.add('on');
      for (const entry of conversation.transcript) this.add(entry);
      this.applyState(conversation);
    } catch (error) {
      send.disabled = false;
      this.showError(error instanceof Error ? error.message : unreachable, () => void this.answerSurvey());
    }
  }

  // ------------------------------------------------------------ errors

  private showError(message: string, retry: () => void): void {
    this.ui.errorText.textContent = message;
    this.retryAction = retry;
    this.ui.error.classList.add('on');
  }

  private hideError(): void {
    this.ui.error.classList.remove('on');
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
