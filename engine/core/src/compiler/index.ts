export { compileJourney, type CompileOptions, type CompileResult } from './compile';
export { canonicalJson, contentHash, sortKeys } from './canonical';
export {
  formatJourney,
  isCanonicalJourney,
  orderJourney,
  printJson,
  defaultFormatWidth,
  journeyKeyOrder,
  nodeKeyOrder,
  edgeKeyOrder,
  positionKeyOrder,
  type FormatOptions,
} from './format';
export {
  diffJourneys,
  fieldChanges,
  formatJourneyDiff,
  type Connection,
  type FieldChange,
  type JourneyDiff,
} from './diff';
export {
  editorOnlyEdgeKeys,
  editorOnlyNodeKeys,
  schemaVersionOf,
  upgradeJourney,
  upgradeSteps,
  type JourneyDocument,
  type UpgradeContext,
  type UpgradeResult,
  type UpgradeStep,
} from './upgrade';
