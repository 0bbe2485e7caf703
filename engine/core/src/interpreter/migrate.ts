import type { CompiledJourney, JsonValue } from '@baton/schemas';
import type { ConversationState } from './types';

/**
 * Migration of a waiting conversation from the version it runs to another version of its journey.
 * Pure: the Temporal workflow decides with `migrationVerdict` (its Update validator) and applies
 * `migrateState`; the API runs the same verdict on each conversation's live state for a dry run.
 */

/** What the verdict reads of a conversation: its state, or the view the API gets from a query. */
export type MigratableState = Pick<ConversationState, 'status' | 'nodeId' | 'waiting' | 'journey'>;

/** Why a conversation cannot move, for machines; `reason` says it for people. */
export type MigrationRefusal =
  | 'already_migrated'
  | 'other_journey'
  | 'other_version'
  | 'ended'
  | 'busy'
  | 'node_missing'
  | 'node_type_changed'
  | 'handle_missing';

export type MigrationVerdict = { movable: true } | { movable: false; code: MigrationRefusal; reason: string };

/** The version the conversation runs is `journey` (same id, version and content hash). */
export function runsVersion(
  state: Pick<MigratableState, 'journey'>,
  journey: Pick<CompiledJourney, 'id' | 'version' | 'hash'>,
): boolean {
  return (
    state.journey.id === journey.id && state.journey.version === journey.version && state.journey.hash === journey.hash
  );
}

function refuse(code: MigrationRefusal, reason: string): MigrationVerdict {
  return { movable: false, code, reason };
}

const waitingFor: Record<string, string> = {
  reply: "the customer's reply",
  agent: 'an agent',
  timer: 'a timer',
  survey: 'a survey answer',
};

/**
 * Whether a conversation running `from` can move to `to` now: it is active, waits on the outside
 * world (a reply, an agent, a timer, a survey answer; never in the middle of an activity), and its
 * node exists in `to` with the same kind and every handle it could leave by in `from`.
 */
export function migrationVerdict(state: MigratableState, from: CompiledJourney, to: CompiledJourney): MigrationVerdict {
  if (state.journey.id !== from.id || to.id !== from.id) {
    return refuse(
      'other_journey',
      `the conversation runs journey "${state.journey.id}", not "${from.id === to.id ? from.id : `${from.id}" and "${to.id}`}"`,
    );
  }
  if (runsVersion(state, to)) return refuse('already_migrated', `already on version ${to.version}`);
  if (!runsVersion(state, from))
    return refuse(
      'other_version',
      `the conversation runs version ${state.journey.version}, not version ${from.version}`,
    );
  if (state.status !== 'active') return refuse('ended', 'the conversation has ended');
  const waiting = state.waiting;
  const nodeId = state.nodeId;
  if (!waiting || waiting.kind === 'activity' || nodeId === null) {
    const what =
      waiting?.kind === 'activity' ? `in the middle of an activity at node "${waiting.nodeId}"` : 'not waiting';
    return refuse('busy', `${what}; it can move once it waits for the customer, an agent, a timer or a survey answer`);
  }
  const before = Object.hasOwn(from.nodes, nodeId) ? from.nodes[nodeId] : undefined;
  if (!before) return refuse('other_version', `node "${nodeId}" is not in version ${from.version}`);
  const after = Object.hasOwn(to.nodes, nodeId) ? to.nodes[nodeId] : undefined;
  if (!after)
    return refuse(
      'node_missing',
      `waits for ${waitingFor[waiting.kind] ?? waiting.kind} at node "${nodeId}", which version ${to.version} does not have`,
    );
  if (after.type !== before.type) {
    return refuse(
      'node_type_changed',
      `node "${nodeId}" is a ${before.type} node in version ${from.version} but a ${after.type} node in version ${to.version}`,
    );
  }
  const missing = Object.keys(before.next).filter((handle) => !Object.hasOwn(after.next, handle));
  if (missing.length > 0) {
    const names = missing.map((handle) => `"${handle}"`).join(', ');
    return refuse(
      'handle_missing',
      `node "${nodeId}" in version ${to.version} lacks the handle${missing.length > 1 ? 's' : ''} ${names} it can leave by in version ${from.version}`,
    );
  }
  return { movable: true };
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The conversation moved to `to`: pinned to its id, version and hash, with the defaults of the
 * variables `to` adds (existing values kept), and a note on the current path step. The wait (and its
 * deadline) is unchanged. The input state is not modified.
 */
export function migrateState(state: ConversationState, to: CompiledJourney): ConversationState {
  const next = clone(state);
  const fromVersion = state.journey.version;
  next.journey = { id: to.id, version: to.version, hash: to.hash };
  for (const [name, value] of Object.entries(to.defaults)) {
    if (Object.hasOwn(next.vars, name)) continue;
    // A plain assignment would drop a name such as "__proto__"; define the key instead.
    Object.defineProperty(next.vars, name, {
      value: clone(value) as JsonValue,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const text = `migrated from v${fromVersion} to v${to.version}`;
  const step = next.path[next.path.length - 1];
  if (step) step.note = step.note ? `${step.note}; ${text}` : text;
  return next;
}
