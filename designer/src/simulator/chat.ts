import type { CompiledJourney, JsonValue } from '@baton/schemas';
import type { SimSession } from './session';

/** A node as the designer knows it: its label, else its kind and the start of its text, never a bare id. */
export function nodeLabel(journey: CompiledJourney, nodeId: string): string {
  const node = journey.nodes[nodeId];
  if (!node) return nodeId;
  const data = node.data as { label?: unknown; text?: unknown; prompt?: unknown };
  if (typeof data.label === 'string' && data.label.trim()) return data.label.trim();
  const kind = node.type.charAt(0).toUpperCase() + node.type.slice(1);
  const text = [data.text, data.prompt].find((t): t is string => typeof t === 'string' && t.trim() !== '');
  if (!text) return `${kind} (${nodeId})`;
  const short = text.length > 32 ? `${text.slice(0, 31).trimEnd()}…` : text;
  return `${kind} “${short}”`;
}

/** An activity's output in one readable line: its fields and short values, never JSON cut mid-string. */
export function summarizeOutput(output: JsonValue): string {
  const value = (v: JsonValue): string => {
    if (v === null) return 'null';
    if (Array.isArray(v)) return `${v.length} item${v.length === 1 ? '' : 's'}`;
    if (typeof v === 'object') return `{${Object.keys(v).length} fields}`;
    const text = String(v);
    return text.length > 24 ? `${text.slice(0, 23)}…` : text;
  };
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return value(output);
  const entries = Object.entries(output);
  if (entries.length === 0) return 'done';
  const shown = entries.slice(0, 4).map(([k, v]) => `${k}: ${value(v)}`);
  return shown.join(', ') + (entries.length > 4 ? `, +${entries.length - 4} more` : '');
}

/** Which questions the follow-up node the conversation waits at asks (CES 1–7, CSAT 1–5). */
export function surveyQuestions(journey: CompiledJourney, nodeId: string): { ces: boolean; csat: boolean } {
  const data = (journey.nodes[nodeId]?.data ?? {}) as { ces?: unknown; csat?: unknown };
  return { ces: data.ces !== false, csat: data.csat !== false };
}

/**
 * A warning when the simulated conversation ended "resolved by the bot" after passing a handoff
 * node: the metrics would count a conversation a person was asked to take as a bot resolution.
 */
export function handoffResolvedByBotWarning(session: SimSession): string | null {
  const { state, journey } = session;
  if (state.status !== 'ended' || state.outcome !== 'resolved_by_bot') return null;
  const handoff = state.path.find((step) => step.type === 'handoff');
  if (!handoff) return null;
  return (
    `This path went through the handoff “${nodeLabel(journey, handoff.nodeId)}” but ended “resolved_by_bot”: ` +
    'the metrics will count it as resolved by the bot. End it with resolved_by_agent or abandoned instead.'
  );
}

/** The quick replies the bot offers now: those of its last message, while the customer may answer. */
export function offeredQuickReplies(session: SimSession): string[] {
  if (session.state.status !== 'active' || session.pending) return [];
  for (let i = session.events.length - 1; i >= 0; i -= 1) {
    const event = session.events[i];
    if (event?.kind !== 'say') continue;
    if (event.entry.from === 'customer') return [];
    if (event.entry.from === 'bot') return event.entry.quickReplies ?? [];
  }
  return [];
}
