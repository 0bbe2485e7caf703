import { useEffect, useState } from 'react';
import { currentSchemaVersion } from '@baton/schemas';
import { api, type JourneySummary } from '../api';
import { localDrafts, writeLocal } from '../editor/localDrafts';
import { newId } from '../model';

/** When a journey was last saved, in the reader's locale; the server answers a date or an ISO string. */
function updated(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
}

/** The journeys: unsaved work in this browser first, then a table of those on the server. */
export function JourneyList() {
  const [journeys, setJourneys] = useState<JourneySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [local] = useState(localDrafts);
  useEffect(() => {
    api.listJourneys().then(setJourneys, (e: Error) => setError(e.message));
  }, []);
  const create = () => {
    const id = newId('journey');
    const meta = { id, name: 'Untitled journey', description: '', version: 0, variables: {} };
    writeLocal(id, {
      meta,
      journey: { schemaVersion: currentSchemaVersion, ...meta, nodes: [], edges: [] },
      persisted: false,
      dirty: true,
    });
    location.hash = `#/journeys/${id}`;
  };
  return (
    <div className="page">
      <header className="page-head">
        <h1>Baton · Journeys</h1>
        <nav>
          <a href="#/inbox">Agents' inbox</a> · <a href="#/kb">Knowledge base</a> <a href="#/dashboard">Measures</a>
        </nav>
      </header>
      <button type="button" className="primary" onClick={create}>
        New journey
      </button>
      {error && <p className="error">{error}</p>}
      {!journeys && !error && <p className="muted">Loading…</p>}
      {journeys && journeys.length === 0 && <p className="muted">No journeys yet.</p>}
      {local.length > 0 && (
        <>
          <h2>Unsaved work in this browser</h2>
          <ul className="journeys">
            {local.map((d) => (
              <li key={d.id}>
                <a href={`#/journeys/${encodeURIComponent(d.id)}`}>{d.name}</a> <code className="muted">{d.id}</code>{' '}
                <span className="muted">{d.persisted ? 'unsaved changes' : 'never saved'}</span>
              </li>
            ))}
          </ul>
          <h2>On the server</h2>
        </>
      )}
      {journeys && journeys.length > 0 && (
        <table className="journey-table" data-testid="journey-table">
          <thead>
            <tr>
              <th>Journey</th>
              <th>Live version</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {journeys.map((j) => (
              <tr key={j.id}>
                <td>
                  <a href={`#/journeys/${encodeURIComponent(j.id)}`}>{j.name}</a>
                  <div className="muted">
                    <code>{j.id}</code>
                    {typeof j.description === 'string' && j.description ? ` · ${j.description}` : ''}
                  </div>
                </td>
                <td>
                  {typeof j.latestVersion === 'number' && j.latestVersion > 0 ? (
                    `v${j.latestVersion}`
                  ) : (
                    <span className="muted">not published</span>
                  )}
                </td>
                <td>{updated(j.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
