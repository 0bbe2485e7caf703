import express, { type Router } from 'express';
import type { Store } from '@baton/store';
import { createApiMetrics } from '@baton/telemetry';
import { HttpProblem } from '../problem';
import { register, route } from './route';

export const prometheusTable = {
  // The audience is `public` instead when BATON_METRICS_PUBLIC=1.
  scrape: route({
    method: 'get',
    path: '/metrics',
    audience: ['admin'],
    tag: 'metrics',
    summary: "The API's figures in Prometheus' text format",
    produces: 'text/plain',
  }),
};

export interface PrometheusRoutesOptions {
  store: Store;
  /** Anyone may scrape (BATON_METRICS_PUBLIC=1); otherwise an admin (Prometheus sends a bearer API key). */
  public?: boolean;
}

/**
 * `GET /metrics` in Prometheus' text format, and the middleware that counts every request: mount it
 * before the API's routes (and after the identity middleware, which the route's audience needs).
 */
export function prometheusRoutes(options: PrometheusRoutesOptions): Router {
  const metrics = createApiMetrics(options.store);
  const router = express.Router();
  router.use(metrics.middleware);
  const isPublic = options.public ?? process.env.BATON_METRICS_PUBLIC === '1';
  register(
    router,
    { ...prometheusTable.scrape, audience: isPublic ? ['public'] : prometheusTable.scrape.audience },
    async (_req, res) => {
      let body: string;
      try {
        body = await metrics.registry.metrics();
      } catch (error) {
        // The gauges read the store: while it is down, say so rather than serve half the figures.
        throw new HttpProblem(
          503,
          'Metrics unavailable',
          `could not read the store: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      res.type(metrics.registry.contentType).send(body);
    },
  );
  return router;
}
