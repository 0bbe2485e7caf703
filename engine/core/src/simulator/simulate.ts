import type { Agent, CompiledJourney, JsonValue } from '@baton/schemas';
import { startConversation, step as interpret } from '../interpreter/interpreter';
import type {
  ActivityCall,
  ConversationEvent,
  ConversationState,
  Effect,
  StepOutput,
  TranscriptEntry,
} from '../interpreter/types';
import { checkExpectation, formatPath, partialMismatch, short } from './expect';
import { elapsed } from './report';
import {
  defaultCustomer,
  parseDuration,
  parseScript,
  sentimentScores,
  startOf,
  type ActivityFakes,
  type AiAnswer,
  type Expectation,
  type FakeResult,
  type Script,
  type ScriptStep,
} from './script';
import {
  ActivityUnavailableError,
  type ActivityCallRecord,
  type CallSource,
  type SimulateOptions,
  type SimulationFailure,
  type SimulationResult,
  type StepLog,
  type TicketRecord,
} from './types';

/** Stops the run at a step that could not be carried out (the failure is already recorded). */
class Halt extends Error {}

function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : short(error);
}

function slug(name: string): string {
  const text = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return text || 'agent';
}

/** One line of JSON for a step, as written. */
export function describeStep(step: unknown, max = 140): string {
  return short(step, max);
}

/** Where the conversation is, in words. */
export function describeWhere(state: ConversationState | null): string {
  if (!state) return 'not started';
  if (state.status === 'ended') return `ended (${state.outcome ?? 'no outcome'})`;
  const waiting = state.waiting;
  if (!waiting) return `at "${state.nodeId}", not waiting`;
  const what = {
    reply: 'a customer reply',
    agent: 'an agent',
    survey: 'the survey answer',
    timer: 'a timer',
    activity: 'an activity',
  }[waiting.kind];
  const until =
    'until' in waiting && waiting.until !== null ? ` (times out at ${elapsed(waiting.until, state.startedAt)})` : '';
  return `waiting for ${what} at "${waiting.nodeId}"${until}`;
}

function classificationOf(answer: AiAnswer): JsonValue {
  if (typeof answer === 'string') {
    return {
      intent: answer,
      confidence: 0.95,
      sentiment: { score: 0, label: 'neutral' },
      reasons: ['fixed by the test script'],
    };
  }
  if ('error' in answer) throw new Error(answer.error);
  const score = typeof answer.sentiment === 'number' ? answer.sentiment : sentimentScores[answer.sentiment];
  const label = score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral';
  return {
    intent: answer.intent,
    confidence: answer.confidence,
    sentiment: { score, label },
    reasons: ['fixed by the test script'],
  };
}

/** The built-in activities that would need the inbox, the outbound channel or the database: recorded in-process. */
function builtin(
  name: string,
  input: { [key: string]: JsonValue },
  tickets: TicketRecord[],
  nodeId: string,
  at: number,
): JsonValue | undefined {
  switch (name) {
    case 'baton.openTicket': {
      const ticketId = typeof input.ticketId === 'string' ? input.ticketId : `ticket-${tickets.length + 1}`;
      tickets.push({
        ticketId,
        nodeId,
        queue: typeof input.queue === 'string' ? input.queue : '',
        priority: typeof input.priority === 'string' ? input.priority : '',
        reason: typeof input.reason === 'string' ? input.reason : '',
        packet: input,
        openedAt: at,
      });
      return { ticketId, opened: true };
    }
    case 'baton.sendTranscript':
      return { sent: true, messages: Array.isArray(input.transcript) ? input.transcript.length : 0 };
    case 'baton.recordSurvey':
      return { recorded: true };
    // Routing needs queue and agent configuration the simulation does not have: the ticket waits in
    // its queue, with no opening hours and no SLA (fake them in the test to try those paths).
    case 'baton.routeTicket':
      return {
        queue: input.queue ?? '',
        priority: input.priority ?? 'normal',
        agent: null,
        outOfHours: null,
        sla: null,
      };
    case 'baton.releaseAgent':
      return { released: false };
    case 'baton.reopenTicket': {
      const ticket = tickets.find((t) => t.ticketId === input.ticketId);
      if (ticket) ticket.reopened = (ticket.reopened ?? 0) + 1;
      return { reopened: ticket !== undefined, status: ticket ? 'open' : null, count: ticket?.reopened ?? 0 };
    }
    case 'baton.followupCheck':
      return { surveyAllowed: true, articles: [] };
    default:
      return undefined;
  }
}

interface FakeQueue {
  results: FakeResult[];
  used: number;
}

function fakeQueues(fakes: ActivityFakes | undefined, into = new Map<string, FakeQueue>()): Map<string, FakeQueue> {
  for (const [name, fake] of Object.entries(fakes ?? {}))
    into.set(name, { results: Array.isArray(fake) ? fake : [fake], used: 0 });
  return into;
}

/** Built-in activities the simulator answers itself (their real implementations need the inbox, the channel, the database). */
const inProcessBuiltins = new Set([
  'baton.openTicket',
  'baton.sendTranscript',
  'baton.recordSurvey',
  'baton.routeTicket',
  'baton.releaseAgent',
  'baton.reopenTicket',
  'baton.followupCheck',
]);

const actingSteps = new Set(['customer', 'wait', 'agent', 'survey']);

/**
 * Runs one scripted conversation through the interpreter core with virtual time: nothing waits for
 * real, timeouts fire only when the script waits past them, and activities are answered by the
 * script's fakes, the in-process built-ins or `options.activities`. Expectations are checked along
 * the way; the run stops at the first step that fails, and the final expectations are all checked.
 */
export async function simulate(
  journey: CompiledJourney,
  scriptInput: Script | unknown,
  options: SimulateOptions,
): Promise<SimulationResult> {
  const parsed = parseScript(scriptInput);
  if (!parsed.ok) {
    const startedAt = options.startAt ?? startOf({});
    return {
      passed: false,
      failures: [
        {
          step: 'script',
          problems: parsed.problems.map((problem) => `${problem.path || '/'}: ${problem.message}`),
          botSaid: [],
          saidScope: '',
          path: '(not run)',
          where: 'not started',
        },
      ],
      transcript: [],
      path: [],
      variables: {},
      activityCalls: [],
      tickets: [],
      outcome: null,
      status: 'active',
      state: null,
      log: [],
      startedAt,
      clock: startedAt,
    };
  }
  const script = parsed.value;
  const startedAt = script.startAt !== undefined ? startOf(script) : (options.startAt ?? startOf(script));
  const maxCalls = options.maxActivityCallsPerStep ?? 200;

  let clock = startedAt;
  let state: ConversationState | null = null;
  const calls: ActivityCallRecord[] = [];
  const tickets: TicketRecord[] = [];
  const log: StepLog[] = [];
  const failures: SimulationFailure[] = [];
  const fakes = fakeQueues(script.activities);
  let aiAnswers: { answers: AiAnswer[]; used: number } | null = null;
  let currentAgent: Agent | null = null;
  let lastAction: StepLog | null;

  const fail = (
    stepNumber: number,
    action: string,
    problems: string[],
    said: TranscriptEntry[] = [],
    saidScope = '',
  ): never => {
    failures.push({
      step: stepNumber,
      action,
      problems,
      botSaid: said,
      saidScope,
      path: state ? formatPath(state.path) : '(empty)',
      where: describeWhere(state),
    });
    throw new Halt();
  };

  const answer = async (call: ActivityCall, entry: StepLog): Promise<ActivityCallRecord> => {
    const record: ActivityCallRecord = {
      step: entry.step,
      callId: call.callId,
      nodeId: call.nodeId,
      name: call.activity,
      purpose: call.purpose,
      input: call.input,
      source: 'runner',
      at: clock,
    };
    const contract = options.contracts?.(call.activity);
    const inputProblem = contract?.input?.(call.input);
    if (inputProblem !== undefined) {
      // The worker refuses the call before running it (non-retryable): the node takes its error handle.
      record.error = `invalid input for ${call.activity}: ${inputProblem}`;
      calls.push(record);
      return record;
    }
    const planOf = (source: CallSource, produce: () => JsonValue | Promise<JsonValue> | undefined) => ({
      source,
      produce,
    });
    const fake = fakes.get(call.activity);
    let plan: { source: CallSource; produce: () => JsonValue | Promise<JsonValue> | undefined };
    if (fake) {
      let result: FakeResult | undefined;
      if (fake.results.some((candidate) => candidate.when !== undefined)) {
        result = fake.results.find(
          (candidate) => candidate.when === undefined || partialMismatch(candidate.when, call.input) === undefined,
        );
        if (!result) {
          calls.push({ ...record, source: 'fake', error: 'no fake matches' });
          fail(entry.step, entry.action, [
            `no fake of ${call.activity} matches its input ${short(call.input)} (each has a "when" that does not match; add one without "when" as the default)`,
          ]);
        }
      } else {
        result = fake.results[Math.min(fake.used, fake.results.length - 1)];
      }
      fake.used += 1;
      const chosen = result as FakeResult;
      plan = planOf('fake', () => {
        if ('error' in chosen) throw new Error(chosen.error);
        return chosen.output;
      });
    } else if (call.activity === 'baton.classify' && aiAnswers) {
      const fixed = aiAnswers;
      const fixedAnswer = fixed.answers[Math.min(fixed.used, fixed.answers.length - 1)] as AiAnswer;
      fixed.used += 1;
      plan = planOf('ai', () => classificationOf(fixedAnswer));
    } else if (inProcessBuiltins.has(call.activity)) {
      plan = planOf('builtin', () => builtin(call.activity, call.input, tickets, call.nodeId, clock));
    } else {
      plan = planOf('runner', () => options.activities(call.activity, call.input));
    }
    record.source = plan.source;
    try {
      record.output = toJson(await plan.produce());
      const outputProblem = plan.source === 'fake' ? contract?.output?.(record.output) : undefined;
      if (outputProblem !== undefined) {
        calls.push(record);
        fail(entry.step, entry.action, [
          `the fake output of ${call.activity} is not what the activity can return: ${outputProblem}`,
        ]);
      }
    } catch (error) {
      if (error instanceof Halt) throw error;
      if (error instanceof ActivityUnavailableError) {
        calls.push({ ...record, error: error.message });
        fail(entry.step, entry.action, [error.message]);
      }
      record.error = errorText(error);
    }
    calls.push(record);
    return record;
  };

  /** Carries out the effects of one interpreter step, answering activity calls until the conversation waits or ends. */
  const settle = async (first: Effect[], entry: StepLog): Promise<void> => {
    let effects = first;
    for (let count = 0; ; count += 1) {
      for (const effect of effects) if (effect.type === 'say') entry.events.push({ kind: 'say', entry: effect.entry });
      const current = state as ConversationState;
      const waiting = current.waiting;
      const pending = effects.filter((effect): effect is ActivityCall => effect.type === 'call_activity');
      const call =
        pending.find((effect) => waiting?.kind === 'activity' && effect.callId === waiting.callId) ?? pending[0];
      if (!call) return;
      if (count >= maxCalls)
        fail(entry.step, entry.action, [
          `more than ${maxCalls} activity calls without the customer: does the journey loop through "${call.nodeId}"?`,
        ]);
      const record = await answer(call, entry);
      entry.events.push({ kind: 'call', call: record });
      const event: ConversationEvent =
        record.error !== undefined
          ? { type: 'activity_result', at: clock, callId: call.callId, ok: false, error: record.error }
          : { type: 'activity_result', at: clock, callId: call.callId, ok: true, output: record.output ?? null };
      const output = interpret(journey, current, event);
      if (output.rejected)
        fail(entry.step, entry.action, [
          `internal: the interpreter rejected the result of ${call.activity} (${output.rejected})`,
        ]);
      state = output.state;
      effects = output.effects;
    }
  };

  const apply = async (event: ConversationEvent, entry: StepLog, what: string): Promise<StepOutput> => {
    const output = interpret(journey, state as ConversationState, event);
    if (output.duplicate) {
      if ('clientMessageId' in event) entry.events.push({ kind: 'duplicate', clientMessageId: event.clientMessageId });
      return output;
    }
    if (output.rejected) fail(entry.step, entry.action, [`${what} was rejected: ${output.rejected}`]);
    state = output.state;
    await settle(output.effects, entry);
    return output;
  };

  const finishEntry = (entry: StepLog) => {
    entry.nodeId = state?.nodeId ?? null;
    entry.waiting = state?.waiting ?? null;
  };

  /** Advances the virtual clock to `target`, firing every timeout that falls due on the way, in order. */
  const advanceTo = async (target: number, entry: StepLog) => {
    for (let guard = 0; guard < 10_000; guard += 1) {
      const current = state as ConversationState;
      const waiting = current.waiting;
      if (
        current.status === 'ended' ||
        !waiting ||
        waiting.kind === 'activity' ||
        waiting.until === null ||
        waiting.until > target
      )
        break;
      clock = Math.max(clock, waiting.until);
      entry.events.push({ kind: 'timeout', at: clock, nodeId: waiting.nodeId, waitingFor: waiting.kind });
      await apply({ type: 'timeout', at: clock }, entry, `the ${waiting.kind} timeout at "${waiting.nodeId}"`);
    }
    clock = Math.max(clock, target);
  };

  const agentFor = (name: string | undefined, entry: StepLog): Agent => {
    if (name !== undefined) return currentAgent && currentAgent.name === name ? currentAgent : { id: slug(name), name };
    if (currentAgent) return currentAgent;
    return fail(entry.step, entry.action, [
      'no agent has claimed the conversation yet: add { "agent": "claim", "name": "…" } first, or give this step a "name"',
    ]);
  };

  const view = (said: TranscriptEntry[], saidScope: string) => ({
    state: state as ConversationState,
    said,
    saidScope,
    calls,
  });

  try {
    // The start: the conversation runs up to its first wait.
    const startEntry: StepLog = { step: 0, action: 'start', at: clock, events: [], nodeId: null, waiting: null };
    log.push(startEntry);
    lastAction = startEntry;
    const started = startConversation(journey, {
      conversationId: script.conversationId ?? options.conversationId ?? 'sim-1',
      channel: script.channel ?? 'simulator',
      customer: script.customer ?? { ...defaultCustomer },
      variables: script.variables ?? {},
      at: clock,
    });
    state = started.state;
    await settle(started.effects, startEntry);
    finishEntry(startEntry);

    for (let index = 0; index < script.steps.length; index += 1) {
      const step = script.steps[index] as ScriptStep;
      const number = index + 1;
      const entry: StepLog = {
        step: number,
        action: describeStep(step),
        at: clock,
        events: [],
        nodeId: null,
        waiting: null,
      };
      const acting = Object.keys(step).some((key) => actingSteps.has(key));
      if (acting) {
        log.push(entry);
        lastAction = entry;
      }

      if ('expect' in step) {
        const said = (lastAction ?? startEntry).events.flatMap((event) => (event.kind === 'say' ? [event.entry] : []));
        const scope =
          lastAction && lastAction.step > 0
            ? `the bot's messages after step ${lastAction.step} ${describeStep(script.steps[lastAction.step - 1], 70)}`
            : "the bot's messages at the start";
        const problems = checkExpectation(step.expect as Expectation, view(said, scope));
        if (problems.length)
          fail(
            number,
            entry.action,
            problems,
            said.filter((e) => e.from === 'bot' || e.from === 'system'),
            scope,
          );
        continue;
      }
      if ('activities' in step) {
        fakeQueues(step.activities, fakes);
        continue;
      }
      const current = state as ConversationState;
      if (current.status === 'ended') {
        fail(number, entry.action, [
          `the conversation has already ended (${current.outcome ?? 'no outcome'}); this step cannot happen`,
        ]);
      }
      if ('customer' in step) {
        aiAnswers = step.ai !== undefined ? { answers: Array.isArray(step.ai) ? step.ai : [step.ai], used: 0 } : null;
        await apply(
          {
            type: 'customer_message',
            at: clock,
            text: step.customer,
            clientMessageId: step.clientMessageId ?? `m${number}`,
          },
          entry,
          'the customer message',
        );
        aiAnswers = null;
      } else if ('wait' in step) {
        let target: number;
        if (step.wait === 'timeout') {
          const waiting = current.waiting;
          if (!waiting || waiting.kind === 'activity' || waiting.until === null) {
            fail(number, entry.action, [`there is no pending timeout: the conversation is ${describeWhere(current)}`]);
          }
          target = (waiting as { until: number }).until;
        } else {
          target = clock + (parseDuration(step.wait) ?? 0);
        }
        await advanceTo(target, entry);
        entry.events.push({ kind: 'clock', at: clock });
      } else if ('agent' in step) {
        if (step.agent === 'claim') {
          const agent: Agent = { id: step.id ?? slug(step.name), name: step.name };
          await apply({ type: 'agent_claimed', at: clock, agent }, entry, `the claim by ${agent.name}`);
          currentAgent = agent;
        } else if (step.agent === 'say') {
          const agent = agentFor(step.name, entry);
          await apply(
            {
              type: 'agent_message',
              at: clock,
              agent,
              text: step.text,
              clientMessageId: step.clientMessageId ?? `a${number}`,
            },
            entry,
            `${agent.name}'s message`,
          );
        } else {
          const agent = agentFor(step.name, entry);
          await apply(
            {
              type: 'ticket_resolved',
              at: clock,
              agent,
              ...(step.resolution !== undefined && { resolution: step.resolution }),
            },
            entry,
            `the resolution by ${agent.name}`,
          );
        }
      } else if ('survey' in step) {
        await apply({ type: 'survey_answered', at: clock, ...step.survey }, entry, 'the survey answer');
      }
      finishEntry(entry);
    }

    if (script.expect) {
      const final = state as ConversationState;
      const problems = checkExpectation(
        script.expect,
        view(final.transcript, "the bot's messages in the whole conversation"),
      );
      if (problems.length) {
        // The whole transcript only helps when a text expectation failed; the path and state say the rest.
        const aboutText = problems.some((problem) => /^(bot|botMatches|notBot|silent):/.test(problem));
        failures.push({
          step: 'final',
          action: describeStep({ expect: script.expect }),
          problems,
          botSaid: aboutText ? final.transcript.filter((e) => e.from === 'bot' || e.from === 'system') : [],
          saidScope: aboutText ? 'the whole conversation' : '',
          path: formatPath(final.path),
          where: describeWhere(final),
        });
      }
    }
  } catch (error) {
    if (!(error instanceof Halt)) {
      failures.push({
        step: log.length ? (log[log.length - 1] as StepLog).step : 0,
        problems: [`internal error in the simulator: ${errorText(error)}`],
        botSaid: [],
        saidScope: '',
        path: state ? formatPath((state as ConversationState).path) : '(empty)',
        where: describeWhere(state),
      });
    }
  }

  const final = state as ConversationState | null;
  return {
    ...(script.name !== undefined && { name: script.name }),
    passed: failures.length === 0,
    failures,
    transcript: final?.transcript ?? [],
    path: final?.path ?? [],
    variables: final?.vars ?? {},
    activityCalls: calls,
    tickets,
    outcome: final?.outcome ?? null,
    status: final?.status ?? 'active',
    state: final,
    log,
    startedAt,
    clock,
  };
}
