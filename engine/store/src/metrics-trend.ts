/**
 * The trend of the dashboard: per UTC day (or Monday-started week for long periods) the conversations
 * started, resolved by the bot, handed off, and the CSAT answers given, summed from the per-day
 * figures the report reads (read models: a day's conversations by their start, answers by the day given).
 */
import type { Trend, TrendPoint } from '@baton/schemas';

/** One UTC day's figures of the trend (from `read_days` and `read_measures`). */
export interface TrendDay {
  /** Midnight UTC, epoch ms. */
  day: number;
  conversations: number;
  resolvedByBot: number;
  handedOff: number;
  csatCount: number;
  csatSum: number;
}

const dayMs = 86_400_000;
/** Longer periods are drawn per week: more than a month of daily points is unreadable in a small chart. */
export const dailyTrendMaxDays = 31;
/** Weeks drawn at most (over two years): any period the API accepts stays a bounded answer. */
export const trendMaxPoints = 120;

/** Midnight UTC of the day (or of the week's Monday) that holds `ms`. */
export function bucketStart(ms: number, bucket: Trend['bucket']): number {
  const day = Math.floor(ms / dayMs) * dayMs;
  if (bucket === 'day') return day;
  // 1970-01-01 was a Thursday: days since the last Monday.
  const weekday = (Math.floor(ms / dayMs) + 3) % 7;
  return day - weekday * dayMs;
}

export function trendOf(days: readonly TrendDay[], period: { from: number; to: number }): Trend {
  const bucket: Trend['bucket'] = period.to - period.from > dailyTrendMaxDays * dayMs ? 'week' : 'day';
  const step = bucket === 'day' ? dayMs : 7 * dayMs;
  const points = new Map<number, TrendPoint & { csatSum: number }>();
  const first = Math.max(
    bucketStart(period.from, bucket),
    bucketStart(period.to - 1, bucket) - (trendMaxPoints - 1) * step,
  );
  for (let start = first; start < period.to; start += step)
    points.set(start, {
      start: new Date(start).toISOString(),
      conversations: 0,
      resolvedByBot: 0,
      handedOff: 0,
      csat: { count: 0, mean: null },
      csatSum: 0,
    });
  for (const figures of days) {
    const point = points.get(bucketStart(figures.day, bucket));
    if (!point) continue;
    point.conversations += figures.conversations;
    point.handedOff += figures.handedOff;
    point.resolvedByBot += figures.resolvedByBot;
    point.csat.count += figures.csatCount;
    point.csatSum += figures.csatSum;
  }
  return {
    bucket,
    ...(first > bucketStart(period.from, bucket) && { since: new Date(first).toISOString() }),
    points: [...points.values()].map(({ csatSum, ...point }) => ({
      ...point,
      csat: {
        count: point.csat.count,
        mean: point.csat.count ? Math.round((1000 * csatSum) / point.csat.count) / 1000 : null,
      },
    })),
  };
}
