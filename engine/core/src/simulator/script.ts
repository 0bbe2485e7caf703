import { z } from 'zod';
import {
  Customer,
  Id,
  JsonValueSchema,
  Outcome,
  Priority,
  VariableName,
  toPointer,
  type JsonValue,
} from '@baton/schemas';

/**
 * The script language of journey tests: a scripted conversation (customer messages, agent actions,
 * virtual time, survey answers) with expectations along the way and at the end. See docs/cli.md.
 */

// ---------------------------------------------------------------------------------------------
// Durations: 30 (seconds), "90s", "10m", "1h30m", "2d", "500ms".

const durationPattern = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m(?!s))?\s*(?:(\d+)s)?\s*(?:(\d+)ms)?$/;

/** Milliseconds of a duration such as `"10m"`, `"1h30m"`, `"2d"`, `"45s"`, `"500ms"` or a number of seconds. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const match = durationPattern.exec(text);
  if (!match || match.slice(1).every((part) => part === undefined)) return undefined;
  const [, days, hours, minutes, seconds, millis] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return ((((days ?? 0) * 24 + (hours ?? 0)) * 60 + (minutes ?? 0)) * 60 + (seconds ?? 0)) * 1000 + (millis ?? 0);
}

export const Duration = z
  .union([z.number().nonnegative(), z.string()])
  .refine((value) => parseDuration(value) !== undefined, {
    message: 'a duration is a number of seconds or a string such as "45s", "10m", "1h30m", "2d"',
  });

// ---------------------------------------------------------------------------------------------
// Activity fakes and fixed AI answers.

/** Deep partial match of the call's input: the fake answers only the calls it matches. */
const FakeWhen = z.record(z.string(), JsonValueSchema).optional();

export const FakeResult = z.union([
  z.object({ when: FakeWhen, output: JsonValueSchema, comment: z.string().optional() }).strict(),
  z.object({ when: FakeWhen, error: z.string().min(1), comment: z.string().optional() }).strict(),
]);
export type FakeResult = z.infer<typeof FakeResult>;

/**
 * One answer, or a list: taken call by call (the last one answers any further calls), or, when its
 * entries have `when`, the first entry whose `when` matches the call's input (an entry without
 * `when` matches any call).
 */
export const ActivityFake = z.union([
  FakeResult,
  z.array(FakeResult).min(1, 'a sequence of fake results needs at least one'),
]);
export type ActivityFake = z.infer<typeof ActivityFake>;

export const ActivityFakes = z.record(z.string().min(1), ActivityFake);
export type ActivityFakes = z.infer<typeof ActivityFakes>;

export const sentimentScores = { negative: -0.6, neutral: 0, positive: 0.6 } as const;

const RankedIntent = z.object({ intent: z.string().min(1), confidence: z.number().min(0).max(1) }).strict();
/** A fixed answer of the AI classifier: an intent name, or the full answer, or a failure. */
export const AiAnswer = z.union([
  z.string().min(1),
  z
    .object({
      intent: z.string().min(1).nullable(),
      confidence: z.number().min(0).max(1).default(0.95),
      /** −1 … 1, or a label (negative = −0.6, neutral = 0, positive = 0.6). */
      sentiment: z.union([z.number().min(-1).max(1), z.enum(['negative', 'neutral', 'positive'])]).default(0),
      /** The best few intents, best first (a node with `clarify` asks "A or B?" when the top two are close). */
      ranking: z.array(RankedIntent).min(1).max(10).optional(),
    })
    .strict(),
  z.object({ error: z.string().min(1) }).strict(),
]);
export type AiAnswer = z.infer<typeof AiAnswer>;
export const AiFix = z.union([AiAnswer, z.array(AiAnswer).min(1)]);
export type AiFix = z.infer<typeof AiFix>;

// ---------------------------------------------------------------------------------------------
// Expectations.

const OneOrMore = z.union([z.string(), z.array(z.string()).min(1)]);

export const ActivityCallExpectation = z
  .object({
    name: z.string().min(1),
    /** Deep partial match of the input the journey passed. */
    input: JsonValueSchema.optional(),
    /** Deep partial match of the output (fake or real). */
    output: JsonValueSchema.optional(),
    /** true: the call failed; a string: it failed with an error containing this text. */
    error: z.union([z.boolean(), z.string()]).optional(),
  })
  .strict();
export type ActivityCallExpectation = z.infer<typeof ActivityCallExpectation>;

export const HandoffExpectation = z
  .object({
    queue: z.string().optional(),
    priority: Priority.optional(),
    /** Substring of the rendered reason. */
    reason: z.string().optional(),
    /** Each string must appear in some entry of the ticket's "steps already tried". */
    stepsTriedIncludes: z.array(z.string()).optional(),
    /** Name of the agent who claimed the ticket. */
    claimedBy: z.string().optional(),
    resolved: z.boolean().optional(),
    /** How many handoffs the conversation made in all. */
    count: z.number().int().min(0).optional(),
  })
  .strict();
export type HandoffExpectation = z.infer<typeof HandoffExpectation>;

export const Expectation = z
  .object({
    /** Case-insensitive substring(s); each must be in some bot message (see docs/cli.md for which messages). */
    bot: OneOrMore.optional(),
    /** Regular expression(s), `"pattern"` or `"/pattern/flags"`; each must match some bot message. */
    botMatches: OneOrMore.optional(),
    /** Case-insensitive substring(s) that no bot message may contain. */
    notBot: OneOrMore.optional(),
    /** True when the bot must have said nothing. */
    silent: z.boolean().optional(),
    /** The node the conversation is at. */
    at: Id.optional(),
    /** What the conversation is waiting for. */
    waitingFor: z.enum(['reply', 'agent', 'survey', 'timer', 'activity', 'nothing']).optional(),
    status: z.enum(['active', 'ended']).optional(),
    /** null: still running. */
    outcome: Outcome.nullable().optional(),
    /** Ordered subsequence of the path; `"node"` or `"node:handle"` (the handle it left by). */
    path: z.array(z.string().min(1)).optional(),
    /** Nodes the conversation must not have entered. */
    notVisited: z.array(Id).optional(),
    /** Deep partial match of the journey variables. */
    variables: z.record(z.string(), JsonValueSchema).optional(),
    /** The last classified intent (null: none). */
    intent: z.string().nullable().optional(),
    sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
    /** The calls to the activities named here, in order, and no others of those names. */
    activityCalls: z
      .array(ActivityCallExpectation)
      .min(1, 'list at least one call; use "notCalled" to check that an activity was not called')
      .optional(),
    /** Activities that must not have been called. */
    notCalled: z.array(z.string().min(1)).optional(),
    /** The last handoff (false: there was none). */
    handoff: z.union([z.literal(false), HandoffExpectation]).optional(),
    /** Deep partial match of the recorded survey answer (null: none). */
    survey: z
      .object({ ces: z.number().int().optional(), csat: z.number().int().optional(), comment: z.string().optional() })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();
export type Expectation = z.infer<typeof Expectation>;

// ---------------------------------------------------------------------------------------------
// Steps. Each step is an object with exactly one action key (and an optional `comment`).

const comment = { comment: z.string().optional() };

export const CustomerStep = z
  .object({
    customer: z.string().trim().min(1, 'a customer message needs text'),
    /** Defaults to `m<step number>`; reuse an earlier id to simulate a retried request. */
    clientMessageId: z.string().min(1).max(100).optional(),
    /** Fixes the AI's answers for the classifications this message triggers. */
    ai: AiFix.optional(),
    ...comment,
  })
  .strict();

export const ExpectStep = z.object({ expect: Expectation, ...comment }).strict();

export const WaitStep = z
  .object({
    /** Advances virtual time by a duration and fires the timeouts that fall due; "timeout" jumps to the pending deadline. */
    wait: z.union([z.literal('timeout'), Duration]),
    ...comment,
  })
  .strict();

const AgentName = z.string().trim().min(1).max(200);
export const AgentClaimStep = z
  .object({ agent: z.literal('claim'), name: AgentName, id: z.string().min(1).max(200).optional(), ...comment })
  .strict();
export const AgentSayStep = z
  .object({
    agent: z.literal('say'),
    text: z.string().trim().min(1, 'an agent message needs text'),
    name: AgentName.optional(),
    clientMessageId: z.string().min(1).max(100).optional(),
    ...comment,
  })
  .strict();
export const AgentResolveStep = z
  .object({
    agent: z.literal('resolve'),
    resolution: z.string().max(2000).optional(),
    name: AgentName.optional(),
    ...comment,
  })
  .strict();

export const SurveyStep = z
  .object({
    survey: z
      .object({
        ces: z.number().int().min(1).max(7).optional(),
        csat: z.number().int().min(1).max(5).optional(),
        comment: z.string().max(2000).optional(),
      })
      .strict(),
    ...comment,
  })
  .strict();

/** Changes the activity fakes from this step on (merged over the test's, name by name). */
export const ActivitiesStep = z.object({ activities: ActivityFakes, ...comment }).strict();

export type CustomerStep = z.infer<typeof CustomerStep>;
export type ExpectStep = z.infer<typeof ExpectStep>;
export type WaitStep = z.infer<typeof WaitStep>;
export type AgentClaimStep = z.infer<typeof AgentClaimStep>;
export type AgentSayStep = z.infer<typeof AgentSayStep>;
export type AgentResolveStep = z.infer<typeof AgentResolveStep>;
export type SurveyStep = z.infer<typeof SurveyStep>;
export type ActivitiesStep = z.infer<typeof ActivitiesStep>;
export type ScriptStep =
  CustomerStep | ExpectStep | WaitStep | AgentClaimStep | AgentSayStep | AgentResolveStep | SurveyStep | ActivitiesStep;

export const stepActions = ['customer', 'expect', 'wait', 'agent', 'survey', 'activities'] as const;

const agentSteps = { claim: AgentClaimStep, say: AgentSayStep, resolve: AgentResolveStep } as const;

/** A step, checked by its action key so that errors name the right fields. */
export const ScriptStepSchema: z.ZodType<ScriptStep> = z.unknown().transform((raw, ctx): ScriptStep => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    ctx.addIssue({
      code: 'custom',
      message: `a step is an object with one of ${stepActions.map((a) => `"${a}"`).join(', ')}`,
    });
    return z.NEVER;
  }
  const actions = stepActions.filter((action) => action in raw);
  if (actions.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: actions.length
        ? `a step has exactly one action, found ${actions.map((a) => `"${a}"`).join(' and ')}`
        : `a step needs one of ${stepActions.map((a) => `"${a}"`).join(', ')}`,
    });
    return z.NEVER;
  }
  const action = actions[0] as (typeof stepActions)[number];
  let schema: z.ZodType<ScriptStep>;
  if (action === 'agent') {
    const kind = (raw as { agent?: unknown }).agent;
    if (typeof kind !== 'string' || !(kind in agentSteps)) {
      ctx.addIssue({ code: 'custom', path: ['agent'], message: 'an agent step is "claim", "say" or "resolve"' });
      return z.NEVER;
    }
    schema = agentSteps[kind as keyof typeof agentSteps];
  } else {
    schema = {
      customer: CustomerStep,
      expect: ExpectStep,
      wait: WaitStep,
      survey: SurveyStep,
      activities: ActivitiesStep,
    }[action];
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }
  return parsed.data;
});

// ---------------------------------------------------------------------------------------------
// A test (one scripted conversation) and a test file (one test, or a suite sharing settings).

export const defaultCustomer = { id: 'customer-1', name: 'Alex', email: 'alex@example.com' } as const;
/** Monday 6 January 2025, 09:00 UTC: a fixed start, so that time-dependent rules are reproducible. */
export const defaultStartAt = Date.UTC(2025, 0, 6, 9, 0, 0);

const Shared = {
  /** Journey file, relative to the test file (CLI only; by default `journey.json` next to it or one folder up). */
  journey: z.string().min(1).optional(),
  customer: Customer.optional(),
  variables: z.record(VariableName, JsonValueSchema).optional(),
  channel: z.string().min(1).max(50).optional(),
  /** ISO date-time or epoch milliseconds. */
  startAt: z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]).optional(),
  activities: ActivityFakes.optional(),
};

export const Script = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1).max(300).optional(),
    description: z.string().max(2000).optional(),
    ...Shared,
    conversationId: Id.optional(),
    steps: z.array(ScriptStepSchema).default([]),
    /** Checked once the script has run. */
    expect: Expectation.optional(),
  })
  .strict();
export type Script = z.infer<typeof Script>;
export type ScriptInput = z.input<typeof Script>;

export const Suite = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1).max(300).optional(),
    description: z.string().max(2000).optional(),
    ...Shared,
    tests: z.array(z.unknown()).min(1, 'a suite needs at least one test'),
  })
  .strict();

export interface ScriptProblem {
  /** JSON pointer into the script (or test file). */
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: ScriptProblem[] };

function problemsOf(error: z.ZodError, prefix: (string | number)[] = []): ScriptProblem[] {
  return error.issues.map((issue) => ({
    path: toPointer([...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))]),
    message: issue.message,
  }));
}

/** Checks one script (a test). */
export function parseScript(input: unknown): ParseResult<Script> {
  const parsed = Script.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: problemsOf(parsed.error) };
}

/**
 * A test file: either one test (`steps`) or a suite (`tests`) whose shared fields (journey, customer,
 * variables, channel, startAt, activities) apply to each test unless it sets its own; activity fakes
 * are merged name by name. Unnamed tests are named by the caller (e.g. after the file).
 */
export function parseTestFile(input: unknown): ParseResult<Script[]> {
  if (input !== null && typeof input === 'object' && !Array.isArray(input) && 'tests' in input) {
    const suite = Suite.safeParse(input);
    if (!suite.success) return { ok: false, problems: problemsOf(suite.error) };
    const { tests, name: suiteName, description: _description, $schema: _schema, ...shared } = suite.data;
    const scripts: Script[] = [];
    const problems: ScriptProblem[] = [];
    tests.forEach((raw, index) => {
      const parsed = Script.safeParse(raw);
      if (!parsed.success) {
        problems.push(...problemsOf(parsed.error, ['tests', index]));
        return;
      }
      const test = parsed.data;
      const merged: Script = {
        ...test,
        journey: test.journey ?? shared.journey,
        customer: test.customer ?? shared.customer,
        variables: test.variables || shared.variables ? { ...shared.variables, ...test.variables } : undefined,
        channel: test.channel ?? shared.channel,
        startAt: test.startAt ?? shared.startAt,
        activities: test.activities || shared.activities ? { ...shared.activities, ...test.activities } : undefined,
        name: test.name ?? (suiteName ? `${suiteName} #${index + 1}` : undefined),
      };
      scripts.push(merged);
    });
    return problems.length ? { ok: false, problems } : { ok: true, value: scripts };
  }
  const single = parseScript(input);
  return single.ok ? { ok: true, value: [single.value] } : single;
}

/** The start of a script in epoch milliseconds. */
export function startOf(script: Pick<Script, 'startAt'>, fallback = defaultStartAt): number {
  if (script.startAt === undefined) return fallback;
  return typeof script.startAt === 'number' ? script.startAt : Date.parse(script.startAt);
}

export type { JsonValue };
