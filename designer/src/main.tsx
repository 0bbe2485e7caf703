import './csp';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { api, type JourneySummary } from './api';
import { AuthGate } from './auth/AuthGate';
import { Editor, localDrafts, writeLocal } from './Editor';
import { Inbox } from './inbox/Inbox';
import { KnowledgeBase } from './inbox/KnowledgeBase';
import { Dashboard } from './dashboard/Dashboard';
import { Settings } from './settings/ApiKeys';
import { newId } from './model';
import { currentSchemaVersion } from '@baton/schemas';

function useHash(): string {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function JourneyList() {
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
      <ul className="journeys">
        {journeys?.map((j) => (
          <li key={j.id}>
            <a href={`#/journeys/${encodeURIComponent(j.id)}`}>{j.name}</a> <code className="muted">{j.id}</code>{' '}
            {typeof j.latestVersion === 'number' && j.latestVersion > 0 ? (
              <span className="muted">published v{j.latestVersion}</span>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function App() {
  const hash = useHash();
  const match = /^#\/journeys\/([^/?]+)/.exec(hash);
  if (match) return <Editor key={match[1]} id={decodeURIComponent(match[1]!)} />;
  if (/^#\/inbox\b/.test(hash)) return <Inbox />;
  if (/^#\/kb\b/.test(hash)) return <KnowledgeBase />;
  if (/^#\/dashboard\b/.test(hash)) return <Dashboard />;
  if (/^#\/settings\b/.test(hash)) return <Settings />;
  return <JourneyList />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthGate>
      <App />
    </AuthGate>
  </StrictMode>,
);
