import { useEffect, useMemo, useState } from 'react';
import { currentSchemaVersion } from '@baton/schemas';
import { api, type JourneySummary } from '../api';
import { localDrafts, writeLocal } from '../editor/localDrafts';
import { newId } from '../model';
import { trafficDays, useJourneyTraffic } from './useJourneyTraffic';

/** When a journey was last saved, in the reader's locale; the server answers a date or an ISO string. */
function updated(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
}

interface AliasRow {
  alias: string;
  routes: { version: number; percent: number }[];
}

/**
 * Where new conversations go: the `live` alias's routes ("v3 90 % · v4 10 %"), else the latest
 * version (what a start without an alias takes); the other aliases as "beta → v5".
 */
export function liveTraffic(j: JourneySummary): { live: string | null; others: string[] } {
  const aliases = (Array.isArray(j.aliases) ? j.aliases : []) as AliasRow[];
  const routes = (a: AliasRow) =>
    [...a.routes]
      .sort((x, y) => y.percent - x.percent || x.version - y.version)
      .map((r) => (a.routes.length > 1 ? `v${r.version}\u00a0${r.percent}\u00a0%` : `v${r.version}`))
      .join(' · ');
  const live = aliases.find((a) => a.alias === 'live');
  const latest = typeof j.latestVersion === 'number' && j.latestVersion > 0 ? `v${j.latestVersion}` : null;
  return {
    live: live && live.routes.length > 0 ? routes(live) : latest,
    others: aliases.filter((a) => a !== live && a.routes.length > 0).map((a) => `${a.alias} → ${routes(a)}`),
  };
}

/** Who saved it last and who published last, when known. */
function lastChanges(j: JourneySummary): { savedBy: string | null; published: string | null } {
  const savedBy = typeof j.updatedBy === 'string' && j.updatedBy ? j.updatedBy : null;
  const p = j.lastPublished as { version?: unknown; at?: unknown; by?: unknown } | undefined;
  const published =
    p && typeof p.version === 'number'
      ? `published v${p.version} ${updated(p.at)}${typeof p.by === 'string' && p.by ? ` by ${p.by}` : ''}`
      : null;
  return { savedBy, published };
}

const isArchived = (j: JourneySummary) => typeof j.archivedAt === 'string' && j.archivedAt !== '';

/** Name, id and description hold every word of the search (case-insensitive). */
function matches(j: JourneySummary, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${j.name} ${j.id} ${typeof j.description === 'string' ? j.description : ''}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

/** The journeys: unsaved work in this browser first, then a table of those on the server (search, archive, traffic). */
export function JourneyList() {
  const [journeys, setJourneys] = useState<JourneySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const [local] = useState(localDrafts);
  const traffic = useJourneyTraffic();
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
  const archive = (j: JourneySummary, archived: boolean) => {
    setError(null);
    api.setArchived(j.id, archived).then(
      (changed) => setJourneys((all) => all?.map((one) => (one.id === j.id ? changed : one)) ?? null),
      (e: Error) => setError(`Could not ${archived ? 'archive' : 'restore'} ${j.name}: ${e.message}`),
    );
  };
  const archivedCount = journeys?.filter(isArchived).length ?? 0;
  const shown = useMemo(
    () => journeys?.filter((j) => isArchived(j) === showArchived && matches(j, search)) ?? [],
    [journeys, showArchived, search],
  );
  return (
    <main className="page journeys-page">
      <header className="page-head">
        <h1>Baton · Journeys</h1>
        <nav aria-label="Pages">
          <a href="#/inbox">Agents' inbox</a> · <a href="#/kb">Knowledge base</a> · <a href="#/dashboard">Measures</a>
        </nav>
      </header>
      <div className="journey-tools">
        <button type="button" className="primary" onClick={create}>
          New journey
        </button>
        <input
          type="search"
          className="journey-search"
          aria-label="Search journeys"
          placeholder="Search by name, id or description"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="journey-archived-toggle">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
          Archived ({archivedCount})
        </label>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!journeys && !error && <p className="muted">Loading…</p>}
      {journeys && journeys.length === 0 && <p className="muted">No journeys yet.</p>}
      {local.length > 0 && !showArchived && (
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
      {journeys && journeys.length > 0 && shown.length === 0 && (
        <p className="muted" data-testid="journey-none">
          {search ? `No ${showArchived ? 'archived ' : ''}journey matches “${search}”.` : 'No archived journeys.'}
        </p>
      )}
      {shown.length > 0 && (
        <table className="journey-table" data-testid="journey-table">
          <thead>
            <tr>
              <th scope="col">Journey</th>
              <th scope="col">Live version</th>
              <th scope="col" className="num">
                Conversations, last {trafficDays} days
              </th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((j) => (
              <tr key={j.id} data-journey={j.id}>
                <td>
                  <a href={`#/journeys/${encodeURIComponent(j.id)}`}>{j.name}</a>
                  <div className="muted">
                    <code>{j.id}</code>
                    {typeof j.description === 'string' && j.description ? ` · ${j.description}` : ''}
                  </div>
                </td>
                <td data-testid="journey-live">
                  {liveTraffic(j).live ?? <span className="muted">not published</span>}
                  {liveTraffic(j).others.map((other) => (
                    <div key={other} className="muted">
                      {other}
                    </div>
                  ))}
                </td>
                <td className="num" data-testid="journey-traffic">
                  {traffic ? (traffic.get(j.id) ?? 0).toLocaleString() : '—'}
                </td>
                <td className="nowrap" data-testid="journey-updated">
                  {updated(j.updatedAt)}
                  {lastChanges(j).savedBy && ` by ${lastChanges(j).savedBy}`}
                  {lastChanges(j).published && <div className="muted">{lastChanges(j).published}</div>}
                  {isArchived(j) && (
                    <div className="muted" data-testid="journey-archived">
                      archived {updated(j.archivedAt)}
                      {typeof j.archivedBy === 'string' && j.archivedBy ? ` by ${j.archivedBy}` : ''}
                    </div>
                  )}
                </td>
                <td className="journey-actions">
                  <button
                    type="button"
                    onClick={() => archive(j, !isArchived(j))}
                    aria-label={`${isArchived(j) ? 'Restore' : 'Archive'} ${j.name}`}
                  >
                    {isArchived(j) ? 'Restore' : 'Archive'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
