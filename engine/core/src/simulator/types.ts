import type { JsonValue, Outcome } from '@baton/schemas';
import type { CallPurpose, ConversationState, PathStep, TranscriptEntry, Waiting } from '../interpreter/types';

/**
 * Runs an activity the simulator does not answer itself (a test's fakes and the built-ins of
 * ./builtin-fakes.ts are answered in-process): `baton.classify` and custom
 * activities. A thrown error is the activity failing (`activity_result` ok: false), except
 * `ActivityUnavailableError`, which fails the simulation: the test is missing a fake.
 */
export type ActivityRunner = (name: string, input: { [key: string]: JsonValue }) => Promise<JsonValue> | JsonValue;

export class ActivityUnavailableError extends Error {
  constructor(
    readonly activity: string,
    message = `activity "${activity}" has no fake in this test and no in-process implementation; add "activities": { "${activity}": { "output": … } } to the test`,
  ) {
    super(message);
    this.name = 'ActivityUnavailableError';
  }
}

/**
 * An activity's contract as its worker enforces it (the SDK validates input and output with zod).
 * Each check answers a problem in words, or undefined when the value is fine.
 */
export interface ActivityContract {
  input?(input: { [key: string]: JsonValue }): string | undefined;
  output?(output: JsonValue): string | undefined;
}

export interface SimulateOptions {
  activities: ActivityRunner;
  /**
   * The contracts of the known activities. With them the simulator behaves as the worker does: an
   * input the activity would refuse fails the call (\`invalid input for …\`, the node's error
   * handle), and a fake whose output the real activity could not return fails the test.
   */
  contracts?: (name: string) => ActivityContract | undefined;
  /** Epoch ms of the conversation's start when the script has no `startAt`; default Monday 2025-01-06 09:00 UTC. */
  startAt?: number;
  /** Default `sim-1` (unless the script names one). */
  conversationId?: string;
  /** Guard against a journey that loops through activities without the customer (default 200 calls per step). */
  maxActivityCallsPerStep?: number;
}

/** Where an activity's answer came from. */
export type CallSource = 'fake' | 'ai' | 'builtin' | 'runner';

export interface ActivityCallRecord {
  /** Script step that caused it (0: the start). */
  step: number;
  callId: string;
  nodeId: string;
  name: string;
  purpose: CallPurpose;
  input: { [key: string]: JsonValue };
  output?: JsonValue;
  error?: string;
  source: CallSource;
  at: number;
}

export interface TicketRecord {
  ticketId: string;
  nodeId: string;
  queue: string;
  priority: string;
  reason: string;
  /** The handoff packet the agent receives (input of `baton.openTicket`). */
  packet: { [key: string]: JsonValue };
  openedAt: number;
  /** Times the customer reopened it by writing after its resolution. */
  reopened?: number;
}

export type TimelineEvent =
  | { kind: 'say'; entry: TranscriptEntry }
  | { kind: 'call'; call: ActivityCallRecord }
  | { kind: 'timeout'; at: number; nodeId: string; waitingFor: Waiting['kind'] }
  | { kind: 'duplicate'; clientMessageId: string }
  | { kind: 'clock'; at: number };

export interface StepLog {
  /** 1-based script step; 0 is the start of the conversation. */
  step: number;
  /** The step as written (one line), or "start". */
  action: string;
  at: number;
  events: TimelineEvent[];
  /** Where the conversation was after the step. */
  nodeId: string | null;
  waiting: Waiting | null;
}

export interface SimulationFailure {
  /** 1-based script step; 0: the start; "final": the final expectations; "script": the script itself is invalid. */
  step: number | 'final' | 'script';
  /** The step as written (one line of JSON). */
  action?: string;
  problems: string[];
  /** What the bot said in the window the expectation looked at. */
  botSaid: TranscriptEntry[];
  /** Which messages `botSaid` holds. */
  saidScope: string;
  /** The path so far, formatted. */
  path: string;
  /** Where the conversation is, in words. */
  where: string;
}

export interface SimulationResult {
  name?: string;
  passed: boolean;
  failures: SimulationFailure[];
  transcript: TranscriptEntry[];
  path: PathStep[];
  variables: Record<string, JsonValue>;
  activityCalls: ActivityCallRecord[];
  tickets: TicketRecord[];
  outcome: Outcome | null;
  status: 'active' | 'ended';
  /** The final conversation state (null only when the script was invalid and nothing ran). */
  state: ConversationState | null;
  log: StepLog[];
  startedAt: number;
  /** The virtual clock at the end. */
  clock: number;
}
