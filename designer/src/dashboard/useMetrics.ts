import { useEffect, useState } from 'react';
import { api, call, type JourneySummary } from '../api';
import { periodOf, query, type Preset } from './period';
import type { MetricsReport } from './types';

/** A journey the filter offers: every journey by name, with or without traffic in the period. */
export interface JourneyOption {
  id: string;
  name: string;
  versions: number[];
}

/** The journeys by name (GET /api/journeys) merged with those the period holds (a deleted one keeps its id). */
export function journeyOptions(
  journeys: readonly JourneySummary[],
  traffic: MetricsReport['journeys'],
): JourneyOption[] {
  const byId = new Map<string, JourneyOption>();
  for (const j of journeys) {
    const latest = typeof j.latestVersion === 'number' ? j.latestVersion : 0;
    byId.set(j.id, { id: j.id, name: j.name || j.id, versions: Array.from({ length: latest }, (_, i) => i + 1) });
  }
  for (const j of traffic) {
    const option = byId.get(j.journeyId) ?? { id: j.journeyId, name: j.journeyId, versions: [] };
    option.versions = [...new Set([...option.versions, ...j.versions.map((v) => v.version)])].sort((a, b) => a - b);
    byId.set(j.journeyId, option);
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export interface MetricsQuery {
  preset: Preset;
  customFrom: string;
  customTo: string;
  journeyId: string;
  version: string;
  windowHours: number;
}

/**
 * GET /metrics for the chosen period, journey and version; `options` are every journey by name, with
 * the versions published or seen in the period whatever is selected. `refresh` asks again.
 */
export function useMetrics({ preset, customFrom, customTo, journeyId, version, windowHours }: MetricsQuery): {
  report: MetricsReport | null;
  options: JourneyOption[];
  error: string | null;
  loading: boolean;
  refresh: () => void;
} {
  const [report, setReport] = useState<MetricsReport | null>(null);
  const [options, setOptions] = useState<MetricsReport['journeys']>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const [journeys, setJourneys] = useState<JourneySummary[]>([]);

  useEffect(() => {
    let cancelled = false;
    // Agents may not list journeys: the filter then names the journeys with traffic by id.
    api.listJourneys().then(
      (list) => !cancelled && setJourneys(list),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [refresh]);

  useEffect(() => {
    const period = periodOf(preset, customFrom, customTo, Date.now());
    if (typeof period === 'string') {
      setError(period);
      return;
    }
    let cancelled = false;
    setLoading(true);
    setError(null);
    const base = { from: period.from, to: period.to, reopenWindowHours: windowHours };
    const filtered = call<MetricsReport>(
      'GET',
      `/metrics?${query({ ...base, journeyId: journeyId || undefined, version: journeyId && version ? version : undefined })}`,
    );
    // The choices of journey and version are what the period holds, whatever is selected.
    const all = journeyId ? call<MetricsReport>('GET', `/metrics?${query(base)}`) : filtered;
    Promise.all([filtered, all]).then(
      ([shown, everything]) => {
        if (cancelled) return;
        setReport(shown);
        setOptions(everything.journeys);
        setLoading(false);
      },
      (e: Error) => {
        if (cancelled) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [preset, customFrom, customTo, journeyId, version, windowHours, refresh]);

  return {
    report,
    options: journeyOptions(journeys, options),
    error,
    loading,
    refresh: () => setRefresh((n) => n + 1),
  };
}
