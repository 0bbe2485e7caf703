import type {
  CompiledJourney,
  CustomerTranscriptEntry,
  CustomerView,
  JsonValue,
  TranscriptEntry,
} from '@baton/schemas';
// A zod-free module: the workflow bundle (which runs this view's code) holds no zod.
import { redactSecrets, secretMarker, secretTexts, scrubText, type SecretPath } from '@baton/schemas/secrets';
import type { ConversationState } from './types';

/** What the API and the inbox show of a conversation: its state without the interpreter's bookkeeping. */
export type ConversationView = Omit<ConversationState, 'messageIds' | 'buffered' | 'calls'>;

export function conversationView(state: ConversationState): ConversationView {
  const { messageIds: _ids, buffered: _buffered, calls: _calls, ...view } = state;
  return view;
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
      step.note === undefined || texts.length === 0 ? step : { ...step, note: scrubNote(step.note, texts) },
    ),
  };
}

/** How the activity step marks a note it cut (kinds/activity/step.ts: 117 characters, then this). */
const cutMark = '...';

/**
 * A path note with its secrets hidden. The note quotes the activity's output as JSON (a string secret
 * escaped as JSON writes it), and the workflow, which knows no secrets, cut it at 117 characters: a
 * secret cut there ends the note half-written, so whatever start of a secret ends a cut note reads
 * "[secret]" too (a few characters that only look like one are hidden with it: hiding more is safe).
 */
export function scrubNote(note: string, secrets: readonly string[]): string {
  const forms = [...new Set(secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))];
  const scrubbed = scrubText(note, forms);
  if (!scrubbed.endsWith(cutMark)) return scrubbed;
  const body = scrubbed.slice(0, -cutMark.length);
  let cut = 0;
  for (const form of forms)
    for (let length = Math.min(form.length - 1, body.length); length > cut; length--)
      if (body.endsWith(form.slice(0, length))) {
        cut = length;
        break;
      }
  return cut === 0 ? scrubbed : `${body.slice(0, -cut)}${secretMarker}${cutMark}`;
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
  // At a handoff node the bot first says the warm transition; what it says there later is an agent joining.
  const spokenAt = new Set<string>();
  const noticeOf = (nodeId: string): 'handoff' | 'joined' => {
    if (spokenAt.has(nodeId)) return 'joined';
    spokenAt.add(nodeId);
    return 'handoff';
  };
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
      ...(entry.quickReplies?.length && { quickReplies: entry.quickReplies }),
      ...(entry.from === 'bot' &&
        entry.nodeId !== undefined &&
        handoffNodes.has(entry.nodeId) && { notice: noticeOf(entry.nodeId) }),
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

/**
 * What the customer reads in answer to their message: the bot's replies as they saw them (a handoff's
 * words marked as a notice), whether it was a repeat, and where the conversation stands; never the
 * summary's intent, sentiment or handoff record (queue, priority, reason, ticket).
 */
export function customerMessageAnswer(result: {
  replies: readonly TranscriptEntry[];
  duplicate: boolean;
  conversation: ConversationSummary;
}): {
  replies: CustomerTranscriptEntry[];
  duplicate: boolean;
  conversation: Pick<CustomerView, 'conversationId' | 'status' | 'waiting'>;
} {
  const { conversation } = result;
  const handoffNodes = new Set<string>();
  if (conversation.handoff) handoffNodes.add(conversation.handoff.nodeId);
  const waiting = conversation.waiting;
  if (waiting && (waiting.kind === 'agent' || (waiting.kind === 'activity' && waiting.purpose === 'open_ticket')))
    handoffNodes.add(waiting.nodeId);
  return {
    replies: result.replies.map((entry) => ({
      seq: entry.seq,
      from: entry.from,
      text: entry.text,
      at: entry.at,
      ...(entry.agent && { agent: { name: entry.agent.name } }),
      ...(entry.from === 'bot' &&
        entry.nodeId !== undefined &&
        handoffNodes.has(entry.nodeId) && { notice: 'handoff' as const }),
    })),
    duplicate: result.duplicate,
    conversation: {
      conversationId: conversation.conversationId,
      status: conversation.status,
      waiting: waiting ? { kind: waiting.kind } : null,
    },
  };
}
