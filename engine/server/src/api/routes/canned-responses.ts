/** Canned responses for the inbox's reply box: admins write them, agents read them. */
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Store } from '@baton/store';
import { identityOf } from '../access';
import { HttpProblem, parseOrThrow } from '../problem';
import { register, route } from './route';
import { idParam } from './shared';

const CannedBody = z
  .object({
    title: z.string().trim().min(1, 'must not be empty').max(120),
    /** `{{customer.name}}`, `{{customer.firstName}}`, `{{customer.email}}`, `{{agent.name}}` are filled in by the inbox. */
    text: z.string().trim().min(1, 'must not be empty').max(4000),
  })
  .strict();

const tag = 'canned responses';
export const cannedResponsesTable = {
  list: route({
    method: 'get',
    path: '/api/canned-responses',
    audience: ['agent', 'admin'],
    tag,
    summary: 'List the canned responses (by title)',
  }),
  put: route({
    method: 'put',
    path: '/api/canned-responses/:id',
    audience: ['admin'],
    tag,
    summary: 'Create or replace a canned response',
    body: CannedBody,
    statuses: [200, 201],
  }),
  remove: route({
    method: 'delete',
    path: '/api/canned-responses/:id',
    audience: ['admin'],
    tag,
    summary: 'Delete a canned response',
    statuses: [204],
    produces: 'none',
  }),
};

export function cannedResponseRoutes(options: { store: Store }): Router {
  const { store } = options;
  const router: Router = express.Router();

  register(router, cannedResponsesTable.list, async (_req, res) => {
    res.json({ responses: await store.cannedResponses.list() });
  });

  register(router, cannedResponsesTable.put, async (req, res) => {
    const id = idParam(req, 'id', 'canned response id');
    const body = parseOrThrow(cannedResponsesTable.put.body, req.body);
    const identity = identityOf(res);
    const by = identity?.kind === 'user' ? identity.userId : undefined;
    const { response, created } = await store.cannedResponses.put({
      id,
      title: body.title,
      text: body.text,
      updatedAt: Date.now(),
      ...(by !== undefined && { updatedBy: by }),
    });
    res.status(created ? 201 : 200).json({ response });
  });

  register(router, cannedResponsesTable.remove, async (req, res) => {
    const id = idParam(req, 'id', 'canned response id');
    if (!(await store.cannedResponses.remove(id)))
      throw new HttpProblem(404, 'Canned response not found', `no canned response "${id}"`);
    res.status(204).end();
  });

  return router;
}
