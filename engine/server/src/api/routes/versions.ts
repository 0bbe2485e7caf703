/** Published versions of a journey, and aliases: named pointers at versions (one, or two with a canary split). */
import express, { type Request, type Router } from 'express';
import { AliasName, RollbackAliasBody, SetAliasBody } from '@baton/schemas';
import { AliasRollbackError, AliasRoutesError, AliasVersionNotFoundError, type Store } from '@baton/store';
import type { Audit } from '../audit';
import { HttpProblem, parseOrThrow } from '../problem';
import { register, route } from './route';
import { VersionParam, idParam } from './shared';

const tag = 'versions';
export const versionsTable = {
  list: route({
    method: 'get',
    path: '/api/journeys/:id/versions',
    audience: ['designer'],
    tag,
    summary: "The journey's published versions",
  }),
  get: route({
    method: 'get',
    path: '/api/journeys/:id/versions/:version',
    audience: ['designer'],
    tag,
    summary: 'One published version: its source and compiled form',
  }),
  aliases: route({
    method: 'get',
    path: '/api/journeys/:id/aliases',
    audience: ['designer'],
    tag,
    summary: "The journey's aliases",
  }),
  alias: route({
    method: 'get',
    path: '/api/journeys/:id/aliases/:alias',
    audience: ['designer'],
    tag,
    summary: 'One alias and its routes',
  }),
  setAlias: route({
    method: 'put',
    path: '/api/journeys/:id/aliases/:alias',
    audience: ['designer'],
    tag,
    summary: 'Point an alias at a version, or split it between two (201 when it is created)',
    body: SetAliasBody,
    statuses: [200, 201],
  }),
  rollback: route({
    method: 'post',
    path: '/api/journeys/:id/aliases/:alias/rollback',
    audience: ['designer'],
    tag,
    summary: 'Point an alias back where it pointed before its last change',
    body: RollbackAliasBody,
    bodyOptional: true,
  }),
  history: route({
    method: 'get',
    path: '/api/journeys/:id/aliases/:alias/history',
    audience: ['designer'],
    tag,
    summary: 'Every change of an alias, newest first',
  }),
};

export function versionRoutes(options: { store: Store; audit: Audit }): Router {
  const { store, audit } = options;
  const router: Router = express.Router();
  const aliasParam = (req: Request) => parseOrThrow(AliasName, req.params.alias, 'path parameter "alias"');

  register(router, versionsTable.list, async (req, res) => {
    res.json({ versions: await store.listVersions(idParam(req)) });
  });

  register(router, versionsTable.get, async (req, res) => {
    const version = parseOrThrow(VersionParam, req.params.version, 'path parameter "version"');
    const found = await store.getVersion(idParam(req), version);
    if (!found) throw new HttpProblem(404, 'Version not found', `no version ${version} of journey "${req.params.id}"`);
    res.json(found);
  });

  register(router, versionsTable.aliases, async (req, res) => {
    res.json({ aliases: await store.listAliases(idParam(req)) });
  });

  register(router, versionsTable.alias, async (req, res) => {
    const id = idParam(req);
    const alias = aliasParam(req);
    const found = await store.getAlias(id, alias);
    if (!found) throw new HttpProblem(404, 'Alias not found', `journey "${id}" has no alias "${alias}"`);
    res.json({ alias: found });
  });

  register(router, versionsTable.setAlias, async (req, res) => {
    const id = idParam(req);
    const alias = aliasParam(req);
    const body = parseOrThrow(versionsTable.setAlias.body, req.body);
    const routes = body.routes ?? (body.version !== undefined ? [{ version: body.version, percent: 100 }] : []);
    try {
      const result = await store.setAlias(id, alias, routes, body.author);
      await audit.record(res, {
        action: 'alias.set',
        journeyId: id,
        alias,
        versions: routes.map((route) => route.version),
        actor: body.author,
        details: { changed: result.changed, revision: result.alias.revision },
      });
      res.status(result.alias.revision === 1 && result.changed ? 201 : 200).json(result);
    } catch (error) {
      if (error instanceof AliasVersionNotFoundError) {
        const index = routes.findIndex((route) => route.version === error.version);
        const path = body.routes ? `/routes/${index}/version` : '/version';
        throw new HttpProblem(404, 'Version not found', `${path}: ${error.message}`, [
          { path, message: `version ${error.version} is not published` },
        ]);
      }
      if (error instanceof AliasRoutesError)
        throw new HttpProblem(400, 'Invalid request body', `/routes: ${error.message}`, [
          { path: '/routes', message: error.message },
        ]);
      throw error;
    }
  });

  register(router, versionsTable.rollback, async (req, res) => {
    const id = idParam(req);
    const alias = aliasParam(req);
    const { author } = parseOrThrow(versionsTable.rollback.body, req.body ?? {});
    try {
      const rolledBack = await store.rollbackAlias(id, alias, author);
      await audit.record(res, {
        action: 'alias.rollback',
        journeyId: id,
        alias,
        versions: rolledBack.alias.routes.map((route) => route.version),
        actor: author,
      });
      res.json(rolledBack);
    } catch (error) {
      if (error instanceof AliasRollbackError) throw new HttpProblem(409, 'Nothing to roll back', error.message);
      throw error;
    }
  });

  register(router, versionsTable.history, async (req, res) => {
    const id = idParam(req);
    const alias = aliasParam(req);
    const history = await store.aliasHistory(id, alias);
    if (history.length === 0) throw new HttpProblem(404, 'Alias not found', `journey "${id}" has no alias "${alias}"`);
    res.json({ history });
  });

  return router;
}
