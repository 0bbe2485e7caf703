import { builtinActivityNames, type JsonValue } from '@baton/schemas';
import type { ActivityCall } from '../interpreter/types';
import { fakeBuiltin, isFakedBuiltin } from './builtin-fakes';
import { partialMismatch, short } from './expect';
import { sentimentScores, type ActivityFakes, type AiAnswer, type FakeResult } from './script';
import {
  ActivityUnavailableError,
  type ActivityCallRecord,
  type CallSource,
  type SimulateOptions,
  type StepLog,
  type TicketRecord,
} from './types';

/**
 * How the simulator answers an activity call, in order: the script's fakes, the step's fixed AI
 * answers (for `baton.classify`), the in-process fake of the built-ins, else `options.activities`.
 */

/** Stops the run at a step that could not be carried out (the failure is already recorded). */
export class Halt extends Error {}

function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : short(error);
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
    ...(answer.ranking && { ranking: answer.ranking }),
  };
}

export interface FakeQueue {
  results: FakeResult[];
  used: number;
}

export function fakeQueues(
  fakes: ActivityFakes | undefined,
  into = new Map<string, FakeQueue>(),
): Map<string, FakeQueue> {
  for (const [name, fake] of Object.entries(fakes ?? {}))
    into.set(name, { results: Array.isArray(fake) ? fake : [fake], used: 0 });
  return into;
}

/** What the answerer shares with the run that uses it. */
export interface AnswerContext {
  options: SimulateOptions;
  fakes: Map<string, FakeQueue>;
  tickets: TicketRecord[];
  calls: ActivityCallRecord[];
  /** The current customer step's fixed AI answers, if it has any. */
  aiAnswers(): { answers: AiAnswer[]; used: number } | null;
  clock(): number;
  /** Records a failure of the step and stops the run (throws `Halt`). */
  fail(stepNumber: number, action: string, problems: string[]): never;
}

type Plan = { source: CallSource; produce: () => JsonValue | Promise<JsonValue> | undefined };

function fakePlan(
  context: AnswerContext,
  fake: FakeQueue,
  call: ActivityCall,
  record: ActivityCallRecord,
  entry: StepLog,
): Plan {
  let result: FakeResult | undefined;
  if (fake.results.some((candidate) => candidate.when !== undefined)) {
    result = fake.results.find(
      (candidate) => candidate.when === undefined || partialMismatch(candidate.when, call.input) === undefined,
    );
    if (!result) {
      context.calls.push({ ...record, source: 'fake', error: 'no fake matches' });
      context.fail(entry.step, entry.action, [
        `no fake of ${call.activity} matches its input ${short(call.input)} (each has a "when" that does not match; add one without "when" as the default)`,
      ]);
    }
  } else {
    result = fake.results[Math.min(fake.used, fake.results.length - 1)];
  }
  fake.used += 1;
  const chosen = result as FakeResult;
  return {
    source: 'fake',
    produce: () => {
      if ('error' in chosen) throw new Error(chosen.error);
      return chosen.output;
    },
  };
}

/** Answers one activity call and records it in `context.calls`. */
export async function answerCall(
  context: AnswerContext,
  call: ActivityCall,
  entry: StepLog,
): Promise<ActivityCallRecord> {
  const { options, calls } = context;
  const clock = context.clock();
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
  const fake = context.fakes.get(call.activity);
  const aiAnswers = context.aiAnswers();
  let plan: Plan;
  if (fake) {
    plan = fakePlan(context, fake, call, record, entry);
  } else if (call.activity === builtinActivityNames.classify && aiAnswers) {
    const fixedAnswer = aiAnswers.answers[Math.min(aiAnswers.used, aiAnswers.answers.length - 1)] as AiAnswer;
    aiAnswers.used += 1;
    plan = { source: 'ai', produce: () => classificationOf(fixedAnswer) };
  } else if (isFakedBuiltin(call.activity)) {
    plan = {
      source: 'builtin',
      produce: () =>
        fakeBuiltin(call.activity, call.input, { tickets: context.tickets, nodeId: call.nodeId, at: clock }),
    };
  } else {
    plan = { source: 'runner', produce: () => options.activities(call.activity, call.input) };
  }
  record.source = plan.source;
  try {
    record.output = toJson(await plan.produce());
    const outputProblem = plan.source === 'fake' ? contract?.output?.(record.output) : undefined;
    if (outputProblem !== undefined) {
      calls.push(record);
      context.fail(entry.step, entry.action, [
        `the fake output of ${call.activity} is not what the activity can return: ${outputProblem}`,
      ]);
    }
  } catch (error) {
    if (error instanceof Halt) throw error;
    if (error instanceof ActivityUnavailableError) {
      calls.push({ ...record, error: error.message });
      context.fail(entry.step, entry.action, [error.message]);
    }
    record.error = errorText(error);
  }
  calls.push(record);
  return record;
}
