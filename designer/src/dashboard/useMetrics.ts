import { useEffect, useState } from 'react';
import { call } from '../api';
import { periodOf, query, type Preset } from './period';
import type { MetricsReport } from './types';

export interface MetricsQuery {
  preset: Preset;
  customFrom: string;
  customTo: string;
  journeyId: string;
  version: string;
  windowHours: number;
}

/**
 * GET /metrics for the chosen period, journey and version; `options` are the journeys and versions the
 * period holds whatever is selected. `refresh` asks again.
 */
export function useMetrics({ preset, customFrom, customTo, journeyId, version, windowHours }: MetricsQuery): {
  report: MetricsReport | null;
  options: MetricsReport['journeys'];
  error: string | null;
  loading: boolean;
  refresh: () => void;
} {
  const [report, setReport] = useState<MetricsReport | null>(null);
  const [options, setOptions] = useState<MetricsReport['journeys']>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [refresh, setRefresh] = useState(0);

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

  return { report, options, error, loading, refresh: () => setRefresh((n) => n + 1) };
}
