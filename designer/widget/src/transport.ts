// The widget's connection to the Baton API: JSON requests that fail with words a customer understands,
// and the conversation's live stream (server-sent events).
import type { Entry, StateEvent } from './types';

/** A failure the customer is told about in plain words. */
export class WidgetError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export const unreachable =
  "We can't reach support right now. Check your connection; what you typed is kept, so you can try again.";

/** A JSON request to `${api}/api${path}`, with the conversation's token when there is one. */
export async function request<T>(
  api: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`${api}/api${path}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new WidgetError(unreachable);
  }
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // An HTML error page from a proxy: the status says enough.
  }
  if (!response.ok) {
    if (response.status >= 500 || response.status === 0) throw new WidgetError(unreachable, response.status);
    const detail =
      typeof json.detail === 'string' ? json.detail : typeof json.title === 'string' ? json.title : response.statusText;
    throw new WidgetError(detail, response.status);
  }
  return json as T;
}

/**
 * Server-sent events: `message` (a transcript entry, `id` its seq), `state`, and `typing` (an agent
 * types to the customer: `{typing: true, name}`, then `{typing: false}`). EventSource resumes
 * with Last-Event-ID by itself; `closed` is told when it gives up (refused, not a network blip).
 */
export function openStream(
  api: string,
  conversationId: string,
  token: string | undefined,
  on: {
    entry: (entry: Entry) => void;
    state: (state: StateEvent) => void;
    typing: (who: string | null) => void;
    open: () => void;
    closed: () => void;
  },
): EventSource {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const source = new EventSource(`${api}/api/conversations/${encodeURIComponent(conversationId)}/stream${query}`);
  source.addEventListener('message', (event) => {
    on.entry(JSON.parse((event as MessageEvent<string>).data) as Entry);
  });
  source.addEventListener('state', (event) => {
    on.state(JSON.parse((event as MessageEvent<string>).data) as StateEvent);
  });
  source.addEventListener('typing', (event) => {
    const data = JSON.parse((event as MessageEvent<string>).data) as { typing?: boolean; name?: unknown };
    on.typing(data.typing === true ? (typeof data.name === 'string' && data.name ? data.name : 'The agent') : null);
  });
  source.addEventListener('open', () => on.open());
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) on.closed();
  });
  return source;
}
