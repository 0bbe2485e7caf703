export {
  defineActivity,
  manifestOf,
  jsonSchemaOf,
  nonRetryable,
  fieldPath,
  fieldProblems,
  activityNamePattern,
  type ActivityContext,
  type ActivityDefinition,
  type ActivityInfo,
  type ActivityLogger,
  type DefineActivityOptions,
  type FieldProblem,
  type LogAttributes,
} from './sdk';
export { createActivityRegistry, wrapActivity, activityContext, failureTypes, type ActivityFunction, type ActivityRegistry, type RegistryDeps } from './registry';
export { sentimentLabel, type AiProvider, type Classification, type IntentExamples, type SentimentLabel, type TranscriptLine } from './ai/provider';
export { EmbeddedAiProvider, createEmbeddedProvider, type EmbeddedProviderOptions } from './ai/embedded';
export { OpenAiProvider, AiProviderError, type OpenAiProviderOptions } from './ai/openai';
export { aiProviderFromEnv, readAiEnvironment, AiConfigError } from './ai/config';
export { redact, redactPersonalData } from './ai/redact';
export {
  builtinActivities,
  classifyActivity,
  openTicketActivity,
  sendTranscriptActivity,
  recordSurveyActivity,
  finishConversationActivity,
  saveConversationActivity,
  HandoffPacket,
} from './activities/builtin';
export { routingActivities, routeTicketActivity, slaEscalateActivity, releaseAgentActivity, reopenTicketActivity, followupCheckActivity, deliverOutbound } from './activities/routing';
export { channelFromEnv, logChannel, webhookChannel, smtpChannel, webhookSignature, signatureHeader, type OutboundChannel, type OutboundEnvelope } from './channels';
export {
  createBatonWorker,
  createActivityWorker,
  activitiesForTaskQueue,
  bundleBatonWorkflows,
  batonActivityRegistry,
  batonWorkflowsPath,
  type ActivityWorkerOptions,
  type BatonWorkerOptions,
} from './worker';
