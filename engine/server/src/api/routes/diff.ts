import express, { type Router } from 'express';
import { z } from 'zod';
import { Id } from '@baton/schemas';
import { diffJourneys, formatJourneyDiff } from '@baton/core/compiler';
import type { Store } from '@baton/store';
import { HttpProblem, parseOrThrow, type ProblemField } from '../problem';
import { register, route } from './route';

const VersionNumber = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'required: a published version number' : 'must be a single version number',
  })
  .regex(/^[1-9]\d{0,8}$/, 'must be a positive integer (a published version)')
  .transform(Number);

const DiffQuery = z.object({ from: VersionNumber, to: VersionNumber });

export const diffTable = {
  diff: route({
    method: 'get',
    path: '/api/journeys/:id/diff',
    audience: ['designer'],
    tag: 'versions',
    summary: "The semantic diff of two published versions' sources, structured and as text",
    query: DiffQuery,
  }),
};

/**
 * `GET /api/journeys/:id/diff?from=&to=`: the semantic diff (compiler/diff.ts) of two published
 * versions' sources, structured and as text. 400 names `/from` or `/to` when it is not a positive
 * integer; 404 names the version that is not published.
 */
export function diffRoutes(options: { store: Store }): Router {
  const { store } = options;
  const router: Router = express.Router();

  register(router, diffTable.diff, async (req, res) => {
    const id = parseOrThrow(Id, req.params.id, 'path parameter "id"');
    const { from, to } = parseOrThrow(DiffQuery, req.query, 'query');
    const [before, after] = await Promise.all([store.getVersion(id, from), store.getVersion(id, to)]);
    const missing: ProblemField[] = [];
    if (!before) missing.push({ path: '/from', message: `version ${from} of journey "${id}" is not published` });
    if (!after) missing.push({ path: '/to', message: `version ${to} of journey "${id}" is not published` });
    if (!before || !after) {
      const first = missing[0] as ProblemField;
      throw new HttpProblem(404, 'Version not found', `${first.path}: ${first.message}`, missing);
    }

    const diff = diffJourneys(before.source, after.source);
    res.json({
      journeyId: id,
      from: { version: before.version, hash: before.hash },
      to: { version: after.version, hash: after.hash },
      diff,
      text: formatJourneyDiff(diff, { a: `${id}@${from}`, b: `${id}@${to}` }),
    });
  });

  return router;
}
