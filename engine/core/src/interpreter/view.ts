import type { CompiledJourney, CustomerView, JsonValue } from '@baton/schemas';
import type { ConversationState } from './types';

/** What the API and the inbox show of a conversation: its state without the interpreter's bookkeeping. */
export type ConversationView = Omit<ConversationState, 'messageIds' | 'buffered' | 'calls'>;

export function conversationView(state: ConversationState): ConversationView {
  const { messageIds: _ids, buffered: _buffered, calls: _calls, ...view } = state;
  return view;
}

/** What a secret value reads as in every view, packet and log. */
export const secretMarker = '[secret]';

/** A variable path whose value is secret: the variable, then the fields inside it (`['reset', 'resetId']`). */
export type SecretPath = readonly string[];

/** An activity's output JSON Schema as the catalog keeps it. */
export type OutputSchemas = ReadonlyMap<string, { output: Record<string, unknown> }>;

function secretFieldsOf(schema: unknown, at: string[], into: string[][]): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Record<string, unknown>;
  if (node['x-baton-secret'] === true) {
    into.push(at);
    return;
  }
  const properties = node.properties;
  if (properties && typeof properties === 'object')
    for (const [name, field] of Object.entries(properties)) secretFieldsOf(field, [...at, name], into);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = node[key];
    if (Array.isArray(options)) for (const option of options) secretFieldsOf(option, at, into);
  }
}

/**
 * The variable paths that hold secrets: each activity node's output variable, then the fields its
 * activity's output schema marks `"x-baton-secret": true` (zod `.meta({ secret: true })` in the SDK).
 */
export function secretVariablePaths(journey: Pick<CompiledJourney, 'nodes'>, activities: OutputSchemas): SecretPath[] {
  const paths: string[][] = [];
  for (const node of Object.values(journey.nodes)) {
    if (node.type !== 'activity') continue;
    const { activity, output } = node.data as { activity?: unknown; output?: unknown };
    if (typeof activity !== 'string' || typeof output !== 'string' || output === '') continue;
    const schema = activities.get(activity)?.output;
    if (schema) secretFieldsOf(schema, [output], paths);
  }
  return paths;
}

function redactAt(value: JsonValue, path: readonly string[]): JsonValue {
  if (path.length === 0) return secretMarker;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (!Object.prototype.hasOwnProperty.call(value, head)) return value;
  return { ...value, [head]: redactAt(value[head] as JsonValue, rest) };
}

/** The variables with every secret value replaced by "[secret]" (a copy; the input is left alone). */
export function redactSecrets(
  vars: Readonly<Record<string, JsonValue>>,
  secrets: readonly SecretPath[],
): Record<string, JsonValue> {
  let out: Record<string, JsonValue> = { ...vars };
  for (const path of secrets) {
    const [variable, ...rest] = path;
    if (variable === undefined || !Object.prototype.hasOwnProperty.call(out, variable)) continue;
    out = { ...out, [variable]: redactAt(out[variable] as JsonValue, rest) };
  }
  return out;
}

function valueAt(value: JsonValue | undefined, path: readonly string[]): JsonValue | undefined {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.prototype.hasOwnProperty.call(at, key))
      return undefined;
    at = at[key];
  }
  return at;
}

/** The secret values the variables hold now, as text (to hide them where they were written out, e.g. a path note). */
export function secretTexts(vars: Readonly<Record<string, JsonValue>>, secrets: readonly SecretPath[]): string[] {
  const texts = new Set<string>();
  for (const [variable, ...rest] of secrets) {
    if (variable === undefined) continue;
    const value = valueAt(vars[variable], rest);
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    // A tiny value (a boolean, a digit) would blank out unrelated text; such a "secret" protects nothing.
    if (text.length >= 4) texts.add(text);
  }
  return [...texts];
}

/** The text with each secret replaced by "[secret]". */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(secretMarker);
  return out;
}

/**
 * The staff view with its secrets hidden: the secret variables read "[secret]", and the activity notes
 * of the path (which quote the activity's output) lose their values too.
 */
export function withoutSecrets<V extends Pick<ConversationView, 'vars' | 'path'>>(
  view: V,
  secrets: readonly SecretPath[],
): V {
  if (secrets.length === 0) return view;
  const texts = secretTexts(view.vars, secrets);
  return {
    ...view,
    vars: redactSecrets(view.vars, secrets),
    path: view.path.map((step) =>
      step.note === undefined || texts.length === 0 ? step : { ...step, note: scrubText(step.note, texts) },
    ),
  };
}

/**
 * What the conversation's customer reads: the transcript as they saw it (agents by name), the status
 * and the kind of what it waits for; of the variables only those declared `customerVisible`.
 */
export function customerView(
  view: Pick<ConversationView, 'conversationId' | 'status' | 'waiting' | 'transcript' | 'handoffs' | 'survey' | 'vars'>,
  options: { visibleVariables?: readonly string[]; secrets?: readonly SecretPath[] } = {},
): CustomerView {
  // The bot's messages at a handoff are notices ("I'm bringing in a specialist").
  const handoffNodes = new Set(view.handoffs.map((handoff) => handoff.nodeId));
  const waiting = view.waiting;
  if (waiting && (waiting.kind === 'agent' || (waiting.kind === 'activity' && waiting.purpose === 'open_ticket')))
    handoffNodes.add(waiting.nodeId);
  const vars: Record<string, JsonValue> = {};
  for (const name of options.visibleVariables ?? [])
    if (Object.prototype.hasOwnProperty.call(view.vars, name)) vars[name] = view.vars[name] as JsonValue;
  return {
    conversationId: view.conversationId,
    status: view.status,
    waiting: waiting ? { kind: waiting.kind } : null,
    transcript: view.transcript.map((entry) => ({
      seq: entry.seq,
      from: entry.from,
      text: entry.text,
      at: entry.at,
      ...(entry.clientMessageId !== undefined && { clientMessageId: entry.clientMessageId }),
      ...(entry.agent && { agent: { name: entry.agent.name } }),
      ...(entry.from === 'bot' &&
        entry.nodeId !== undefined &&
        handoffNodes.has(entry.nodeId) && { notice: true as const }),
    })),
    surveyed: view.survey !== null,
    vars: redactSecrets(vars, options.secrets ?? []),
  };
}

/** The variables a journey declares `customerVisible`. */
export function customerVisibleVariables(journey: Pick<CompiledJourney, 'variables'>): string[] {
  return Object.entries(journey.variables)
    .filter(([, declaration]) => declaration.customerVisible === true)
    .map(([name]) => name);
}

/**
 * What an Update answers with: small and of constant size, since every Update result is stored in
 * the conversation's history (a whole transcript per message would grow it quadratically).
 */
export interface ConversationSummary {
  conversationId: string;
  journey: ConversationState['journey'];
  status: ConversationState['status'];
  nodeId: string | null;
  waiting: ConversationState['waiting'];
  outcome: ConversationState['outcome'];
  intent: ConversationState['intent'];
  sentiment: { score: number; label: ConversationState['sentiment']['label'] };
  handoff: ConversationState['handoffs'][number] | null;
  transcriptLength: number;
}

export function conversationSummary(state: ConversationState): ConversationSummary {
  return {
    conversationId: state.conversationId,
    journey: state.journey,
    status: state.status,
    nodeId: state.nodeId,
    waiting: state.waiting,
    outcome: state.outcome,
    intent: state.intent,
    sentiment: { score: state.sentiment.score, label: state.sentiment.label },
    handoff: state.handoffs[state.handoffs.length - 1] ?? null,
    transcriptLength: state.transcript.length,
  };
}
