export { connectStore, type ConnectOptions } from './connect';
export { batonCollectionNames, reservedCollectionProblem, retentionSettingsCollection } from './collections';
export { MongoJourneyStore, type JourneyStore } from './journeys';
export { MongoAliasStore, type AliasStore } from './aliases';
export { MongoConversationStore, type ConversationStore } from './conversations';
export { exportConversations, defaultExportPageSize, type ConversationExportQuery } from './conversation-export';
export { MongoTicketStore, type TicketStore } from './tickets';
export { MongoSurveyStore, type SurveyStore } from './surveys';
export {
  CannedResponseStore,
  cannedResponsesCollection,
  maxCannedResponses,
  type CannedResponse,
} from './canned-responses';
export { TypingStore, typingCollection } from './typing';
export { MongoOutboxStore, type OutboxStore } from './outbox';
export { MongoActivityCatalog, type ActivityCatalog } from './activity-catalog';
export {
  MongoStore,
  collections,
  liveAlias,
  aliasBucket,
  aliasRoutesProblem,
  routeForConversation,
  AliasVersionNotFoundError,
  AliasRoutesError,
  AliasRollbackError,
  type Store,
  type WireServer,
  type SlowStoreCommand,
  filterShape,
  slowStoreMsFromEnv,
  type RegisteredActivity,
} from './store';
export { StoreError, StoreConflictError, StoreNotFoundError, isDuplicateKeyError } from './errors';
export { conversationRecordOf, lastActivityAt } from './view';
export { encodeValue, decodeValue } from './codec';
export type * from './types';
export {
  KbStore,
  kbCollection,
  seedKnowledgeBase,
  type KbArticleInput,
  type KbArticleRecord,
  type KbAudience,
} from './kb';
export {
  InboxStore,
  inboxCollections,
  type TicketNote,
  type TicketFeedbackRecord,
  type IntentCorrection,
} from './inbox';
export {
  RoutingStore,
  routingCollections,
  type AgentRecord,
  type RoutingEvent,
  type CollectionSource,
} from './routing';
export { computeMetrics } from './metrics';
export {
  rebuildMeasures,
  refreshSurvey as refreshSurveyMeasures,
  refreshTicket as refreshTicketMeasures,
} from './read-model-measures-store';
export { measureCollections, type FailedRow } from './read-model-measures';
export {
  TriageModelStore,
  triageModelCollections,
  triageModelKey,
  type CorrectionRow,
  type PublishTriageModelInput,
  type PublishTriageModelResult,
  type TriageModelFacts,
  type TriageModelSummary,
  type TriageModelVersion,
} from './triage-models';
export {
  customerInventory,
  deleteCustomerRecords,
  inventoryIsEmpty,
  type CustomerInventory,
  type DeleteRecordsOptions,
  type ErasedCounts,
} from './erasure';
export {
  defaultRetentionSettings,
  previewRetention,
  readRetentionSettings,
  redactConversations,
  retentionBatch,
  retentionRules,
  saveRetentionSettings,
  type RedactedCounts,
  type RetentionPreview,
  type RetentionRule,
  type RetentionSettings,
  type StoredRetentionSettings,
} from './retention';
export {
  ReadModels,
  forgetConversations,
  inboxClosedDays,
  rebuildReadModels,
  writeReadModels,
  readModelCollections,
  readModelVersion,
  inboxKey,
  matchAll,
} from './read-models';
export { inboxItemOf, inboxStatus, sharesOf, type ProjectionFields } from './read-model-shapes';
