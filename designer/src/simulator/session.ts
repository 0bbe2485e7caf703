import { builtinActivityNames, type CompiledJourney, type Customer, type JsonValue } from '@baton/schemas';
import {
  startConversation,
  step as interpret,
  type ActivityCall,
  type ConversationEvent,
  type ConversationState,
  type Effect,
  type PathStep,
  type TranscriptEntry,
} from '@baton/core/interpreter';
import { defaultCustomer, fakeBuiltin, isFakedBuiltin, startOf, type TicketRecord } from '@baton/core/simulator';

/**
 * An interactive simulation in the browser: the same interpreter core as production
 * (`startConversation` / `step`), driven one action at a time by the designer. Activity calls stop
 * and wait for the designer to give their result (a fake from the output schema, or the intent a
 * classification should return); the built-ins that need the inbox, the channel or the database are
 * answered in-process by the fake `baton test` uses (@baton/core/simulator's builtin-fakes), so the
 * designer is not asked for them. Every action is recorded as a step of a journey test file.
 */

export type ActivityAnswer = { output: JsonValue } | { error: string };

export type TestStep =
  | { customer: string; ai?: AiFixed[]; clientMessageId?: string }
  | { wait: 'timeout' }
  | { agent: 'claim'; name: string }
  | { agent: 'say'; text: string }
  | { agent: 'resolve'; name?: string; resolution?: string }
  | { survey: { ces?: number; csat?: number } }
  | { expect: Record<string, JsonValue> };

export type AiFixed =
  | {
      intent: string | null;
      confidence: number;
      sentiment: number;
      /** The classifier's best few intents (a node with `clarify` asks "A or B?" from it). */
      ranking?: { intent: string; confidence: number }[];
    }
  | { error: string };

export interface SimSession {
  journey: CompiledJourney;
  state: ConversationState;
  /** Virtual clock (epoch ms). */
  clock: number;
  startedAt: number;
  customer: Customer;
  /** The activity call that waits for the designer's answer. */
  pending: ActivityCall | null;
  /** Effects of the current action not carried out yet (after the pending call). */
  steps: TestStep[];
  /** Results given to activities (not classify), in call order per activity: the test's fakes. */
  fakes: Record<string, ActivityAnswer[]>;
  /** Set when a classification happened with no customer message to carry its `ai` answer. */
  unrecordable: string[];
  /** A short log of what happened, for the chat panel. */
  events: SimEvent[];
  messageCount: number;
  /** Index in `events` where the current action began (its expectation covers everything since). */
  actionStart: number;
  /** The tickets the built-ins' fake opened (it counts reopenings on them). */
  tickets: TicketRecord[];
}

export type SimEvent =
  | { kind: 'say'; entry: TranscriptEntry }
  | { kind: 'call'; nodeId: string; activity: string; answer: ActivityAnswer; source: 'designer' | 'builtin' }
  | { kind: 'timeout'; nodeId: string; at: number }
  | { kind: 'rejected'; reason: string };

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Carries out effects: records what was said, answers built-ins, stops at the first call the designer must answer. */
function settle(session: SimSession, effects: Effect[]): SimSession {
  let current = effects;
  for (let guard = 0; guard < 200; guard += 1) {
    for (const effect of current) if (effect.type === 'say') session.events.push({ kind: 'say', entry: effect.entry });
    const waiting = session.state.waiting;
    const calls = current.filter((effect): effect is ActivityCall => effect.type === 'call_activity');
    const call = calls.find((c) => waiting?.kind === 'activity' && c.callId === waiting.callId) ?? calls[0];
    if (!call) {
      session.pending = null;
      return session;
    }
    const output = isFakedBuiltin(call.activity)
      ? fakeBuiltin(call.activity, call.input, { tickets: session.tickets, nodeId: call.nodeId, at: session.clock })
      : undefined;
    if (output === undefined) {
      session.pending = call;
      return session;
    }
    session.events.push({
      kind: 'call',
      nodeId: call.nodeId,
      activity: call.activity,
      answer: { output },
      source: 'builtin',
    });
    const result = interpret(session.journey, session.state, {
      type: 'activity_result',
      at: session.clock,
      callId: call.callId,
      ok: true,
      output,
    });
    session.state = result.state;
    current = result.effects;
  }
  session.events.push({
    kind: 'rejected',
    reason: 'more than 200 built-in activity calls in a row: the journey loops',
  });
  session.pending = null;
  return session;
}

export interface StartOptions {
  customer?: Customer;
  variables?: Record<string, JsonValue>;
}

export function startSession(journey: CompiledJourney, options: StartOptions = {}): SimSession {
  const startedAt = startOf({});
  const customer = clone(options.customer ?? { ...defaultCustomer });
  const started = startConversation(journey, {
    conversationId: 'sim-1',
    channel: 'simulator',
    customer,
    variables: options.variables ?? {},
    at: startedAt,
  });
  const session: SimSession = {
    journey,
    state: started.state,
    clock: startedAt,
    startedAt,
    customer,
    pending: null,
    steps: [],
    fakes: {},
    unrecordable: [],
    events: [],
    messageCount: 0,
    actionStart: 0,
    tickets: [],
  };
  settle(session, started.effects);
  noteExpectation(session, 0);
  return session;
}

/** After each action, an expectation of what the bot said and where the conversation stands. */
function noteExpectation(session: SimSession, fromEvent: number): void {
  if (session.pending) return;
  const said = session.events
    .slice(fromEvent)
    .flatMap((event) =>
      event.kind === 'say' && (event.entry.from === 'bot' || event.entry.from === 'system') ? [event.entry.text] : [],
    );
  const expect: Record<string, JsonValue> = said.length ? { bot: said } : { silent: true };
  if (session.state.status === 'ended') expect.status = 'ended';
  else if (session.state.nodeId) expect.at = session.state.nodeId;
  session.steps.push({ expect });
}

function apply(session: SimSession, event: ConversationEvent): boolean {
  const output = interpret(session.journey, session.state, event);
  if (output.rejected) {
    session.events.push({ kind: 'rejected', reason: output.rejected });
    return false;
  }
  session.state = output.state;
  settle(session, output.effects);
  return true;
}

/** Runs one designer action on a copy (sessions are immutable values for React); false from `run`: nothing happened. */
function act(previous: SimSession, run: (session: SimSession) => boolean): SimSession {
  const session: SimSession = {
    ...previous,
    steps: [...previous.steps],
    fakes: clone(previous.fakes),
    events: [...previous.events],
    unrecordable: [...previous.unrecordable],
    tickets: clone(previous.tickets),
  };
  // An answer to a pending call continues the action that made the call.
  if (!previous.pending) session.actionStart = session.events.length;
  if (run(session)) noteExpectation(session, session.actionStart);
  return session;
}

export function canSendMessage(session: SimSession): boolean {
  return session.state.status === 'active' && session.pending === null;
}

export function sendCustomerMessage(previous: SimSession, text: string): SimSession {
  return act(previous, (session) => {
    const stepsBefore = session.steps.length;
    session.messageCount += 1;
    const clientMessageId = `m${session.messageCount}`;
    if (!apply(session, { type: 'customer_message', at: session.clock, text, clientMessageId })) return false;
    // The step goes before the expectation, and before any classification answer that attaches to it.
    session.steps.splice(stepsBefore, 0, { customer: text });
    return true;
  });
}

/** The designer's answer to the pending activity call. */
export function answerActivity(previous: SimSession, answer: ActivityAnswer): SimSession {
  const call = previous.pending;
  if (!call) return previous;
  return act(previous, (session) => {
    session.events.push({ kind: 'call', nodeId: call.nodeId, activity: call.activity, answer, source: 'designer' });
    if (call.activity === builtinActivityNames.classify) recordClassification(session, answer);
    else (session.fakes[call.activity] ??= []).push(answer);
    const event: ConversationEvent =
      'error' in answer
        ? { type: 'activity_result', at: session.clock, callId: call.callId, ok: false, error: answer.error }
        : { type: 'activity_result', at: session.clock, callId: call.callId, ok: true, output: answer.output };
    session.pending = null;
    return apply(session, event);
  });
}

/** A classification's answer goes on the customer message that caused it (`ai`), as `baton test` reads it. */
function recordClassification(session: SimSession, answer: ActivityAnswer): void {
  let fixed: AiFixed;
  if ('error' in answer) fixed = { error: answer.error };
  else {
    const out = (answer.output ?? {}) as {
      intent?: unknown;
      confidence?: unknown;
      sentiment?: { score?: unknown };
      ranking?: unknown;
    };
    // The ranking is kept so the saved test asks the same clarifying question.
    const ranking = Array.isArray(out.ranking)
      ? out.ranking.flatMap((item: unknown) => {
          const { intent, confidence } = (item ?? {}) as { intent?: unknown; confidence?: unknown };
          return typeof intent === 'string' && intent !== '' && typeof confidence === 'number'
            ? [{ intent, confidence: Math.min(1, Math.max(0, confidence)) }]
            : [];
        })
      : [];
    fixed = {
      intent: typeof out.intent === 'string' ? out.intent : null,
      confidence: typeof out.confidence === 'number' ? out.confidence : 0,
      sentiment: typeof out.sentiment?.score === 'number' ? out.sentiment.score : 0,
      ...(ranking.length > 0 && { ranking: ranking.slice(0, 10) }),
    };
  }
  for (let i = session.steps.length - 1; i >= 0; i -= 1) {
    const step = session.steps[i]!;
    if ('customer' in step) {
      session.steps[i] = { ...step, ai: [...(step.ai ?? []), fixed] };
      return;
    }
    if ('wait' in step || 'agent' in step || 'survey' in step) break;
  }
  session.unrecordable.push(
    'a classification that no customer message caused cannot be fixed in a test file; `baton test` will use the embedded classifier there',
  );
}

/** Virtual time: jumps to the pending deadline (reply timeout, wait node, unclaimed handoff, survey). */
export function nextDeadline(session: SimSession): number | null {
  const waiting = session.state.waiting;
  if (session.state.status === 'ended' || !waiting || waiting.kind === 'activity' || waiting.until === null)
    return null;
  return waiting.until;
}

export function advanceTime(previous: SimSession): SimSession {
  const until = nextDeadline(previous);
  if (until === null) return previous;
  return act(previous, (session) => {
    session.clock = Math.max(session.clock, until);
    session.events.push({ kind: 'timeout', nodeId: session.state.waiting?.nodeId ?? '', at: session.clock });
    if (!apply(session, { type: 'timeout', at: session.clock })) return false;
    session.steps.push({ wait: 'timeout' });
    return true;
  });
}

export function agentClaim(previous: SimSession, name: string): SimSession {
  return act(previous, (session) => {
    if (!apply(session, { type: 'agent_claimed', at: session.clock, agent: { id: slug(name), name } })) return false;
    session.steps.push({ agent: 'claim', name });
    return true;
  });
}

export function agentResolve(previous: SimSession, name: string): SimSession {
  return act(previous, (session) => {
    if (!apply(session, { type: 'ticket_resolved', at: session.clock, agent: { id: slug(name), name } })) return false;
    session.steps.push({ agent: 'resolve', name });
    return true;
  });
}

export function answerSurvey(previous: SimSession, survey: { ces?: number; csat?: number }): SimSession {
  return act(previous, (session) => {
    if (!apply(session, { type: 'survey_answered', at: session.clock, ...survey })) return false;
    session.steps.push({ survey });
    return true;
  });
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'agent'
  );
}

/** `node:handle` for each step the conversation took, as `baton test`'s `path` expectation reads it. */
export function pathLabels(path: readonly PathStep[]): string[] {
  return path.map((step) => (step.handle ? `${step.nodeId}:${step.handle}` : step.nodeId));
}

/** Nodes and edges (source, handle) the conversation went through, for lighting the canvas. */
export function litPath(path: readonly PathStep[]): {
  nodes: string[];
  edges: { source: string; handle: string; target: string }[];
} {
  const edges: { source: string; handle: string; target: string }[] = [];
  for (let i = 0; i + 1 < path.length; i += 1) {
    const from = path[i]!;
    if (from.handle) edges.push({ source: from.nodeId, handle: from.handle, target: path[i + 1]!.nodeId });
  }
  return { nodes: path.map((step) => step.nodeId), edges };
}

/** The simulated run as a journey test file (examples/<journey>/tests/*.test.json), which `baton test` runs. */
export function toTestFile(session: SimSession, name: string): Record<string, JsonValue> {
  const activities: Record<string, JsonValue> = {};
  for (const [activity, answers] of Object.entries(session.fakes)) {
    const results: JsonValue[] = answers.map((answer): JsonValue =>
      'error' in answer ? { error: answer.error } : { output: answer.output },
    );
    activities[activity] = results.length === 1 ? results[0]! : results;
  }
  const expect: Record<string, JsonValue> = { path: pathLabels(session.state.path), status: session.state.status };
  if (session.state.outcome) expect.outcome = session.state.outcome;
  return {
    name,
    customer: session.customer as unknown as JsonValue,
    ...(Object.keys(activities).length > 0 && { activities }),
    steps: session.steps as unknown as JsonValue,
    expect,
  };
}
