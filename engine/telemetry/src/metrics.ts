/**
 * Prometheus metrics of the API (prom-client). Counters and histograms are fed by a request
 * middleware; the conversations by state and the handoffs are read from the store when Prometheus
 * scrapes, so every API process reports the same truth and nothing is kept in memory between scrapes.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestHandler } from 'express';
import type { Store } from '@baton/store';

export interface ApiMetrics {
  registry: Registry;
  /** Counts each request by route and status, times it, and times the bot's replies. */
  middleware: RequestHandler;
}

/** The route a request matched, as declared (`/api/conversations/:id/messages`), never the raw path with ids. */
function routeLabel(req: Parameters<RequestHandler>[0]): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return req.originalUrl.startsWith('/api') ? 'unmatched' : 'static';
}

const replyRoute = '/api/conversations/:id/messages';

export function createApiMetrics(store: Store, options: { defaultMetrics?: boolean } = {}): ApiMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'baton_api_' });

  const requests = new Counter({
    name: 'baton_http_requests_total',
    help: 'HTTP requests answered by the API, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'baton_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const replyLatency = new Histogram({
    name: 'baton_reply_latency_seconds',
    help: "Time from a customer's message reaching the API to the bot's answer (POST /api/conversations/:id/messages, 2xx)",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });

  const conversations = new Gauge({
    name: 'baton_conversations',
    help: 'Conversations by state, from the counters the projection keeps (no scan at scrape time)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const counter of await store.readModels.counters())
        if (counter._id.startsWith('c:'))
          this.set({ state: counter._id.slice(2) }, Math.max(0, Number(counter.n) || 0));
    },
  });
  const handoffs = new Gauge({
    name: 'baton_handoffs',
    help: "Handoffs to a human by status (pending, open, resolved): each conversation's latest ticket, from the projection's counters",
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const counter of await store.readModels.counters()) {
        const status = counter._id.slice(2);
        if (counter._id.startsWith('s:') && ['pending', 'open', 'resolved'].includes(status))
          this.set({ status }, Math.max(0, Number(counter.n) || 0));
      }
    },
  });
  void conversations;
  void handoffs;

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req);
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ method: req.method, route }, seconds);
      if (route === replyRoute && req.method === 'POST' && res.statusCode < 300) replyLatency.observe(seconds);
    });
    next();
  };
  return { registry, middleware };
}
