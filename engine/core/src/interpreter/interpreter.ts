import type { CompiledJourney, NodeKind, Outcome } from '@baton/schemas';
import { Run, ruleGuarded, type CompiledNodeOfKind, type NodeStep, type Transition } from './run';
import { kindRuntimes } from '../kinds';
import type {
  ConversationEvent,
  ConversationState,
  HandoffRecord,
  StartInput,
  StepOutput,
  TranscriptEntry,
} from './types';

/** A journey the compiler accepted never spins; this only guards against a hand-made compiled file. */
const maxTransitionsPerStep = 1000;

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function stepOf(type: string): NodeStep<NodeKind> | undefined {
  // One runtime per node kind (a type-only import of the kinds: the workflow bundle stays free of zod).
  return Object.hasOwn(kindRuntimes, type)
    ? (kindRuntimes[type as NodeKind].step as unknown as NodeStep<NodeKind>)
    : undefined;
}

function nodeAt(journey: CompiledJourney, id: string) {
  return Object.hasOwn(journey.nodes, id) ? (journey.nodes[id] as unknown as CompiledNodeOfKind<NodeKind>) : undefined;
}

function finish(run: Run, outcome: Outcome): void {
  const state = run.state;
  state.status = 'ended';
  state.outcome = outcome;
  state.endedAt = run.at;
  state.waiting = null;
  run.effects.push({ type: 'end', outcome });
}

function abandon(run: Run, reason: string): void {
  run.say(`The conversation stopped: ${reason}`, 'system');
  finish(run, 'abandoned');
}

/** Follows transitions until the conversation waits or ends. */
function advance(run: Run, first: Transition): void {
  const state = run.state;
  let transition = first;
  for (let count = 0; ; count += 1) {
    if ('wait' in transition) {
      state.waiting = transition.wait;
      run.effects.push({ type: 'wait', waiting: transition.wait });
      return;
    }
    if ('end' in transition) {
      finish(run, transition.end);
      return;
    }
    if (count >= maxTransitionsPerStep) {
      abandon(run, `more than ${maxTransitionsPerStep} steps without waiting`);
      return;
    }
    const from = nodeAt(run.journey, state.nodeId ?? '');
    const step = state.path[state.path.length - 1];
    if (step) step.handle = transition.go;
    if (transition.note) run.note(transition.note);
    const targetId = from && Object.hasOwn(from.next, transition.go) ? from.next[transition.go] : undefined;
    const target = targetId === undefined ? undefined : nodeAt(run.journey, targetId);
    if (!target) {
      abandon(run, `handle "${transition.go}" of node "${state.nodeId}" leads nowhere`);
      return;
    }
    transition = enter(run, target);
  }
}

function enter(run: Run, node: CompiledNodeOfKind<NodeKind>): Transition {
  const state = run.state;
  state.nodeId = node.id;
  state.waiting = null;
  state.counters.visits[node.id] =
    (Object.hasOwn(state.counters.visits, node.id) ? (state.counters.visits[node.id] as number) : 0) + 1;
  state.path.push({ nodeId: node.id, type: node.type, at: run.at });
  const step = stepOf(node.type);
  if (!step) return { end: 'abandoned' };
  return ruleGuarded(run, node.id, () => step.enter(run, node)) as Transition;
}

/** Starts a conversation: the initial state, run up to its first wait. */
export function startConversation(journey: CompiledJourney, input: StartInput): StepOutput {
  const state: ConversationState = {
    conversationId: input.conversationId,
    channel: input.channel,
    journey: { id: journey.id, version: journey.version, hash: journey.hash },
    status: 'active',
    nodeId: null,
    waiting: null,
    vars: { ...clone(journey.defaults), ...clone(input.variables) },
    customer: clone(input.customer),
    intent: null,
    sentiment: { score: 0, label: 'neutral', history: [] },
    counters: { turns: 0, failures: 0, lowConfidence: 0, visits: {} },
    lastMessage: '',
    buffered: [],
    transcript: [],
    path: [],
    handoffs: [],
    survey: null,
    outcome: null,
    startedAt: input.at,
    endedAt: null,
    calls: 0,
    messageIds: {},
  };
  const run = new Run(journey, state, input.at);
  const start = nodeAt(journey, journey.start);
  if (!start) abandon(run, `start node "${journey.start}" is missing`);
  else advance(run, enter(run, start));
  return { state, effects: run.effects };
}

/** Whether an event applies to the conversation as it is now; a reason when it does not. */
export function rejectionOf(state: ConversationState, event: ConversationEvent): string | undefined {
  if (state.status === 'ended') return 'the conversation has ended';
  const waiting = state.waiting;
  switch (event.type) {
    case 'customer_message':
      // A blank line would count as a turn and answer a question, yet leave no transcript entry.
      return event.text.trim() === '' ? 'a message needs text' : undefined;
    case 'timeout':
      return waiting && 'until' in waiting && waiting.until !== null
        ? undefined
        : 'the conversation is not waiting for a timer';
    case 'activity_result':
      if (state.background?.callId === event.callId) return undefined;
      return waiting?.kind === 'activity' && waiting.callId === event.callId
        ? undefined
        : `no activity call "${event.callId}" is pending`;
    case 'agent_claimed':
    case 'ticket_resolved':
      return waiting?.kind === 'agent' ? undefined : 'the conversation is not with an agent';
    case 'agent_message': {
      if (waiting?.kind !== 'agent') return 'the conversation is not with an agent';
      if (event.text.trim() === '') return 'a message needs text';
      const handoff = state.handoffs[state.handoffs.length - 1];
      return handoff?.claimedBy ? undefined : 'claim the ticket before replying';
    }
    case 'survey_answered':
      return waiting?.kind === 'survey' ? undefined : 'the conversation is not waiting for a survey answer';
    default:
      return 'unknown event';
  }
}

/** Customer or agent messages carry a client id; a retry of one already taken changes nothing. */
function isDuplicate(state: ConversationState, event: ConversationEvent): boolean {
  if (event.type !== 'customer_message' && event.type !== 'agent_message') return false;
  return Object.prototype.hasOwnProperty.call(state.messageIds, messageKey(event));
}

/** A plain assignment would drop an id such as "__proto__" (it sets the prototype); define the key instead. */
function rememberMessage(state: ConversationState, key: string, seq: number): void {
  Object.defineProperty(state.messageIds, key, { value: seq, enumerable: true, writable: true, configurable: true });
}

function messageKey(event: { type: string; clientMessageId: string }): string {
  return event.type === 'agent_message' ? `agent:${event.clientMessageId}` : event.clientMessageId;
}

/**
 * The interpreter: (state, event) → (new state, effects). Pure and deterministic; the input state
 * is never modified.
 */
export function step(journey: CompiledJourney, current: ConversationState, event: ConversationEvent): StepOutput {
  if (isDuplicate(current, event)) return { state: current, effects: [], duplicate: true };
  const rejected = rejectionOf(current, event);
  if (rejected) return { state: current, effects: [], rejected };

  const state = clone(current);
  const run = new Run(journey, state, event.at);

  if (event.type === 'customer_message') {
    const entry = run.say(event.text, 'customer', { clientMessageId: event.clientMessageId });
    rememberMessage(state, messageKey(event), entry?.seq ?? state.transcript.length);
    state.counters.turns += 1;
    state.lastMessage = event.text;
    const waitingKind = state.waiting?.kind;
    if (wouldReopen(journey, current)) {
      const handoff = state.handoffs[state.handoffs.length - 1] as HandoffRecord;
      handoff.reopenRequested = true;
      advance(run, { go: 'reopened', note: 'the customer wrote after the resolution' });
      return { state, effects: run.effects };
    }
    // While the bot is busy (an activity, a timer) the message waits for the next question.
    if (waitingKind === 'activity' || waitingKind === 'timer') {
      state.buffered.push(event.text);
      return { state, effects: run.effects };
    }
    if (waitingKind !== 'reply') return { state, effects: run.effects };
  }
  if (event.type === 'agent_message') rememberMessage(state, messageKey(event), state.transcript.length + 1);

  const node = nodeAt(journey, state.nodeId ?? '');
  const nodeStep = node ? stepOf(node.type) : undefined;
  if (!node || !nodeStep?.resume)
    return { state: current, effects: [], rejected: 'the conversation is not at a node that waits' };
  const transition = ruleGuarded(run, node.id, () => nodeStep.resume?.(run, node, event));
  if (transition) advance(run, transition);
  else if (state.waiting) run.effects.push({ type: 'wait', waiting: state.waiting });
  return { state, effects: run.effects };
}

/**
 * Whether a customer message now reopens the last ticket: it was resolved, and the conversation is
 * still in a follow-up (waiting for the survey or its delay) whose `reopened` handle is connected.
 */
export function wouldReopen(journey: CompiledJourney, state: ConversationState): boolean {
  if (
    state.status !== 'active' ||
    !state.waiting ||
    (state.waiting.kind !== 'survey' && state.waiting.kind !== 'timer')
  )
    return false;
  const at = nodeAt(journey, state.nodeId ?? '');
  if (at?.type !== 'followup' || !Object.hasOwn(at.next, 'reopened')) return false;
  const handoff = state.handoffs[state.handoffs.length - 1];
  return handoff !== undefined && handoff.resolvedAt !== undefined;
}

/** The bot's (and agents') messages that answered one customer message, for a retried request too. */
export function repliesTo(state: ConversationState, clientMessageId: string): TranscriptEntry[] {
  if (!Object.hasOwn(state.messageIds, clientMessageId)) return [];
  const seq = state.messageIds[clientMessageId] as number;
  const replies: TranscriptEntry[] = [];
  for (const entry of state.transcript) {
    if (entry.seq <= seq) continue;
    if (entry.from === 'customer') break;
    replies.push(entry);
  }
  return replies;
}

/** True when the conversation waits on the outside world (customer, agent, timer) rather than on its own work. */
export function isSettled(state: ConversationState): boolean {
  return state.status === 'ended' || (state.waiting !== null && state.waiting.kind !== 'activity');
}
