/** Liveness and readiness, for the orchestrator and the load balancer. */
import express, { type Router } from 'express';
import type { Store } from '@baton/store';
import type { Conversations } from '../../client';
import { HttpProblem } from '../problem';
import { register, route } from './route';

export type Checks = Record<string, { ok: boolean; detail?: string }>;

const tag = 'health';
export const healthTable = {
  health: route({
    method: 'get',
    path: '/api/health',
    audience: ['public'],
    tag,
    summary: 'The checks of the dependencies; 503 when one fails',
    statuses: [200, 503],
  }),
  ready: route({
    method: 'get',
    path: '/api/ready',
    audience: ['public'],
    tag,
    summary: 'Whether the API can serve (MongoDB and Temporal answer); 503 problem otherwise',
  }),
};

/** A dependency's readiness from one call to it: ok when it answers, else why not. */
export async function callReadiness(call: Promise<unknown>): Promise<{ ok: boolean; detail?: string }> {
  try {
    await call;
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: String(error) };
  }
}

/** The store's readiness: a ping, and which server answered it (or why it did not). */
export async function storeReadiness(store: Store): Promise<{ ok: boolean; detail: string }> {
  try {
    return { ok: (await store.ping()) === true, detail: store.server.description };
  } catch (error) {
    return { ok: false, detail: String(error) };
  }
}

export interface HealthRoutesOptions {
  store: Store;
  conversations: Conversations;
  health?: () => Promise<Checks>;
  ready?: () => Promise<Checks>;
}

export function healthRoutes(options: HealthRoutesOptions): Router {
  const router: Router = express.Router();

  register(router, healthTable.health, async (_req, res) => {
    const checks = options.health ? await options.health() : {};
    const ok = Object.values(checks).every((check) => check.ok);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks });
  });

  register(router, healthTable.ready, async (_req, res) => {
    const checks = await (options.ready ?? options.health ?? defaultReadiness)();
    const failing = Object.entries(checks).filter(([, check]) => !check.ok);
    if (failing.length > 0)
      throw new HttpProblem(
        503,
        'Not ready',
        failing.map(([name, check]) => `${name}: ${check.detail ?? 'failing'}`).join('; '),
      );
    res.json({ status: 'ready', checks });
  });

  return router;

  async function defaultReadiness(): Promise<Checks> {
    const [mongodb, temporal] = await Promise.all([
      storeReadiness(options.store),
      callReadiness(options.conversations.client.workflowService.getSystemInfo({})),
    ]);
    return { mongodb, temporal };
  }
}
