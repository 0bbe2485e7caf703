/**
 * The activity SDK: how engineers give journeys new abilities (a CRM lookup, a refund, an order
 * status). An activity is a typed function with a zod input and output; Baton validates both at
 * the boundary, publishes their JSON Schemas to the designer's palette, and runs the function as a
 * Temporal activity with the node's timeout and retry policy.
 *
 *   export const lookupOrder = defineActivity({
 *     name: 'orders.lookup',
 *     description: 'Finds an order by id',
 *     input: z.object({ orderId: z.string() }),
 *     output: z.object({ found: z.boolean(), status: z.string().nullable() }),
 *     async run({ orderId }, ctx) {
 *       // ctx.store reaches the activity's own collections (Baton's own are refused).
 *       const order = await ctx.store.collection('orders').findOne({ _id: orderId });
 *       return { found: order !== null, status: order?.status ?? null };
 *     },
 *   });
 */
import { z } from 'zod';
import { ApplicationFailure } from '@temporalio/common';
import type { Info as TemporalActivityInfo } from '@temporalio/activity';
import type { ActivityManifest, RetryPolicy } from '@baton/schemas';
import type { Store } from '@baton/store';
import type { AiProvider } from '@baton/ai';
import type { ActivityStore } from './context';

export { activityStoreOf, ReservedCollectionError, type ActivityStore } from './context';

/** Names as the journey's activity node accepts them (see schemas/src/nodes/activity). */
export const activityNamePattern = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;

export type LogAttributes = Record<string, unknown>;

export interface ActivityLogger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

/** Temporal's description of the running activity: workflow id and run, activity id, attempt … */
export type ActivityInfo = TemporalActivityInfo;

/** What an activity's `run` receives besides its input. */
export interface ActivityContext {
  /**
   * The activity's own collections (`store.collection('orders')`) and the outbox
   * (`store.recordOutbound`). Baton's own collections (journeys, tickets, users …) are refused.
   */
  readonly store: ActivityStore;
  /** The AI provider the worker runs with (embedded by default). */
  readonly ai: AiProvider;
  /** Structured logging; inside Temporal it carries the workflow and activity ids. */
  readonly log: ActivityLogger;
  /** Tells Temporal the activity is alive (needed for long activities with a heartbeat timeout, and to hear of cancellation). */
  heartbeat(details?: unknown): void;
  /** The running activity as Temporal describes it; undefined when `run` is called outside a Temporal activity. */
  readonly info: ActivityInfo | undefined;
  /**
   * A key that is the same for every retry of this activity execution and different for any other
   * execution: `<workflowId>/<runId>/<activityId>` (plus `/<scope>`). Give it to side effects (an
   * email, a payment) so that a retry never does them twice. Throws outside a Temporal activity.
   */
  idempotencyKey(scope?: string): string;
  /** Aborted when Temporal cancels the activity. */
  readonly signal: AbortSignal;
}

/**
 * What Baton's built-in activities receive: the whole store (tickets, surveys, conversations …).
 * The worker's registry gives it only to definitions flagged `builtin`, which custom modules may not be.
 */
export interface BuiltinActivityContext extends Omit<ActivityContext, 'store'> {
  readonly store: Store;
}

/** The activity as defined; `createActivityRegistry` turns definitions into Temporal activities. */
export interface ActivityDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  /** Validates (and parses) the input; must describe an object. */
  readonly input: I;
  /** Validates what `run` returns; a violation is a non-retryable failure naming the field. */
  readonly output: O;
  /** Suggested retry policy, shown in the palette (the journey's node decides). */
  readonly retry?: Partial<RetryPolicy>;
  /** Suggested start-to-close timeout, shown in the palette (the journey's node decides). */
  readonly timeoutSeconds?: number;
  /**
   * A task queue of its own, when the activity runs on a team's dedicated workers
   * (`BATON_WORKER_MODE=activities BATON_TASK_QUEUE=<it>`); the engine's workers leave it alone and
   * journeys compiled with the catalog call it there.
   */
  readonly taskQueue?: string;
  /** True for Baton's own activities (names "baton.*"). */
  readonly builtin: boolean;
  run(input: z.output<I>, ctx: ActivityContext): Promise<z.input<O>>;
}

export interface DefineActivityOptions<I extends z.ZodType, O extends z.ZodType> {
  name: string;
  description: string;
  input: I;
  output: O;
  retry?: Partial<RetryPolicy>;
  timeoutSeconds?: number;
  taskQueue?: string;
  /** Reserved for Baton's built-in activities. */
  builtin?: boolean;
  /** Returns what `output` accepts (a literal such as `z.literal(true)` needs `true as const` in the return). */
  run(input: z.output<I>, ctx: ActivityContext): Promise<z.input<O>>;
}

/** A built-in activity's definition: the same, with the whole store in its context. */
export interface DefineBuiltinActivityOptions<I extends z.ZodType, O extends z.ZodType> extends Omit<
  DefineActivityOptions<I, O>,
  'builtin' | 'run'
> {
  builtin: true;
  run(input: z.output<I>, ctx: BuiltinActivityContext): Promise<z.input<O>>;
}

/** Defines an activity; throws at once when the definition cannot work (bad name, input not an object). */
export function defineActivity<I extends z.ZodType, O extends z.ZodType>(
  options: DefineBuiltinActivityOptions<I, O>,
): ActivityDefinition<I, O>;
export function defineActivity<I extends z.ZodType, O extends z.ZodType>(
  options: DefineActivityOptions<I, O>,
): ActivityDefinition<I, O>;
export function defineActivity<I extends z.ZodType, O extends z.ZodType>(
  options: DefineActivityOptions<I, O> | DefineBuiltinActivityOptions<I, O>,
): ActivityDefinition<I, O> {
  if (!activityNamePattern.test(options.name)) {
    throw new TypeError(
      `activity name "${options.name}" must start with a letter and contain only letters, digits, ".", "_" or "-" (e.g. "orders.lookup")`,
    );
  }
  const builtin = options.builtin ?? false;
  if (!builtin && options.name.startsWith('baton.'))
    throw new TypeError(`activity name "${options.name}": the "baton." prefix is reserved for built-in activities`);
  if (options.description.trim() === '')
    throw new TypeError(`activity "${options.name}" needs a description (the palette shows it)`);
  const inputSchema = jsonSchemaOf(options.input, 'input');
  if (inputSchema.type !== 'object')
    throw new TypeError(`activity "${options.name}": the input schema must be an object (z.object({...}))`);
  if (options.timeoutSeconds !== undefined && !(options.timeoutSeconds > 0))
    throw new TypeError(`activity "${options.name}": timeoutSeconds must be positive`);
  if (options.taskQueue !== undefined && !/^\S{1,200}$/.test(options.taskQueue))
    throw new TypeError(
      `activity "${options.name}": taskQueue must be a task queue name (1 to 200 characters, no spaces)`,
    );
  return {
    name: options.name,
    description: options.description,
    input: options.input,
    output: options.output,
    builtin,
    // A built-in's run takes the wider BuiltinActivityContext; the registry gives it one.
    run: options.run as ActivityDefinition<I, O>['run'],
    ...(options.retry !== undefined && { retry: options.retry }),
    ...(options.timeoutSeconds !== undefined && { timeoutSeconds: options.timeoutSeconds }),
    ...(options.taskQueue !== undefined && { taskQueue: options.taskQueue }),
  };
}

/**
 * JSON Schema (2020-12) of a zod schema. The input side is described as callers write it (fields
 * with defaults are optional), the output as the activity returns it.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', override: markSecrets }) as Record<string, unknown>;
}

/**
 * A field marked `.meta({ secret: true })` becomes `"x-baton-secret": true` in the manifest: its value
 * never reaches a conversation's views, handoff packets or the AI (core's `secretVariablePaths`).
 */
function markSecrets(context: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  const meta = z.globalRegistry.get(context.zodSchema as z.ZodType);
  if (meta?.secret !== true) return;
  context.jsonSchema['x-baton-secret'] = true;
  delete context.jsonSchema.secret;
}

/** What the catalog (palette, compiler) knows of an activity (its implementation aside). */
export function manifestOf(definition: Omit<ActivityDefinition, 'run'>): ActivityManifest {
  return {
    name: definition.name,
    description: definition.description,
    input: jsonSchemaOf(definition.input, 'input'),
    output: jsonSchemaOf(definition.output, 'output'),
    builtin: definition.builtin,
    ...(definition.taskQueue !== undefined && { taskQueue: definition.taskQueue }),
    ...(definition.timeoutSeconds !== undefined && { timeoutSeconds: definition.timeoutSeconds }),
    ...(definition.retry !== undefined && { retry: definition.retry }),
  };
}

/** A failure Temporal does not retry (bad data, a refusal): the journey takes the node's `error` handle. */
export function nonRetryable(message: string, type = 'ActivityRefused', details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type,
    nonRetryable: true,
    ...(details !== undefined && { details: [details] }),
  });
}

/** A problem at a field of the input or the output, as failures name them. */
export interface FieldProblem {
  /** "email", "transcript[2].text"; "(root)" for the value itself. */
  path: string;
  message: string;
}

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ path: fieldPath(issue.path), message: issue.message }));
}
