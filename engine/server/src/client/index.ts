import {
  type Client,
  WithStartWorkflowOperation,
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
} from '@baton/workflow/definitions';

export type {
  ConversationSummary,
  ConversationView,
  MessageResult,
  AgentAction,
  SurveyAnswerInput,
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

/** Internal: an update reached a workflow that exists but has completed. */
class ConversationEndedError extends Error {}

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
  if (error instanceof WorkflowUpdateFailedError) {
    throw new ConversationRejectedError(error.cause?.message ?? error.message);
  }
  throw error;
}

/** The Temporal client facade the API uses: one method per thing that can happen to a conversation. */
export class Conversations {
  constructor(
    readonly client: Client,
    readonly taskQueue: string = 'baton',
  ) {}

  private handle(conversationId: string): WorkflowHandle {
    return this.client.workflow.getHandle(conversationId);
  }

  /** Updates to a completed workflow come back as "not found"; tell an ended conversation from an unknown one. */
  private async update<R>(conversationId: string, send: (handle: WorkflowHandle) => Promise<R>): Promise<R> {
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

  /** Starts a conversation (or answers the existing one with that id) once it has run to its first wait. */
  async start(input: StartConversationInput): Promise<ConversationView> {
    const args: [JourneyWorkflowInput] = [
      {
        journey: input.journey,
        conversationId: input.conversationId,
        channel: input.channel,
        customer: input.customer,
        variables: input.variables,
      },
    ];
    const startWorkflowOperation = new WithStartWorkflowOperation(journeyWorkflowType, {
      workflowId: input.conversationId,
      taskQueue: this.taskQueue,
      args,
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { journeyId: input.journey.id, journeyVersion: input.journey.version },
    });
    try {
      return await this.client.workflow.executeUpdateWithStart(openedUpdate, { startWorkflowOperation, args: [] });
    } catch (error) {
      return translate(error, input.conversationId);
    }
  }

  async sendMessage(
    conversationId: string,
    message: { clientMessageId: string; text: string },
  ): Promise<MessageResult> {
    const send = () =>
      this.update(conversationId, (handle) =>
        handle.executeUpdate(customerMessageUpdate, {
          args: [message],
          // Temporal deduplicates a retried update with the same id; the interpreter does it again across runs.
          updateId: `customer:${message.clientMessageId}`,
        }),
      );
    // Under load the server can abort an update whose workflow task failed or timed out ("update …
    // wasn't found on server… fixed by retries"); the same update id makes a retry safe.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await send();
      } catch (error) {
        const answered = error instanceof ConversationNotFoundError || error instanceof ConversationRejectedError;
        if (answered || attempt >= 3) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  agentAction(conversationId: string, action: AgentAction): Promise<ConversationSummary> {
    return this.update(conversationId, (handle) => handle.executeUpdate(agentActionUpdate, { args: [action] }));
  }

  claim(conversationId: string, agent: Agent): Promise<ConversationSummary> {
    return this.agentAction(conversationId, { type: 'claim', agent });
  }

  answerSurvey(conversationId: string, answer: SurveyAnswerInput): Promise<ConversationSummary> {
    return this.update(conversationId, (handle) => handle.executeUpdate(surveyUpdate, { args: [answer] }));
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
      return translate(error, conversationId);
    }
  }
}
