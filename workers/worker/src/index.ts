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
} from '@baton/activity-sdk';
export {
  createActivityRegistry,
  wrapActivity,
  activityContext,
  failureTypes,
  type ActivityFunction,
  type ActivityRegistry,
  type RegistryDeps,
} from './registry';
export {
  sentimentLabel,
  type AiProvider,
  type Classification,
  type IntentExamples,
  type SentimentLabel,
  type TranscriptLine,
} from '@baton/ai';
export { EmbeddedAiProvider, createEmbeddedProvider, type EmbeddedProviderOptions } from '@baton/ai';
export { OpenAiProvider, AiProviderError, type OpenAiProviderOptions } from '@baton/ai';
export { aiProviderFromEnv, readAiEnvironment, AiConfigError } from '@baton/ai';
export { redact, redactPersonalData } from '@baton/ai';
export {
  builtinActivities,
  classifyActivity,
  answerActivity,
  openTicketActivity,
  sendTranscriptActivity,
  recordSurveyActivity,
  finishConversationActivity,
  saveConversationActivity,
  HandoffPacket,
} from './activities/builtin';
export {
  routingActivities,
  routeTicketActivity,
  slaEscalateActivity,
  releaseAgentActivity,
  reopenTicketActivity,
  followupCheckActivity,
  deliverOutbound,
} from './activities/routing';
export {
  channelFromEnv,
  logChannel,
  webhookChannel,
  smtpChannel,
  webhookSignature,
  signatureHeader,
  type OutboundChannel,
  type OutboundEnvelope,
} from './channels';
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
export {
  workerTelemetry,
  workerTelemetryFromEnv,
  createWorkerMetrics,
  type WorkerTelemetry,
  type WorkerMetrics,
} from './telemetry';
