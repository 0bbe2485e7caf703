/**
 * The retention setting (issue 16): GET/PUT /api/settings/retention (global days and per-journey
 * overrides, null keeps forever; a change is audited with the old and new values) and
 * GET /api/settings/retention/preview, the dry run of what the next retention run would redact now
 * (per rule: count and the first ids); POST /api/settings/retention/run triggers the schedule now.
 * Admins only. The run itself is the Temporal Schedule `baton-retention` (retention-schedule.ts).
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { ScheduleNotFoundError } from '@temporalio/client';
import { retentionScheduleId } from '@baton/workflow/retention';
import { previewRetention, readRetentionSettings, saveRetentionSettings, type Store } from '@baton/store';
import { identityOf } from '../access';
import type { Conversations } from '../../client';
import type { Audit } from '../audit';
import { HttpProblem, parseOrThrow } from '../problem';
import { register, route } from './route';

const Days = z.number().int().min(1).max(36_500).nullable();
const JourneyKey = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][\w.-]*$/, 'a journey id: letters, digits, _ . -');

export const RetentionSettingsBody = z
  .object({
    /** Days an ended conversation keeps its details; null keeps them forever. */
    defaultDays: Days,
    /** Per-journey overrides (days, or null to keep that journey's forever). */
    journeys: z.record(JourneyKey, Days).default({}),
  })
  .strict();

const PreviewQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }).strict();

export const retentionTable = {
  get: route({
    method: 'get',
    path: '/api/settings/retention',
    audience: ['admin'],
    tag: 'settings',
    summary: 'The retention of ended conversations: global days and per-journey overrides (null keeps forever)',
  }),
  put: route({
    method: 'put',
    path: '/api/settings/retention',
    audience: ['admin'],
    tag: 'settings',
    summary: 'Sets the retention of ended conversations (audited)',
    body: RetentionSettingsBody,
  }),
  preview: route({
    method: 'get',
    path: '/api/settings/retention/preview',
    audience: ['admin'],
    tag: 'settings',
    summary: 'Dry run: what a retention run would redact now, per rule (count and the first ids)',
    query: PreviewQuery,
  }),
  run: route({
    method: 'post',
    path: '/api/settings/retention/run',
    audience: ['admin'],
    tag: 'settings',
    summary: 'Triggers the schedule baton-retention now (a run already going makes this one skip); 202',
    statuses: [202],
  }),
};

export function retentionRoutes({
  store,
  audit,
  conversations,
}: {
  store: Store;
  audit: Audit;
  conversations: Conversations;
}): Router {
  const router: Router = express.Router();
  const db = store.collection('conversations').db as Parameters<typeof readRetentionSettings>[0];

  register(router, retentionTable.get, async (_req, res) => {
    res.json(await readRetentionSettings(db));
  });

  register(router, retentionTable.put, async (req, res) => {
    const body = parseOrThrow(RetentionSettingsBody, req.body ?? {}, 'body');
    const before = await readRetentionSettings(db);
    const identity = identityOf(res);
    const by = identity?.kind === 'user' ? (identity.via === 'apiKey' ? identity.userId : identity.email) : 'open';
    const saved = await saveRetentionSettings(db, body, by);
    await audit.record(res, {
      action: 'retention.update',
      subject: 'retention',
      details: {
        defaultDaysBefore: before.defaultDays,
        defaultDays: body.defaultDays,
        journeysBefore: JSON.stringify(before.journeys),
        journeys: JSON.stringify(body.journeys),
      },
    });
    res.json(saved);
  });

  register(router, retentionTable.preview, async (req, res) => {
    const query = parseOrThrow(PreviewQuery, req.query, 'query');
    const settings = await readRetentionSettings(db);
    res.json({ at: new Date().toISOString(), ...(await previewRetention(db, settings, Date.now(), query.limit)) });
  });
  register(router, retentionTable.run, async (_req, res) => {
    const handle = conversations.client.schedule.getHandle(retentionScheduleId);
    try {
      await handle.trigger();
    } catch (error) {
      if (error instanceof ScheduleNotFoundError)
        throw new HttpProblem(404, 'Schedule not found', `the schedule "${retentionScheduleId}" does not exist`);
      throw error;
    }
    res.status(202).json({ scheduleId: retentionScheduleId, triggered: true });
  });
  return router;
}
