/**
 * The trend of the dashboard: per UTC day (or Monday-started week for long periods) the conversations
 * started, resolved by the bot, handed off, and the CSAT answers given. Buckets are computed in
 * process from the rows the measures already read (FerretDB v1 has no $dateTrunc or $group by date).
 */
import type { Trend, TrendPoint } from '@baton/schemas';
import type { ConversationRow, SurveyRow } from './metrics-rows';

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

export function trendOf(
  conversations: readonly ConversationRow[],
  surveys: readonly SurveyRow[],
  period: { from: number; to: number },
): Trend {
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
  const at = (ms: number) => points.get(bucketStart(ms, bucket));
  for (const conversation of conversations) {
    const point = at(conversation.startedAt);
    if (!point) continue;
    point.conversations += 1;
    if (conversation.handoffs.length > 0) point.handedOff += 1;
    else if (conversation.status === 'ended') point.resolvedByBot += 1;
  }
  for (const survey of surveys) {
    const point = at(survey.at);
    if (!point || survey.csat === undefined) continue;
    point.csat.count += 1;
    point.csatSum += survey.csat;
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
