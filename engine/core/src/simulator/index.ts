export { simulate, describeStep, describeWhere } from './simulate';
export {
  fakeBuiltin,
  isFakedBuiltin,
  fakedBuiltinNames,
  scriptedAnswer,
  type BuiltinFakeContext,
} from './builtin-fakes';
export {
  Script,
  Suite,
  Expectation,
  ActivityFakes,
  AiAnswer,
  parseScript,
  parseTestFile,
  parseDuration,
  startOf,
  defaultCustomer,
  defaultStartAt,
  type ScriptInput,
  type ScriptStep,
  type ScriptProblem,
  type ParseResult,
  type FakeResult,
} from './script';
export { checkExpectation, formatPath, partialMismatch, pathMismatch, type ExpectationView } from './expect';
export { formatTranscript, formatSummary, formatFailure, formatFailures, elapsed } from './report';
export {
  ActivityUnavailableError,
  type ActivityRunner,
  type ActivityContract,
  type SimulateOptions,
  type SimulationResult,
  type SimulationFailure,
  type ActivityCallRecord,
  type TicketRecord,
  type StepLog,
  type TimelineEvent,
  type CallSource,
} from './types';
