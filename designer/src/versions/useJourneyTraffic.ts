import { useEffect, useState } from 'react';
import { call } from '../api';

/** The days the journey list counts conversations over. */
export const trafficDays = 7;

interface TrafficReport {
  journeys: { journeyId: string; measures: { conversations: { total: number } } }[];
}

/**
 * Conversations started per journey over the last seven days, from GET /api/metrics (the dashboard's
 * measures); a journey without any is absent (0). `null` while loading or when the measures cannot be read.
 */
export function useJourneyTraffic(): Map<string, number> | null {
  const [traffic, setTraffic] = useState<Map<string, number> | null>(null);
  useEffect(() => {
    const to = new Date();
    const from = new Date(to.getTime() - trafficDays * 24 * 60 * 60 * 1000);
    const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), failedLimit: '1' });
    call<TrafficReport>('GET', `/metrics?${query}`).then(
      (report) =>
        setTraffic(new Map(report.journeys.map((j) => [j.journeyId, j.measures.conversations.total] as const))),
      () => setTraffic(null),
    );
  }, []);
  return traffic;
}
