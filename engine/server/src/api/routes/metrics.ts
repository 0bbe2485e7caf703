import express, { type Router } from 'express';
import { z } from 'zod';
import { Id } from '@baton/schemas';
import { computeMetrics } from '@baton/store';
import type { Store } from '@baton/store';
import { HttpProblem, parseOrThrow } from '../problem';
import { register, route } from './route';

const dayMs = 86_400_000;
const hourMs = 3_600_000;

/** An instant as an ISO 8601 date (`2026-11-01`, `2026-11-01T08:00:00Z`) or epoch milliseconds. */
const Instant = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .transform((value, ctx) => {
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 date or epoch milliseconds' });
      return z.NEVER;
    }
    return ms;
  });

const MetricsQueryFields = z.object({
  journeyId: Id.optional(),
  version: z.coerce
    .number()
    .int('must be a whole number')
    .positive('must be a published version (1 or more)')
    .optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  reopenWindowHours: z.coerce
    .number()
    .positive('must be more than 0')
    .max(24 * 366, 'must be at most a year (8784 hours)')
    .default(72),
  failedLimit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const MetricsQuery = MetricsQueryFields.superRefine((query, ctx) => {
  if (query.version !== undefined && query.journeyId === undefined)
    ctx.addIssue({ code: 'custom', path: ['version'], message: 'needs journeyId (versions are per journey)' });
  if (query.from !== undefined && query.to !== undefined && query.from >= query.to)
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
});

export const metricsTable = {
  metrics: route({
    method: 'get',
    path: '/api/metrics',
    audience: ['admin', 'designer', 'agent'],
    tag: 'metrics',
    summary: 'The measures overall, per journey and per version, and the failed handoffs, over [from, to)',
    query: MetricsQuery,
  }),
};

/** A journey version's conversations as a Temporal visibility query (docs/deploy.md#temporal-search-attributes). */
export function versionQuery(journeyId: string, version: number): string {
  return `BatonJourneyId = ${JSON.stringify(journeyId)} AND BatonJourneyVersion = ${version}`;
}

/**
 * `GET /api/metrics?journeyId=&version=&from=&to=&reopenWindowHours=` → the measures overall, per
 * journey and per journey version, and the failed handoffs, over [from, to) (default: the last 30 days),
 * widened to whole UTC days (the report's figures are kept per day in the read models: engine/store
 * metrics.ts; the answer's `period` says which days).
 * For the staff: designers and admins read it on the dashboard, agents for the weekly review.
 */
export function metricsRoutes(options: {
  store: Store;
  now?: () => number;
  /** Each failed handoff links to its conversation's workflow in the Temporal UI, when one runs. */
  temporalUiUrl?: (conversationId: string) => string | undefined;
  /** Each journey version links to its conversations in the Temporal UI (a query on Baton's search attributes). */
  temporalUiListUrl?: (query: string) => string | undefined;
}): Router {
  const router: Router = express.Router();
  register(router, metricsTable.metrics, async (req, res) => {
    const unknown = Object.keys(req.query).filter((key) => !(key in MetricsQueryFields.shape));
    if (unknown.length > 0) {
      throw new HttpProblem(
        400,
        'Invalid request query',
        `/${unknown[0]}: unknown parameter (known: ${Object.keys(MetricsQueryFields.shape).join(', ')})`,
        unknown.map((key) => ({ path: `/${key}`, message: 'unknown parameter' })),
      );
    }
    const query = parseOrThrow(MetricsQuery, req.query, 'query');
    const to = query.to ?? (options.now ?? Date.now)();
    const from = query.from ?? to - 30 * dayMs;
    // Only one end given, and it lies beyond the other (default) end.
    if (from >= to)
      throw new HttpProblem(400, 'Invalid request query', `/from: must be before to (${new Date(to).toISOString()})`, [
        { path: '/from', message: 'must be before to' },
      ]);
    const report = await computeMetrics(options.store, {
      ...(query.journeyId !== undefined && { journeyId: query.journeyId }),
      ...(query.version !== undefined && { version: query.version }),
      from,
      to,
      reopenWindowMs: query.reopenWindowHours * hourMs,
      failedLimit: query.failedLimit,
    });
    const correctionsToLearn = await options.store.triageModels.pendingCorrections();
    const link = options.temporalUiUrl;
    const failedHandoffs = link
      ? report.failedHandoffs.map((row) => ({ ...row, temporalUrl: link(row.conversationId) }))
      : report.failedHandoffs;
    const list = options.temporalUiListUrl;
    const journeys = list
      ? report.journeys.map((journey) => ({
          ...journey,
          versions: journey.versions.map((version) => ({
            ...version,
            temporalUrl: list(versionQuery(journey.journeyId, version.version)),
          })),
        }))
      : report.journeys;
    res.set('cache-control', 'no-store').json({ ...report, journeys, failedHandoffs, correctionsToLearn });
  });
  return router;
}
