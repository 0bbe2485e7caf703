/**
 * The measures of the brief, served from the read models (the read side; nothing here writes):
 * `read_days` (conversations, per journey version and UTC start day, written by the projection) and
 * `read_measures` (tickets by opening day, survey answers and agents' verdicts by the day given) and
 * `read_failed` (the tickets that may be failed handoffs), read-model-measures.ts. A report reads
 * the figures of the days of its period (one document per journey version and day) and sums them in
 * process, so its cost grows with journey versions × days, not with the conversations stored.
 *
 * Period: whole UTC days: `from` is taken back to its midnight, `to` forward to the next one (the
 * report's `period` says which). Handle-time percentiles come from buckets of ×1.01 (within 0.5 % of
 * the exact nearest-rank value); every count, rate and mean is exact. docs/performance.md "## Scaling".
 */
import type {
  ScoreSummary,
  Measures,
  FailureReason,
  FailedHandoff,
  JourneyMetrics,
  MetricsReport,
} from '@baton/schemas';
import type { Document } from 'mongodb';
import type { Store } from './store';
import { collections } from './collections';
import { readModelCollections } from './read-model-shapes';
import {
  bucketValueMs,
  dayOf,
  measureCollections,
  num,
  obj,
  scoreOfKey,
  str,
  type FailedRow,
} from './read-model-measures';
import type { MetricsQuery } from './metrics-rows';
import { trendOf, type TrendDay } from './metrics-trend';

export { confirmationHandles } from './read-model-measures';
export { intentCorrectionsCollection, ticketFeedbackCollection, type MetricsQuery } from './metrics-rows';

// The report's shape is a contract shared with the dashboard: @baton/schemas (metrics.ts).
export type {
  ScoreSummary,
  DurationSummary,
  Measures,
  FailureReason,
  FailedHandoff,
  VersionMetrics,
  JourneyMetrics,
  MetricsReport,
  Trend,
  TrendPoint,
} from '@baton/schemas';

const dayMs = 86_400_000;

/** A journey version's (or a sum's) figures, flat: `started`, `answers.unsure`, `t.ht.b.812`, `s.csat.5` … */
type Figures = Map<string, number>;

const identity = new Set(['_id', 'journeyId', 'version', 'month']);

function flatten(doc: Record<string, unknown>, into: Figures, prefix = ''): void {
  for (const [key, value] of Object.entries(doc)) {
    if (!prefix && identity.has(key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'number') into.set(path, (into.get(path) ?? 0) + value);
    else if (value && typeof value === 'object' && !Array.isArray(value))
      flatten(value as Record<string, unknown>, into, path);
  }
}

function addInto(total: Figures, more: Figures): void {
  for (const [key, n] of more) total.set(key, (total.get(key) ?? 0) + n);
}

const get = (figures: Figures, key: string): number => figures.get(key) ?? 0;

/** The figures under `prefix.` (their last part and count), zeros left out. */
function under(figures: Figures, prefix: string): [string, number][] {
  const out: [string, number][] = [];
  for (const [key, n] of figures)
    if (n !== 0 && key.startsWith(`${prefix}.`)) out.push([key.slice(prefix.length + 1), n]);
  return out;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? round(part / whole, 4) : null);

function scores(figures: Figures, prefix: string, scale: readonly number[]): ScoreSummary {
  const distribution: Record<string, number> = {};
  for (const point of scale) distribution[String(point)] = 0;
  let count = 0;
  let sum = 0;
  for (const [key, n] of under(figures, prefix)) {
    const value = scoreOfKey(key);
    distribution[String(value)] = (distribution[String(value)] ?? 0) + n;
    count += n;
    sum += value * n;
  }
  return { count, mean: count ? round(sum / count, 3) : null, distribution };
}

/** Nearest-rank percentile over the handle-time buckets: the value the bucket holding that rank stands for. */
function percentile(buckets: readonly [number, number][], count: number, p: number): number | null {
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * count));
  let seen = 0;
  for (const [ms, n] of buckets) {
    seen += n;
    if (seen >= rank) return ms / 1000;
  }
  return (buckets[buckets.length - 1]?.[0] ?? 0) / 1000;
}

/** A reopen at most `windowMs` after the resolution before it (or at an unknown distance) makes it no resolution. */
const reopenedWithin = (delayMs: number | null, windowMs: number): boolean =>
  delayMs !== null && (delayMs < 0 || delayMs <= windowMs);

function measure(figures: Figures, query: MetricsQuery): Measures {
  const ended = get(figures, 'ended');
  const deflected = get(figures, 'resolvedByBot');
  const confirmed = get(figures, 'confirmed');
  const assumed = deflected - confirmed;
  const answers = { answered: 0, unsure: 0, confirmed: 0, assumed: 0, notResolved: 0 };
  answers.unsure = get(figures, 'answers.unsure');
  answers.confirmed = get(figures, 'answers.resolved');
  answers.assumed = get(figures, 'answers.answered');
  answers.notResolved = get(figures, 'answers.not_resolved');
  answers.answered = answers.confirmed + answers.assumed + answers.notResolved;
  const visits = answers.answered + answers.unsure;

  const handled = get(figures, 't.ht.n');
  const buckets = under(figures, 't.ht.b')
    .map(([key, n]): [number, number] => [bucketValueMs(key), n])
    .sort((a, b) => a[0] - b[0]);
  const tickets = get(figures, 't.n');
  const resolved = get(figures, 't.resolved');
  const reopened = under(figures, 't.rd')
    .filter(([key]) => key === 'u' || Number(key) <= query.reopenWindowMs)
    .reduce((sum, [, n]) => sum + n, 0);
  const summaryVerdicts = get(figures, 'v.n');
  const helpful = get(figures, 'v.helpful');
  return {
    conversations: {
      total: get(figures, 'started'),
      ended,
      inProgress: get(figures, 'started') - ended,
      escalated: get(figures, 'handedOff'),
      deflected: { confirmed, assumed, total: deflected },
      rates: {
        escalated: ratio(ended - deflected, ended),
        deflectedConfirmed: ratio(confirmed, ended),
        deflectedAssumed: ratio(assumed, ended),
      },
    },
    answers: {
      visits,
      ...answers,
      rates: {
        answered: ratio(answers.answered, visits),
        confirmed: ratio(answers.confirmed, answers.answered),
        assumed: ratio(answers.assumed, answers.answered),
        notResolved: ratio(answers.notResolved, answers.answered),
      },
    },
    ces: scores(figures, 's.ces', [1, 2, 3, 4, 5, 6, 7]),
    csat: scores(figures, 's.csat', [1, 2, 3, 4, 5]),
    handoffs: {
      tickets,
      claimed: get(figures, 't.claimed'),
      resolved,
      reopened,
      resolvedWithoutReopen: resolved - reopened,
      resolutionRate: ratio(resolved - reopened, tickets),
      handleTime: {
        count: handled,
        p50Seconds: percentile(buckets, handled, 50),
        p90Seconds: percentile(buckets, handled, 90),
        meanSeconds: handled ? round(get(figures, 't.ht.ms') / 1000 / handled, 3) : null,
      },
    },
    agents: {
      summaryVerdicts,
      summaryHelpful: helpful,
      helpfulRate: ratio(helpful, summaryVerdicts),
      pulse: scores(figures, 'v.p', [1, 2, 3, 4, 5]),
    },
  };
}

/** The failed handoffs of the period, newest first; each ticket's display fields read by `_id` (at most `failedLimit`). */
async function failuresOf(store: Store, rows: readonly FailedRow[], query: MetricsQuery): Promise<FailedHandoff[]> {
  const listed = rows
    .map((row) => {
      const reasons: FailureReason[] = [];
      if (row.misrouted) reasons.push('misrouted');
      if (row.rerouted) reasons.push('rerouted');
      if (row.unhelpful) reasons.push('summary_unhelpful');
      if (reopenedWithin(row.reopenDelayMs, query.reopenWindowMs)) reasons.push('reopened');
      return { row, reasons };
    })
    .filter(({ reasons }) => reasons.length > 0)
    .sort((a, b) => b.row.openedAt - a.row.openedAt || a.row._id.localeCompare(b.row._id))
    .slice(0, query.failedLimit ?? 200);
  const tickets = store.collection<{ _id: string }>(collections.tickets);
  const found = await Promise.all(
    listed.map(({ row }) =>
      tickets.findOne({ _id: row._id }, { projection: { queue: 1, assignee: 1, resolvedAt: 1, feedback: 1 } }),
    ),
  );
  const out: FailedHandoff[] = [];
  listed.forEach(({ row, reasons }, index) => {
    // An erased ticket is no longer listed (its figures stay in the sums).
    const ticket = found[index] as Document | null | undefined;
    if (!ticket) return;
    const assignee = obj(ticket.assignee);
    const comment = obj(ticket.feedback).comment;
    out.push({
      ticketId: row._id,
      conversationId: row.conversationId,
      journeyId: row.journeyId,
      version: row.version,
      queue: str(ticket.queue) ?? '',
      assignee: str(assignee.name) ?? str(assignee.id),
      reasons,
      openedAt: row.openedAt,
      resolvedAt: num(ticket.resolvedAt),
      ...(row.correctedIntent && { correctedIntent: row.correctedIntent }),
      ...(typeof comment === 'string' && { comment }),
    });
  });
  return out;
}

/** At most this many figure documents are read by `_id`; a longer period (or many versions) reads them by a filter. */
const maxLookups = 200;

/**
 * The month documents (`read_days`, `read_measures`) of the wanted journey versions that the period
 * touches: by `_id`, one lookup each (FerretDB decodes a whole collection for any other filter, so the
 * cost follows the period, not the months kept), or by a filter on `month` beyond `maxLookups`. The
 * versions are those of `read_overlay` (one document per version any conversation was projected on).
 */
async function periodFigures(
  store: Store,
  wanted: (doc: Document) => boolean,
  fromDay: string,
  toDay: string,
): Promise<Document[]> {
  const names = [readModelCollections.days, measureCollections.measures];
  const versions = (
    await store
      .collection(readModelCollections.overlay)
      .find({}, { projection: { journeyId: 1, version: 1 } })
      .toArray()
  ).filter(wanted);
  const months: string[] = [];
  const last = dayOf(Date.parse(`${toDay}T00:00:00.000Z`) - dayMs).slice(0, 7);
  for (let [year, month] = fromDay.split('-').map(Number) as [number, number]; ; month += 1) {
    if (month > 12) [year, month] = [year + 1, 1];
    const key = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
    months.push(key);
    if (key >= last || months.length * versions.length * names.length > maxLookups) break;
  }
  if (months.length * versions.length * names.length > maxLookups) {
    const inPeriod = { month: { $gte: fromDay.slice(0, 7), $lte: last } };
    const found = await Promise.all(names.map((name) => store.collection(name).find(inPeriod).toArray()));
    return found.flat().filter(wanted);
  }
  const ids = versions.flatMap((v) => months.map((month) => `${String(v.journeyId)}@${String(v.version)}@${month}`));
  const found = await Promise.all(
    names.flatMap((name) => ids.map((id) => store.collection<{ _id: string }>(name).findOne({ _id: id }))),
  );
  return found.filter((doc): doc is NonNullable<typeof doc> => doc !== null);
}

/** Every measure, overall, per journey and per journey version, and the failed handoffs of the period. */
export async function computeMetrics(store: Store, query: MetricsQuery): Promise<MetricsReport> {
  const from = Math.floor(query.from / dayMs) * dayMs;
  const to = Math.max(from + dayMs, Math.ceil(query.to / dayMs) * dayMs);
  const fromDay = dayOf(from);
  const toDay = dayOf(to);
  const wanted = (doc: Document) =>
    (query.journeyId === undefined || doc.journeyId === query.journeyId) &&
    (query.version === undefined || doc.version === query.version);
  const [monthDocs, failedRows] = await Promise.all([
    periodFigures(store, wanted, fromDay, toDay),
    store
      .collection(measureCollections.failed)
      .find({ day: { $gte: fromDay, $lt: toDay } })
      .toArray(),
  ]);

  const byVersion = new Map<string, Map<number, Figures>>();
  const overall: Figures = new Map();
  const trendDays: TrendDay[] = [];
  // A month's document holds each day's figures under `d<dd>`: the days of the period are summed.
  for (const doc of monthDocs) {
    for (const [key, value] of Object.entries(doc)) {
      if (!/^d\d\d$/.test(key) || !value || typeof value !== 'object') continue;
      const day = `${String(doc.month)}-${key.slice(1)}`;
      if (day < fromDay || day >= toDay) continue;
      const figures: Figures = new Map();
      flatten(value as Record<string, unknown>, figures);
      addInto(overall, figures);
      const csat = under(figures, 's.csat').map(([score, n]) => [scoreOfKey(score), n] as const);
      trendDays.push({
        day: Date.parse(`${day}T00:00:00.000Z`),
        conversations: get(figures, 'started'),
        resolvedByBot: get(figures, 'resolvedByBot'),
        handedOff: get(figures, 'handedOff'),
        csatCount: csat.reduce((sum, [, n]) => sum + n, 0),
        csatSum: csat.reduce((sum, [score, n]) => sum + score * n, 0),
      });
      const journeyId = str(doc.journeyId) ?? '';
      const seen = get(figures, 'started') + get(figures, 't.n') + get(figures, 's.rows') + get(figures, 'v.rows');
      if (!journeyId || seen === 0) continue;
      const versions = byVersion.get(journeyId) ?? new Map<number, Figures>();
      byVersion.set(journeyId, versions);
      const version = num(doc.version) ?? 0;
      const total = versions.get(version) ?? new Map<string, number>();
      versions.set(version, total);
      addInto(total, figures);
    }
  }

  const journeys: JourneyMetrics[] = [...byVersion.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([journeyId, versions]) => {
      const all: Figures = new Map();
      for (const figures of versions.values()) addInto(all, figures);
      return {
        journeyId,
        measures: measure(all, query),
        versions: [...versions.entries()]
          .sort(([a], [b]) => a - b)
          .map(([version, figures]) => ({ version, measures: measure(figures, query) })),
      };
    });

  return {
    period: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    reopenWindowHours: round(query.reopenWindowMs / 3_600_000, 3),
    filter: {
      ...(query.journeyId !== undefined && { journeyId: query.journeyId }),
      ...(query.version !== undefined && { version: query.version }),
    },
    overall: measure(overall, query),
    journeys,
    failedHandoffs: await failuresOf(store, (failedRows ?? []).filter(wanted) as unknown as FailedRow[], query),
    trend: trendOf(trendDays, { from, to }),
  };
}
