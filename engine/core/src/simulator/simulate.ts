import type { Agent, CompiledJourney } from '@baton/schemas';
import { startConversation, step as interpret } from '../interpreter/interpreter';
import type {
  ActivityCall,
  ConversationEvent,
  ConversationState,
  Effect,
  StepOutput,
  TranscriptEntry,
} from '../interpreter/types';
import { answerCall, errorText, fakeQueues, Halt, type AnswerContext } from './answer';
import { checkExpectation, formatPath } from './expect';
import { describeStep, describeWhere } from './report';
import {
  defaultCustomer,
  parseDuration,
  parseScript,
  startOf,
  type AiAnswer,
  type Expectation,
  type Script,
  type ScriptStep,
} from './script';
import type {
  ActivityCallRecord,
  SimulateOptions,
  SimulationFailure,
  SimulationResult,
  StepLog,
  TicketRecord,
} from './types';

function slug(name: string): string {
  const text = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return text || 'agent';
}

export { describeStep, describeWhere };

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

  const answerContext: AnswerContext = {
    options,
    fakes,
    tickets,
    calls,
    aiAnswers: () => aiAnswers,
    clock: () => clock,
    fail: (stepNumber, action, problems) => fail(stepNumber, action, problems),
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
      const record = await answerCall(answerContext, call, entry);
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
