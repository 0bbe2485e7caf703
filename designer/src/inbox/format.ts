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
