export * from './types';
export { startConversation, step, rejectionOf, repliesTo, isSettled, wouldReopen } from './interpreter';
export { renderTemplate, templatePaths, lookupPath } from './template';
export { inspectRule, evaluateRule, ruleHolds } from './rules';
export { handoffPacket, stepsTried } from './packet';
export { readClassification } from '../kinds';
export {
  conversationView,
  conversationSummary,
  customerView,
  customerMessageAnswer,
  customerVisibleVariables,
  withoutSecrets,
  type ConversationView,
  type ConversationSummary,
} from './view';
export {
  viewChanges,
  viewLengths,
  applyViewChanges,
  type ConversationViewChanges,
  type ViewLengths,
} from './view-changes';
export {
  migrationVerdict,
  migrateState,
  runsVersion,
  type MigratableState,
  type MigrationVerdict,
  type MigrationRefusal,
} from './migrate';
