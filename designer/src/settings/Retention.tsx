import { useCallback, useEffect, useState } from 'react';
import { call } from '../api';

/** The retention setting as the API answers it (GET/PUT /api/settings/retention). */
export interface RetentionSettings {
  defaultDays: number | null;
  journeys: Record<string, number | null>;
  updatedAt?: string | null;
  updatedBy?: string | null;
}

interface PreviewRule {
  journeyId: string | null;
  days: number;
  count: number;
  conversations: string[];
}

export const retentionApi = {
  get: () => call<RetentionSettings>('GET', '/settings/retention'),
  save: (settings: Pick<RetentionSettings, 'defaultDays' | 'journeys'>) =>
    call<RetentionSettings>('PUT', '/settings/retention', settings),
  preview: () => call<{ total: number; rules: PreviewRule[] }>('GET', '/settings/retention/preview?limit=20'),
  journeys: () => call<{ journeys: { id: string; name?: string }[] }>('GET', '/journeys'),
};

/** "" keeps forever; else whole days. */
const daysText = (days: number | null) => (days === null ? '' : String(days));
const daysOf = (text: string): number | null => (text.trim() === '' ? null : Number(text));

interface Row {
  journeyId: string;
  days: string;
}

/** The "Data retention" section: the global value, per-journey overrides, Save, and the dry run. */
export function Retention() {
  const [defaultDays, setDefaultDays] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [journeyIds, setJourneyIds] = useState<string[]>([]);
  const [saved, setSaved] = useState<RetentionSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ total: number; rules: PreviewRule[] } | null>(null);

  const show = useCallback((settings: RetentionSettings) => {
    setSaved(settings);
    setDefaultDays(daysText(settings.defaultDays));
    setRows(Object.entries(settings.journeys).map(([journeyId, days]) => ({ journeyId, days: daysText(days) })));
  }, []);
  useEffect(() => {
    retentionApi.get().then(show, (e: Error) => setError(e.message));
    retentionApi.journeys().then(
      (body) => setJourneyIds(body.journeys.map((journey) => journey.id)),
      () => setJourneyIds([]),
    );
  }, [show]);

  const save = async () => {
    setError(null);
    setNotice(null);
    try {
      const journeys = Object.fromEntries(
        rows.filter((row) => row.journeyId).map((r) => [r.journeyId, daysOf(r.days)]),
      );
      show(await retentionApi.save({ defaultDays: daysOf(defaultDays), journeys }));
      setNotice('Saved.');
      setPreview(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const dryRun = async () => {
    setError(null);
    try {
      setPreview(await retentionApi.preview());
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const setRow = (index: number, change: Partial<Row>) =>
    setRows((before) => before.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const unused = journeyIds.filter((id) => !rows.some((row) => row.journeyId === id));

  return (
    <section className="settings-section" aria-labelledby="retention-title">
      <h2 id="retention-title">Data retention</h2>
      <p className="muted">
        An ended conversation keeps its transcript, customer and ticket details this many days, then a daily run removes
        them; the dashboard&apos;s figures stay. Empty keeps them forever. Open conversations are never touched.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="retention-form">
        <label>
          Every journey (days)
          <input
            type="number"
            min={1}
            max={36500}
            inputMode="numeric"
            placeholder="keep forever"
            value={defaultDays}
            onChange={(e) => setDefaultDays(e.target.value)}
          />
        </label>
        {rows.length > 0 && (
          <table className="api-keys">
            <thead>
              <tr>
                <th scope="col">Journey</th>
                <th scope="col">Days (empty: keep forever)</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={index}>
                  <td>
                    <select
                      aria-label={`Journey of override ${index + 1}`}
                      value={row.journeyId}
                      onChange={(e) => setRow(index, { journeyId: e.target.value })}
                    >
                      {[row.journeyId, ...unused].filter(Boolean).map((id) => (
                        <option key={id} value={id}>
                          {id}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      type="number"
                      min={1}
                      max={36500}
                      aria-label={`Days for ${row.journeyId}`}
                      placeholder="keep forever"
                      value={row.days}
                      onChange={(e) => setRow(index, { days: e.target.value })}
                    />
                  </td>
                  <td className="actions">
                    <button type="button" onClick={() => setRows((before) => before.filter((_, i) => i !== index))}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="settings-actions">
          <button
            type="button"
            disabled={unused.length === 0}
            onClick={() => setRows((before) => [...before, { journeyId: unused[0] ?? '', days: '' }])}
          >
            Add a journey override
          </button>
          <button type="button" className="primary" onClick={() => void save()}>
            Save retention
          </button>
          <button type="button" onClick={() => void dryRun()}>
            Dry run of the next retention run
          </button>
          {notice && <span role="status">{notice}</span>}
        </div>
        {saved?.updatedAt && (
          <p className="muted">
            Last changed {saved.updatedAt.slice(0, 16).replace('T', ' ')} UTC by {saved.updatedBy ?? 'unknown'}.
          </p>
        )}
      </div>
      {preview && (
        <div className="retention-preview" data-testid="retention-preview">
          <p>
            A run now would remove the details of <strong>{preview.total}</strong> ended conversation
            {preview.total === 1 ? '' : 's'}.
          </p>
          <ul>
            {preview.rules.map((rule) => (
              <li key={rule.journeyId ?? '*'}>
                {rule.journeyId ?? 'every other journey'} ({rule.days} days): {rule.count}
                {rule.conversations.length > 0 && <code className="muted"> {rule.conversations.join(', ')}</code>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
