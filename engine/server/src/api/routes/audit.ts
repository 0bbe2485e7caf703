/** The audit trail of changes (publishes, aliases, migrations, users, API keys), for admins. */
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Audit } from '../audit';
import { parseOrThrow } from '../problem';
import { register, route } from './route';

const AuditQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export const auditTable = {
  list: route({
    method: 'get',
    path: '/api/audit',
    audience: ['admin'],
    tag: 'audit',
    summary: 'The latest changes, newest first',
    query: AuditQuery,
  }),
};

export function auditRoutes(audit: Audit): Router {
  const router = express.Router();
  register(router, auditTable.list, async (req, res) => {
    const { limit } = parseOrThrow(auditTable.list.query, req.query, 'query');
    res.json({ entries: await audit.list(limit) });
  });
  return router;
}
