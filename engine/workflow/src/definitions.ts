import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Agent, CompiledJourney, Customer, JsonValue } from '@baton/schemas';
import type {
  ConversationSummary,
  ConversationView,
  ConversationViewChanges,
  TranscriptEntry,
} from '@baton/core/interpreter';

/** Names shared by the workflow and its clients. Renaming one breaks running conversations. */
export const journeyWorkflowType = 'journeyWorkflow';

export interface JourneyWorkflowInput {
  journey: CompiledJourney;
  conversationId: string;
  channel: string;
  customer: Customer;
  variables: Record<string, JsonValue>;
  /** Set by continue-as-new: the conversation so far. */
  carried?: import('@baton/core/interpreter').ConversationState;
}

export interface CustomerMessage {
  clientMessageId: string;
  text: string;
}

export interface MessageResult {
  /** What the bot (or an agent) said in answer, the same for a retried message. */
  replies: TranscriptEntry[];
  duplicate: boolean;
  conversation: ConversationSummary;
  /**
   * What this message changed in the conversation's view: the API applies it to the read model it
   * holds instead of asking the workflow again (engine/core/src/interpreter/view-changes.ts). Absent
   * when large (journey-workflow.ts `maxAnsweredChangesChars`: every answer stays in the history) and
   * from workflows built before it.
   */
  changes?: ConversationViewChanges;
  /** The whole view, as workers built before `changes` answer it (a rolling deploy meets both). */
  view?: ConversationView;
}

export type AgentAction =
  | { type: 'claim'; agent: Agent }
  | { type: 'message'; agent: Agent; clientMessageId: string; text: string }
  | { type: 'resolve'; agent: Agent; resolution?: string };

/** The summary, and the view's changes the API projects without asking again (as in MessageResult). */
export type SurveyResult = ConversationSummary & Pick<MessageResult, 'changes' | 'view'>;

export interface SurveyAnswerInput {
  ces?: number;
  csat?: number;
  comment?: string;
}

/** Answers once the conversation has run up to its first wait. */
export const openedUpdate = defineUpdate<ConversationView, []>('opened');
export const customerMessageUpdate = defineUpdate<MessageResult, [CustomerMessage]>('customerMessage');
export const agentActionUpdate = defineUpdate<ConversationSummary, [AgentAction]>('agentAction');
export const surveyUpdate = defineUpdate<SurveyResult, [SurveyAnswerInput]>('survey');
/**
 * Moves a waiting conversation to another version of its journey (the compiled target); refused,
 * naming the reason, unless the core's `migrationVerdict` allows it. A no-op on the version it runs.
 */
export const migrateUpdate = defineUpdate<ConversationSummary, [CompiledJourney]>('migrate');

export interface CloseRequest {
  /** The bot's last message, which the customer sees before the conversation ends. */
  message: string;
}
/**
 * Ends the conversation now with a last bot message (a customer's erasure, issue 16); answers once
 * the final projection is written, so nothing is projected after the caller deletes the records.
 */
export const closeUpdate = defineUpdate<ConversationSummary, [CloseRequest]>('close');
export const stateQuery = defineQuery<ConversationView>('state');
