import type { ActivityManifest, Journey } from '@baton/schemas';

export interface JourneySummary {
  id: string;
  name: string;
  latestVersion?: number;
  [key: string]: unknown;
}

export class ApiError extends Error {}

/** Every request of the web app goes through here (auth headers, problem+json errors). */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError('Cannot reach the API; your work is kept in this browser until it is saved.');
  }
  const text = await response.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    const detail = typeof json.detail === 'string' ? json.detail : typeof json.title === 'string' ? json.title : response.statusText;
    throw new ApiError(`${response.status}: ${detail}`);
  }
  return json as T;
}

export const api = {
  listJourneys: () => call<{ journeys: JourneySummary[] }>('GET', '/journeys').then((r) => r.journeys),
  getJourney: (id: string) => call<{ journey: Journey }>('GET', `/journeys/${encodeURIComponent(id)}`).then((r) => r.journey),
  createJourney: (journey: unknown) => call<{ journey: Journey }>('POST', '/journeys', journey),
  saveJourney: (id: string, journey: unknown) => call<{ journey: Journey }>('PUT', `/journeys/${encodeURIComponent(id)}`, journey),
  publish: (id: string) => call<{ ref: string; version: number }>('POST', `/journeys/${encodeURIComponent(id)}/publish`, {}),
  activities: () => call<{ activities: ActivityManifest[] }>('GET', '/activities').then((r) => r.activities),
};
