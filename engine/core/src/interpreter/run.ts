import type { CompiledJourney, JsonValue, NodeKind, Outcome, RetryPolicy } from '@baton/schemas';
import { RuleBudgetExceeded } from './rules';
import { renderTemplate } from './template';
import type {
  CallPurpose,
  ConversationEvent,
  ConversationState,
  Effect,
  Speaker,
  TranscriptEntry,
  Waiting,
} from './types';

/** How an activity is called: its bound, its retries, and (optionally) run locally or on another task queue. */
export interface CallOptions {
  timeoutSeconds: number;
  retry: RetryPolicy;
  local?: boolean;
  taskQueue?: string | undefined;
}

export type Transition = { go: string; note?: string } | { wait: Waiting } | { end: Outcome };

export type CompiledNodeOfKind<K extends NodeKind> = import('@baton/schemas').CompiledNodeOf<K>;

/** One node kind's behaviour: what happens when a conversation enters it, and when an event reaches it there. */
export interface NodeStep<K extends NodeKind> {
  enter(run: Run, node: CompiledNodeOfKind<K>): Transition;
  /** `undefined` leaves the conversation waiting where it is. */
  resume?(run: Run, node: CompiledNodeOfKind<K>, event: ConversationEvent): Transition | undefined;
}

/** The working copy of one step: a draft state plus the effects it produces. */
export class Run {
  readonly effects: Effect[] = [];

  constructor(
    readonly journey: CompiledJourney,
    readonly state: ConversationState,
    public at: number,
  ) {}

  say(text: string, from: Speaker = 'bot', extra: Partial<TranscriptEntry> = {}): TranscriptEntry | undefined {
    if (text.trim() === '') return undefined;
    const entry: TranscriptEntry = { seq: this.state.transcript.length + 1, from, text, at: this.at, ...extra };
    if (from === 'bot' || from === 'system') entry.nodeId ??= this.state.nodeId ?? undefined;
    this.state.transcript.push(entry);
    this.effects.push({ type: 'say', entry });
    return entry;
  }

  /** Schedules an activity call and returns the wait for its result. */
  call(
    nodeId: string,
    activity: string,
    input: { [key: string]: JsonValue },
    options: CallOptions,
    purpose: CallPurpose,
  ): Transition {
    const callId = this.schedule(nodeId, activity, input, options, purpose);
    return { wait: { kind: 'activity', nodeId, callId, purpose } };
  }

  /**
   * Schedules an activity call whose result arrives while the conversation keeps waiting where it is
   * (an SLA escalation while the ticket waits for its agent). One at a time.
   */
  callInBackground(
    nodeId: string,
    activity: string,
    input: { [key: string]: JsonValue },
    options: Pick<CallOptions, 'timeoutSeconds' | 'retry'>,
    purpose: CallPurpose,
  ): void {
    const callId = this.schedule(nodeId, activity, input, options, purpose);
    this.state.background = { callId, purpose };
  }

  /** The call_activity effect, under the next call id of the conversation. */
  private schedule(
    nodeId: string,
    activity: string,
    input: { [key: string]: JsonValue },
    options: CallOptions,
    purpose: CallPurpose,
  ): string {
    this.state.calls += 1;
    const callId = `${nodeId}#${this.state.calls}`;
    this.effects.push({
      type: 'call_activity',
      callId,
      nodeId,
      activity,
      input,
      timeoutSeconds: options.timeoutSeconds,
      retry: options.retry,
      purpose,
      ...(options.local && { local: true }),
      ...(options.taskQueue !== undefined && { taskQueue: options.taskQueue }),
    });
    return callId;
  }

  /** What rules and templates read: the journey's variables plus the reserved context names. */
  context(): Record<string, unknown> {
    const state = this.state;
    const date = new Date(this.at);
    const handoff = state.handoffs[state.handoffs.length - 1];
    return {
      ...state.vars,
      // Only a host site's signed identity token sets it; rules always read a boolean.
      customer: { ...state.customer, verified: state.customer.verified === true },
      intent: state.intent,
      sentiment: { score: state.sentiment.score, label: state.sentiment.label, history: state.sentiment.history },
      counters: state.counters,
      lastMessage: state.lastMessage,
      time: {
        hour: date.getUTCHours(),
        minute: date.getUTCMinutes(),
        weekday: date.getUTCDay(),
        iso: date.toISOString(),
      },
      agent: handoff?.claimedBy ?? null,
      conversation: {
        id: state.conversationId,
        channel: state.channel,
        // For escalation rules: trigger phrases match case-insensitively, and bot timeouts read the age.
        lastMessageLower: state.lastMessage.toLowerCase(),
        elapsedSeconds: Math.max(0, Math.floor((this.at - state.startedAt) / 1000)),
        handoffs: state.handoffs.length,
        reopened: handoff?.reopened ?? 0,
      },
      journey: { id: state.journey.id, version: state.journey.version },
    };
  }

  render(template: string): string {
    return renderTemplate(template, this.context());
  }

  /** Annotates the current node's path step (the handoff's "steps already tried" reads these). */
  note(text: string): void {
    const step = this.state.path[this.state.path.length - 1];
    if (step) step.note = step.note ? `${step.note}; ${text}` : text;
  }
}

/**
 * Runs a node's step; a rule in it that ran past its budget (./rule-evaluator) fails the node: the
 * conversation stops with the reason, as it does when a node leads nowhere, instead of a workflow task
 * that never finishes. Any other error is a bug and propagates.
 */
export function ruleGuarded(run: Run, nodeId: string, body: () => Transition | undefined): Transition | undefined {
  try {
    return body();
  } catch (thrown) {
    if (!(thrown instanceof RuleBudgetExceeded)) throw thrown;
    run.state.counters.failures += 1;
    run.note(thrown.message);
    run.say(`The conversation stopped: node "${nodeId}" failed: ${thrown.message}`, 'system');
    return { end: 'abandoned' };
  }
}
