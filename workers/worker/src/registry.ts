import { asyncLocalStorage, type Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityManifest } from '@baton/schemas';
import type { Store } from '@baton/store';
import type { AiProvider } from '@baton/ai';
import {
  activityStoreOf,
  fieldProblems,
  manifestOf,
  ReservedCollectionError,
  type ActivityContext,
  type BuiltinActivityContext,
  type ActivityDefinition,
  type ActivityLogger,
  type FieldProblem,
  type LogAttributes,
} from '@baton/activity-sdk';
import { heartbeatWhileRunning } from './heartbeat';

export interface RegistryDeps {
  store: Store;
  /** The AI provider activities get as `ctx.ai`. */
  provider: AiProvider;
  /** Where activities log outside Temporal (inside, Temporal's activity logger is used). Console by default. */
  logger?: ActivityLogger;
}

/** An activity as Temporal's Worker takes it: one JSON input, one JSON output. */
export type ActivityFunction = (input: unknown) => Promise<unknown>;

export interface ActivityRegistry {
  /** For the Worker's `activities` option, keyed by activity name ("accounts.sendResetLink"). */
  activities: Record<string, ActivityFunction>;
  /** The manifests, for the palette and the compiler. */
  catalog: ActivityManifest[];
  names: Set<string>;
  definitions: Map<string, ActivityDefinition>;
}

/** Failure types, for whoever inspects failures (the workflow only reads the message). */
export const failureTypes = {
  invalidInput: 'BatonInvalidActivityInput',
  invalidOutput: 'BatonInvalidActivityOutput',
  /** A custom activity asked for one of Baton's own collections: a bug in its code, so never retried. */
  reservedCollection: 'BatonReservedCollection',
} as const;

function describe(problems: readonly FieldProblem[]): string {
  return problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
}

const consoleLogger: ActivityLogger = {
  debug: (message, attributes) => console.debug(message, attributes ?? ''),
  info: (message, attributes) => console.info(message, attributes ?? ''),
  warn: (message, attributes) => console.warn(message, attributes ?? ''),
  error: (message, attributes) => console.error(message, attributes ?? ''),
};

function prefixed(logger: ActivityLogger, name: string): ActivityLogger {
  const meta = (attributes?: LogAttributes) => ({ activity: name, ...attributes });
  return {
    debug: (message, attributes) => logger.debug(message, meta(attributes)),
    info: (message, attributes) => logger.info(message, meta(attributes)),
    warn: (message, attributes) => logger.warn(message, meta(attributes)),
    error: (message, attributes) => logger.error(message, meta(attributes)),
  };
}

const neverAborted = new AbortController().signal;

/**
 * The context of one call of a custom activity: Temporal's when the call runs as a Temporal
 * activity, a plain one otherwise. Its store is the narrow one (the activity's own collections and
 * the outbox; Baton's own collections are refused).
 */
export function activityContext(deps: RegistryDeps, name: string): ActivityContext {
  return { ...callContext(deps, name), store: activityStoreOf(deps.store) };
}

/** The context of one call of a built-in activity: the same, with the whole store. */
export function builtinActivityContext(deps: RegistryDeps, name: string): BuiltinActivityContext {
  return { ...callContext(deps, name), store: deps.store };
}

function callContext(deps: RegistryDeps, name: string): Omit<ActivityContext, 'store'> {
  const temporal: Context | undefined = asyncLocalStorage.getStore();
  const info = temporal?.info;
  const log: ActivityLogger = temporal ? temporal.log : prefixed(deps.logger ?? consoleLogger, name);
  return {
    ai: deps.provider,
    log,
    info,
    signal: temporal?.cancellationSignal ?? neverAborted,
    heartbeat(details?: unknown) {
      temporal?.heartbeat(details);
    },
    idempotencyKey(scope?: string) {
      const execution = info?.workflowExecution;
      if (!info || !execution)
        throw new Error(
          `${name}: idempotencyKey() needs a Temporal activity context (a workflow's activity, or MockActivityEnvironment in tests)`,
        );
      const key = `${execution.workflowId}/${execution.runId}/${info.activityId}`;
      return scope ? `${key}/${scope}` : key;
    },
  };
}

/** One definition as a Temporal activity: input validated, run, output validated; bad data never retries. */
export function wrapActivity(definition: ActivityDefinition, deps: RegistryDeps): ActivityFunction {
  const { name } = definition;
  const wrapped = async (raw: unknown): Promise<unknown> => {
    const input = definition.input.safeParse(raw);
    if (!input.success) {
      const problems = fieldProblems(input.error);
      throw ApplicationFailure.create({
        message: `invalid input for ${name}: ${describe(problems)}`,
        type: failureTypes.invalidInput,
        nonRetryable: true,
        details: [{ activity: name, problems }],
      });
    }
    // Only Baton's own activities (flagged builtin; the worker refuses the flag on custom modules) see the whole store.
    const plain = definition.builtin ? builtinActivityContext(deps, name) : activityContext(deps, name);
    // A worker killed mid-activity is noticed within the heartbeat timeout (./heartbeat.ts).
    const beating = heartbeatWhileRunning(asyncLocalStorage.getStore(), plain.heartbeat);
    const context = { ...plain, heartbeat: beating.heartbeat };
    let result: unknown;
    try {
      result = await definition.run(input.data, context);
    } catch (error) {
      if (!(error instanceof ReservedCollectionError)) throw error;
      throw ApplicationFailure.create({
        message: `${name}: ${error.message}`,
        type: failureTypes.reservedCollection,
        nonRetryable: true,
        details: [{ activity: name, collection: error.collection }],
      });
    } finally {
      beating.stop();
    }
    const output = definition.output.safeParse(result);
    if (!output.success) {
      const problems = fieldProblems(output.error);
      throw ApplicationFailure.create({
        message: `${name} returned an invalid output: ${describe(problems)}`,
        type: failureTypes.invalidOutput,
        nonRetryable: true,
        details: [{ activity: name, problems }],
      });
    }
    return output.data;
  };
  // Temporal names activities by their key in `activities`; the function name helps stack traces.
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped;
}

/** The activities a worker registers, their catalog and names. Names must be unique. */
export function createActivityRegistry(
  definitions: readonly ActivityDefinition[],
  deps: RegistryDeps,
): ActivityRegistry {
  const activities: Record<string, ActivityFunction> = {};
  const byName = new Map<string, ActivityDefinition>();
  for (const definition of definitions) {
    if (byName.has(definition.name)) throw new Error(`two activities are named "${definition.name}"`);
    byName.set(definition.name, definition);
    activities[definition.name] = wrapActivity(definition, deps);
  }
  return {
    activities,
    catalog: [...byName.values()].map((definition) => manifestOf(definition)),
    names: new Set(byName.keys()),
    definitions: byName,
  };
}
