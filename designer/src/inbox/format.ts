// Small helpers the inbox's components share: error text, clock times, ids for outgoing messages.

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function time(at: number | string): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** A client message id: one per draft, so a retry after a failure is not a second message. */
export function newMessageId(): string {
  return `inbox-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** A value on one line, cut at 160 characters. */
export function compact(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** What an action says when nobody has said who they are. */
export const whoFirst = 'Say who you are first (Acting as, at the top).';

/** A span of time the way an agent reads it at a glance: 45 s, 12 min, 3 h 05, 2 d. */
export function span(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')}`;
  return `${Math.floor(hours / 24)} d`;
}

/** A short reference that tells apart two customers of the same name: the id's last six characters. */
export function shortRef(id: string): string {
  const plain = id.replace(/[^a-zA-Z0-9]/g, '');
  return `#${(plain.length > 6 ? plain.slice(-6) : plain).toLowerCase()}`;
}

/** True when a key press lands in a field the agent types into (shortcuts then stay out of the way). */
export function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
