import { randomUUID } from 'node:crypto';
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { Agent, CompiledJourney, Customer, JsonValue } from '@baton/schemas';
import type { ConversationSummary, ConversationView } from '@baton/core/interpreter';
import {
  agentActionUpdate,
  customerMessageUpdate,
  journeyWorkflowType,
  migrateUpdate,
  openedUpdate,
  stateQuery,
  surveyUpdate,
  type AgentAction,
  type JourneyWorkflowInput,
  type MessageResult,
  type SurveyAnswerInput,
  type SurveyResult,
} from '@baton/workflow/definitions';
import {
  conversationSearchAttributes,
  refusesSearchAttributes,
  searchAttributesAvailable,
  type SearchAttributeSupport,
} from './search-attributes';
import { ConversationUnavailableError, transientTemporalReason } from './transient';

export { ConversationUnavailableError, transientTemporalReason } from './transient';
export {
  batonSearchAttributes,
  devServerSearchAttributeArgs,
  ensureSearchAttributes,
  ensureSearchAttributesAt,
  missingSearchAttributes,
  refusesSearchAttributes,
} from './search-attributes';

export type {
  ConversationSummary,
  ConversationView,
  MessageResult,
  AgentAction,
  SurveyAnswerInput,
  SurveyResult,
  JourneyWorkflowInput,
};

/** The conversation does not exist (or is no longer retained by Temporal). */
export class ConversationNotFoundError extends Error {
  constructor(readonly conversationId: string) {
    super(`conversation "${conversationId}" does not exist`);
    this.name = 'ConversationNotFoundError';
  }
}

/** The conversation refused the request as it is now (ended, not with an agent, …). */
export class ConversationRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConversationRejectedError';
  }
}

/** A start named the id of a conversation that exists (running, or ended and still retained by Temporal). */
export class ConversationExistsError extends Error {
  constructor(
    readonly conversationId: string,
    readonly ended: boolean,
    /** The journey it runs (or ran), when Temporal still knows it. */
    readonly journeyId: string | undefined,
  ) {
    super(`a conversation "${conversationId}" already exists${ended ? ' (it has ended)' : ''}`);
    this.name = 'ConversationExistsError';
  }
}

/** Internal: an update reached a workflow that exists but has completed. */
class ConversationEndedError extends Error {}

/**
 * Internal: Temporal answered "not now" (./transient.ts: a worker died with the conversation's workflow
 * task, the server gave an Update up before any worker saw it). Nothing happened, so sending it again
 * with the same update id is safe.
 */
class TransientRejectionError extends Error {}

/**
 * How long a customer-facing Update keeps being sent while Temporal answers "not now", unless the
 * Conversations are told otherwise: under the API's default 30 s message deadline
 * (api/middleware/deadline.ts), so the request answers itself before the deadline's 503 would.
 */
export const defaultUpdateRetryBudgetMs = 25_000;
/** Any other unexpected failure of a customer-facing Update is sent this many times in all. */
const otherAttempts = 3;

export interface StartConversationInput {
  conversationId: string;
  journey: CompiledJourney;
  customer: Customer;
  variables: Record<string, JsonValue>;
  channel: string;
}

function translate(error: unknown, conversationId: string): never {
  if (error instanceof WorkflowNotFoundError) throw new ConversationNotFoundError(conversationId);
  if (error instanceof ConversationEndedError) throw new ConversationRejectedError('the conversation has ended');
  const transient = transientTemporalReason(error);
  if (transient !== undefined) throw new TransientRejectionError(transient);
  if (error instanceof WorkflowUpdateFailedError)
    throw new ConversationRejectedError(error.cause?.message ?? error.message);
  throw error;
}

/** The conversation's own answer (not found, refused, exists): final, never worth another attempt. */
function isAnswer(error: unknown): boolean {
  return (
    error instanceof ConversationNotFoundError ||
    error instanceof ConversationRejectedError ||
    error instanceof ConversationExistsError
  );
}

export interface RetryOptions {
  /** Stop sending again once the next pause would end past this many ms from the first attempt. */
  budgetMs?: number;
  /** The first pause; each next one doubles, up to `maxPauseMs`. */
  firstPauseMs?: number;
  maxPauseMs?: number;
}

/**
 * Sends a customer-facing Update again while Temporal answers "not now" (./transient.ts), with
 * pauses doubling from 200 ms to 2 s, until `budgetMs` is spent; then ConversationUnavailableError
 * (the API answers 503 with Retry-After). Other unexpected failures get `otherAttempts` in all.
 * `send` must reuse one update id, so a retry of an Update that did land is answered from the first,
 * not applied twice.
 */
export async function retryTransient<R>(
  send: () => Promise<R>,
  { budgetMs = defaultUpdateRetryBudgetMs, firstPauseMs = 200, maxPauseMs = 2_000 }: RetryOptions = {},
): Promise<R> {
  const giveUpAt = Date.now() + budgetMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      if (isAnswer(error)) throw error;
      const pause = Math.min(maxPauseMs, firstPauseMs * 2 ** (attempt - 1));
      const again = error instanceof TransientRejectionError ? Date.now() + pause < giveUpAt : attempt < otherAttempts;
      if (!again) throw asAnswer(error);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** A "not now" that outlived its retries: the caller is told to send the same request again (503). */
function asAnswer(error: unknown): unknown {
  return error instanceof TransientRejectionError ? new ConversationUnavailableError(error.message) : error;
}

/** The Temporal client facade the API uses: one method per thing that can happen to a conversation. */
export class Conversations {
  /** Whether the namespace has Baton's search attributes: asked on the first start (again a minute after it could not be asked). */
  private searchAttributes?: { answer: Promise<SearchAttributeSupport | undefined>; at: number };

  constructor(
    readonly client: Client,
    readonly taskQueue: string = 'baton',
    private readonly warn: (message: string) => void = (message) => console.warn(message),
    /** How customer-facing Updates are sent again while Temporal answers "not now" (retryTransient). */
    private readonly retry: RetryOptions = {},
  ) {}

  private handle(conversationId: string): WorkflowHandle {
    return this.client.workflow.getHandle(conversationId);
  }

  private async withSearchAttributes(): Promise<SearchAttributeSupport> {
    const asked = this.searchAttributes;
    if (!asked || ((await asked.answer) === undefined && Date.now() - asked.at > 60_000)) {
      this.searchAttributes = { answer: searchAttributesAvailable(this.client, this.warn), at: Date.now() };
    }
    return (await this.searchAttributes!.answer) ?? 'none';
  }

  /**
   * Agent actions and migrations: sent once (they carry no fixed update id to retry with); a "not now"
   * from Temporal answers ConversationUnavailableError (503), the agent's client sends it again.
   */
  private async update<R>(conversationId: string, send: (handle: WorkflowHandle) => Promise<R>): Promise<R> {
    try {
      return await this.updateOnce(conversationId, send);
    } catch (error) {
      throw asAnswer(error);
    }
  }

  /** Updates to a completed workflow come back as "not found"; tell an ended conversation from an unknown one. */
  private async updateOnce<R>(conversationId: string, send: (handle: WorkflowHandle) => Promise<R>): Promise<R> {
    const handle = this.handle(conversationId);
    try {
      return await send(handle);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        const exists = await handle.describe().then(
          (description) => description.status.name !== 'RUNNING',
          () => false,
        );
        if (exists) return translate(new ConversationEndedError(), conversationId);
      }
      return translate(error, conversationId);
    }
  }

  /**
   * Starts a conversation and answers it once it has run to its first wait. With `onExisting: 'answer'`
   * (the caller holds the conversation's token) a running conversation with that id is answered
   * instead; with `'refuse'` only one start can win an id, the others get ConversationExistsError. An
   * ended conversation is never started again under its id (ConversationExistsError, `ended`).
   */
  async start(
    input: StartConversationInput,
    { onExisting = 'answer' }: { onExisting?: 'answer' | 'refuse' } = {},
  ): Promise<ConversationView> {
    const args: [JourneyWorkflowInput] = [
      {
        journey: input.journey,
        conversationId: input.conversationId,
        channel: input.channel,
        customer: input.customer,
        variables: input.variables,
      },
    ];
    // One id for this start's attempts: in the memo (to know a run as ours on a retry) and as the Update's id.
    const startRequest = randomUUID();
    const updateId = `opened:${startRequest}`;
    let withAttributes = await this.withSearchAttributes();
    const attempt = async (withSearchAttributes: SearchAttributeSupport): Promise<ConversationView> => {
      const startWorkflowOperation = new WithStartWorkflowOperation(journeyWorkflowType, {
        workflowId: input.conversationId,
        taskQueue: this.taskQueue,
        args,
        workflowIdConflictPolicy: onExisting === 'answer' ? 'USE_EXISTING' : 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { journeyId: input.journey.id, journeyVersion: input.journey.version, startRequest },
        ...(withSearchAttributes !== 'none' && {
          typedSearchAttributes: conversationSearchAttributes(input, withSearchAttributes),
        }),
      });
      try {
        return await this.client.workflow.executeUpdateWithStart(openedUpdate, {
          startWorkflowOperation,
          args: [],
          updateId,
        });
      } catch (error) {
        // The server refused an attribute it had listed (a frontend's stale cache, one removed since): start without.
        if (withSearchAttributes !== 'none' && refusesSearchAttributes(error)) {
          this.searchAttributes = { answer: Promise.resolve(undefined), at: Date.now() };
          withAttributes = 'none';
          this.warn(`Temporal refused Baton's search attributes (${(error as Error).message}); starting without them`);
          return attempt('none');
        }
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) return translate(error, input.conversationId);
        const description = await this.handle(input.conversationId).describe();
        const running = description.status.name === 'RUNNING';
        // Started by an earlier attempt of this very call, whose Update did not come back: send it again.
        if (running && description.memo?.startRequest === startRequest) {
          return this.updateOnce(input.conversationId, (handle) =>
            handle.executeUpdate(openedUpdate, { args: [], updateId }),
          );
        }
        const journeyId = description.memo?.journeyId;
        throw new ConversationExistsError(
          input.conversationId,
          !running,
          typeof journeyId === 'string' ? journeyId : undefined,
        );
      }
    };
    return retryTransient(() => attempt(withAttributes), this.retry);
  }

  sendMessage(conversationId: string, message: { clientMessageId: string; text: string }): Promise<MessageResult> {
    // Temporal deduplicates a retried update with the same id; the interpreter does it again across runs.
    const updateId = `customer:${message.clientMessageId}`;
    return retryTransient(
      () =>
        this.updateOnce(conversationId, (handle) =>
          handle.executeUpdate(customerMessageUpdate, { args: [message], updateId }),
        ),
      this.retry,
    );
  }

  agentAction(conversationId: string, action: AgentAction): Promise<ConversationSummary> {
    return this.update(conversationId, (handle) => handle.executeUpdate(agentActionUpdate, { args: [action] }));
  }

  claim(conversationId: string, agent: Agent): Promise<ConversationSummary> {
    return this.agentAction(conversationId, { type: 'claim', agent });
  }

  answerSurvey(conversationId: string, answer: SurveyAnswerInput): Promise<SurveyResult> {
    // One id for this answer's attempts: a retry of an answer that did land is answered from the first.
    const updateId = `survey:${randomUUID()}`;
    return retryTransient(
      () =>
        this.updateOnce(conversationId, (handle) => handle.executeUpdate(surveyUpdate, { args: [answer], updateId })),
      this.retry,
    );
  }

  /**
   * Moves a waiting conversation to another version of its journey, inside its workflow; answers
   * with the conversation's summary (already on that version: a no-op).
   * @throws ConversationRejectedError naming the reason when the conversation cannot move now.
   */
  migrate(conversationId: string, journey: CompiledJourney): Promise<ConversationSummary> {
    // No fixed update id: a move back and forth must not be answered from an earlier Update's result;
    // a repeat is harmless anyway (already on the version: a no-op).
    return this.update(conversationId, (handle) => handle.executeUpdate(migrateUpdate, { args: [journey] }));
  }

  /** The live state, from the workflow itself (works for closed conversations while Temporal retains them). */
  async get(conversationId: string): Promise<ConversationView> {
    try {
      return await this.handle(conversationId).query(stateQuery);
    } catch (error) {
      // A query no worker answered in time (a worker killed): ConversationUnavailableError, 503.
      try {
        return translate(error, conversationId);
      } catch (translated) {
        throw asAnswer(translated);
      }
    }
  }
}
