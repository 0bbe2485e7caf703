import type { ActivityManifest, Journey } from '@baton/schemas';

export interface JourneySummary {
  id: string;
  name: string;
  latestVersion?: number;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the API answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The signed-in user, as `/api/auth/me` and `/api/auth/login` answer it. */
export interface SessionUser {
  userId: string;
  email: string;
  name: string;
  roles: ('admin' | 'designer' | 'agent')[];
}

/**
 * The session of this browser tab: the user and the CSRF token that every unsafe request sends
 * (the session itself is an http-only cookie the page never sees). `undefined`: not known yet.
 */
let session: { user: SessionUser; csrfToken: string } | null | undefined;
const listeners = new Set<(user: SessionUser | null) => void>();
const publish = () => listeners.forEach((listener) => listener(session?.user ?? null));

const unsafe = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(unsafe(method) && session?.csrfToken && { 'x-csrf-token': session.csrfToken }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError('Cannot reach the API; your work is kept in this browser until it is saved.');
  }
}

/** Every request of the web app goes through here (session cookie, CSRF header, problem+json errors). */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response = await send(method, path, body);
  let text = await response.text();
  // A CSRF token from an older session (signed in again in another tab): take the current one and retry once.
  if (response.status === 403 && unsafe(method) && text.includes('CSRF')) {
    await auth.refresh();
    response = await send(method, path, body);
    text = await response.text();
  }
  let json: Record<string, unknown>;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { detail: text.slice(0, 200) };
  }
  if (!response.ok) {
    const detail =
      typeof json.detail === 'string' ? json.detail : typeof json.title === 'string' ? json.title : response.statusText;
    if (response.status === 401 && !path.startsWith('/auth/')) {
      // Signed out (or the session expired): the app shows the sign-in page.
      session = null;
      publish();
      throw new ApiError('401: please sign in again', 401);
    }
    if (response.status === 403) {
      const roles = session?.user.roles.join(', ') || 'none';
      throw new ApiError(`403 Forbidden: you are not allowed to do this (${detail}; your roles: ${roles})`, 403);
    }
    throw new ApiError(`${response.status}: ${detail}`, response.status);
  }
  return json as T;
}

export const auth = {
  current: () => session?.user ?? null,
  /** Asks the API who this browser is; null when signed out. */
  async refresh(): Promise<SessionUser | null> {
    const response = await send('GET', '/auth/me');
    if (response.ok) {
      const body = JSON.parse(await response.text()) as { user: SessionUser; csrfToken?: string };
      session = { user: body.user, csrfToken: body.csrfToken ?? '' };
    } else if (response.status === 401) session = null;
    // An API built without access control (`createApp({ auth: false })`, tests only) has no sign-in routes.
    else if (response.status === 404)
      session = { user: { userId: 'open', email: '', name: 'access control off', roles: ['admin'] }, csrfToken: '' };
    else throw new ApiError(`${response.status}: could not check the sign-in`, response.status);
    publish();
    return session?.user ?? null;
  },
  async signIn(email: string, password: string): Promise<SessionUser> {
    const result = await call<{ user: SessionUser; csrfToken: string }>('POST', '/auth/login', { email, password });
    session = result;
    publish();
    return result.user;
  },
  async signOut(): Promise<void> {
    try {
      await call('POST', '/auth/logout');
    } finally {
      session = null;
      publish();
    }
  },
  subscribe(listener: (user: SessionUser | null) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export const api = {
  listJourneys: () => call<{ journeys: JourneySummary[] }>('GET', '/journeys').then((r) => r.journeys),
  getJourney: (id: string) =>
    call<{ journey: Journey }>('GET', `/journeys/${encodeURIComponent(id)}`).then((r) => r.journey),
  createJourney: (journey: unknown) => call<{ journey: Journey }>('POST', '/journeys', journey),
  /** Archive (hide from the list, restorable) or restore a journey. */
  setArchived: (id: string, archived: boolean) =>
    call<{ journey: JourneySummary }>('PUT', `/journeys/${encodeURIComponent(id)}/archived`, { archived }).then(
      (r) => r.journey,
    ),
  saveJourney: (id: string, journey: unknown) =>
    call<{ journey: Journey }>('PUT', `/journeys/${encodeURIComponent(id)}`, journey),
  publish: (id: string, body: { message?: string; author?: string } = {}) =>
    call<{ ref: string; version: number; created: boolean }>(
      'POST',
      `/journeys/${encodeURIComponent(id)}/publish`,
      body,
    ),
  activities: () => call<{ activities: ActivityManifest[] }>('GET', '/activities').then((r) => r.activities),
};
