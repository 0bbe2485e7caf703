import { useCallback, useEffect, useState } from 'react';
import { auth, call } from '../api';
import { Erasure } from './Erasure';
import { Retention } from './Retention';
import './settings.css';

/** An API key as the API lists it (never the key itself: that is shown once, when it is issued). */
export interface ApiKeyRow {
  keyId: string;
  name: string;
  roles: string[];
  prefix: string;
  createdAt: string;
  lastUsedAt?: string;
  expiresAt?: string;
  ownerId?: string;
}

/** Admins see and revoke every key; anyone else their own. */
export const apiKeysApi = {
  list: (all: boolean) => call<{ apiKeys: ApiKeyRow[] }>('GET', all ? '/admin/api-keys' : '/auth/api-keys'),
  revoke: (keyId: string, all: boolean) =>
    call<unknown>('DELETE', `${all ? '/admin/api-keys' : '/auth/api-keys'}/${encodeURIComponent(keyId)}`),
};

/** A UTC minute, e.g. 2026-12-06 11:00: the same for every admin, wherever they are. */
const minute = (iso: string) => {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toISOString().slice(0, 16).replace('T', ' ');
};

/** The "API keys" section: name, roles, created, last used, expires, and a Revoke button per key. */
export function ApiKeys({ now = Date.now() }: { now?: number }) {
  // An API without access control (tests only) has no keys to list: say so instead of its 404.
  if (auth.current()?.userId === 'open')
    return (
      <section className="settings-section" aria-labelledby="api-keys-title">
        <h2 id="api-keys-title">API keys</h2>
        <p className="muted">This API runs without access control, so it has no API keys.</p>
      </section>
    );
  return <ApiKeyList now={now} />;
}

function ApiKeyList({ now }: { now: number }) {
  const all = auth.current()?.roles.includes('admin') ?? false;
  const [keys, setKeys] = useState<ApiKeyRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const load = useCallback(() => {
    apiKeysApi.list(all).then(
      (body) => setKeys(body.apiKeys),
      (e: Error) => setError(e.message),
    );
  }, [all]);
  useEffect(load, [load]);

  const revoke = async (key: ApiKeyRow) => {
    if (!window.confirm(`Revoke the API key "${key.name}"? Scripts using it stop at once.`)) return;
    setRevoking(key.keyId);
    setError(null);
    try {
      await apiKeysApi.revoke(key.keyId, all);
      setKeys((before) => before?.filter((k) => k.keyId !== key.keyId) ?? null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRevoking(null);
    }
  };

  return (
    <section className="settings-section" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p className="muted">
        {all ? 'Every key of this Baton.' : 'Your keys.'} A key stops when it is revoked, when it expires, or when its
        user is disabled.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!keys && !error && <p className="muted">Loading…</p>}
      {keys && keys.length === 0 && <p className="muted">No API keys.</p>}
      {keys && keys.length > 0 && (
        <table className="api-keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Roles</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.keyId}>
                <td>
                  {key.name} <code className="muted">{key.prefix}…</code>
                </td>
                <td>{key.roles.join(', ')}</td>
                <td className="when">{minute(key.createdAt)}</td>
                <td className="when">{key.lastUsedAt ? minute(key.lastUsedAt) : 'never'}</td>
                <td className="when">
                  {key.expiresAt
                    ? `${minute(key.expiresAt)}${Date.parse(key.expiresAt) <= now ? ' (expired)' : ''}`
                    : 'never'}
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="danger"
                    disabled={revoking === key.keyId}
                    aria-label={`Revoke ${key.name}`}
                    onClick={() => void revoke(key)}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Admins (or everyone, with access control off) see the data panels; the API checks again. */
function isAdmin(): boolean {
  const user = auth.current();
  return !user || user.userId === 'open' || user.roles.includes('admin');
}

/** #/settings: the signed-in user's API keys; for admins also data retention and customer erasure. */
export function Settings() {
  return (
    <div className="page">
      <header className="page-head">
        <h1>Baton · Settings</h1>
        <nav>
          <a href="#/">Journeys</a> · <a href="#/inbox">Agents' inbox</a>
        </nav>
      </header>
      <ApiKeys />
      {isAdmin() && (
        <>
          <Retention />
          <Erasure />
        </>
      )}
    </div>
  );
}
