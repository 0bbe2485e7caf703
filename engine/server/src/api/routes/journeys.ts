/** Journey drafts: list, create, read, save, validate, publish; and the activity catalog the designer's palette shows. */
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { Id, PublishBody, type ActivityManifest, type Journey } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import type { Store } from '@baton/store';
import { identityOf } from '../access';
import type { Audit } from '../audit';
import { HttpProblem, diagnosticsProblem, parseOrThrow } from '../problem';
import { register, route } from './route';
import { idParam } from './shared';
import { pinTriageModels } from './triage-models';

/** The signed-in user's name (or email), as the journey list says who changed a journey; undefined for an API key or open access. */
function signedIn(res: Response): string | undefined {
  const caller = identityOf(res);
  return caller?.kind === 'user' ? caller.name || caller.email : undefined;
}

/** A journey draft is saved even while it has errors, but it has to look like a journey. */
export const DraftBody = z
  .object({
    id: Id,
    name: z.string().min(1).max(200),
    // Stored as a plain field next to the encoded source, so it has to be what the journey schema says.
    description: z.string().max(2000).optional(),
    schemaVersion: z.number().int(),
    nodes: z.array(z.unknown()),
    edges: z.array(z.unknown()).default([]),
  })
  .passthrough();

const tag = 'journeys';
export const journeysTable = {
  list: route({ method: 'get', path: '/api/journeys', audience: ['designer'], tag, summary: 'List the journeys' }),
  create: route({
    method: 'post',
    path: '/api/journeys',
    audience: ['designer'],
    tag,
    summary: 'Create a draft (saved even with errors); answers its diagnostics',
    body: DraftBody,
    statuses: [201],
  }),
  get: route({
    method: 'get',
    path: '/api/journeys/:id',
    audience: ['designer'],
    tag,
    summary: 'Read a draft and its diagnostics',
  }),
  save: route({
    method: 'put',
    path: '/api/journeys/:id',
    audience: ['designer'],
    tag,
    summary: "Save a draft (its id must be the path's); answers its diagnostics",
    body: DraftBody,
  }),
  validate: route({
    method: 'post',
    path: '/api/journeys/:id/validate',
    audience: ['designer'],
    tag,
    summary: 'Compile the body (a journey), or the stored draft when the body is empty',
    body: z.unknown(),
    bodyOptional: true,
  }),
  publish: route({
    method: 'post',
    path: '/api/journeys/:id/publish',
    audience: ['designer'],
    tag,
    summary: 'Publish the draft as a new immutable version (200 when it is the latest already)',
    body: PublishBody,
    bodyOptional: true,
    statuses: [201, 200],
  }),
  archive: route({
    method: 'put',
    path: '/api/journeys/:id/archived',
    audience: ['designer'],
    tag,
    summary: 'Archive (hide from the journey list; its versions keep running) or restore a journey',
    body: z.object({ archived: z.boolean() }).strict(),
  }),
  activities: route({
    method: 'get',
    path: '/api/activities',
    audience: ['designer', 'agent'],
    tag,
    summary: 'The activity catalog the workers register',
  }),
};

export interface JourneyRoutesOptions {
  store: Store;
  audit: Audit;
  catalog: () => Promise<ActivityManifest[]> | ActivityManifest[];
}

export function journeyRoutes(options: JourneyRoutesOptions): Router {
  const { store, audit } = options;
  const router: Router = express.Router();
  const compile = async (journey: unknown) => {
    const catalog = await options.catalog();
    return compileJourney(journey, { activities: new Map(catalog.map((manifest) => [manifest.name, manifest])) });
  };

  // The list's rows: each journey with its aliases (the live version and a canary split) and its last publish.
  register(router, journeysTable.list, async (_req, res) => {
    const journeys = await store.listJourneys();
    const rows = await Promise.all(
      journeys.map(async (journey) => {
        const [aliases, versions] = await Promise.all([store.listAliases(journey.id), store.listVersions(journey.id)]);
        const last = versions.reduce<(typeof versions)[number] | undefined>(
          (newest, v) => (newest && newest.version > v.version ? newest : v),
          undefined,
        );
        return {
          ...journey,
          aliases: aliases.map(({ alias, routes, updatedAt, updatedBy }) => ({ alias, routes, updatedAt, updatedBy })),
          ...(last && {
            lastPublished: { version: last.version, at: last.publishedAt, ...(last.author && { by: last.author }) },
          }),
        };
      }),
    );
    res.json({ journeys: rows });
  });

  register(router, journeysTable.create, async (req, res) => {
    const draft = parseOrThrow(journeysTable.create.body, req.body) as unknown as Journey;
    await store.createDraft(draft, signedIn(res));
    res
      .status(201)
      .location(`/api/journeys/${draft.id}`)
      .json({ journey: draft, diagnostics: (await compile(draft)).diagnostics });
  });

  register(router, journeysTable.get, async (req, res) => {
    const draft = await store.getDraft(idParam(req));
    if (!draft) throw new HttpProblem(404, 'Journey not found', `no journey "${req.params.id}"`);
    res.json({ journey: draft, diagnostics: (await compile(draft)).diagnostics });
  });

  register(router, journeysTable.save, async (req, res) => {
    const id = idParam(req);
    const draft = parseOrThrow(journeysTable.save.body, req.body) as unknown as Journey;
    if (draft.id !== id)
      throw new HttpProblem(
        400,
        'Invalid request body',
        `/id: the body's id "${draft.id}" differs from the path's "${id}"`,
        [{ path: '/id', message: `must be "${id}"` }],
      );
    await store.saveDraft(id, draft, signedIn(res));
    res.json({ journey: draft, diagnostics: (await compile(draft)).diagnostics });
  });

  register(router, journeysTable.validate, async (req, res) => {
    const id = idParam(req);
    const body: unknown =
      req.body && typeof req.body === 'object' && Object.keys(req.body as object).length > 0
        ? req.body
        : await store.getDraft(id);
    if (!body) throw new HttpProblem(404, 'Journey not found', `no journey "${id}"`);
    const result = await compile(body);
    res.json({ ok: result.ok, diagnostics: result.diagnostics, ...(result.ok && { hash: result.journey.hash }) });
  });

  register(router, journeysTable.publish, async (req, res) => {
    const id = idParam(req);
    const body = parseOrThrow(journeysTable.publish.body, req.body ?? {});
    const { message } = body;
    // A person signed in is the author, whatever the body says; an API key (CI) may name who it
    // publishes for, and the audit keeps the key beside it.
    const caller = identityOf(res);
    const author =
      caller?.kind === 'user' && caller.via === 'session'
        ? caller.name || caller.email
        : (body.author ?? (caller?.kind === 'user' ? caller.name : undefined));
    const draft = await store.getDraft(id);
    if (!draft) throw new HttpProblem(404, 'Journey not found', `no journey "${id}"`);
    let result = await compile(draft);
    if (!result.ok) throw diagnosticsProblem(422, 'The journey has errors', result.diagnostics);
    // Classify nodes that name a triage model get its newest version, so the conversation keeps it.
    const pinned = await pinTriageModels(store, draft);
    if (pinned.diagnostics.length > 0) throw diagnosticsProblem(422, 'The journey has errors', pinned.diagnostics);
    if (pinned.journey !== draft) result = await compile(pinned.journey);
    if (!result.ok) throw diagnosticsProblem(422, 'The journey has errors', result.diagnostics);
    const published = await store.publishVersion({
      journeyId: id,
      source: draft,
      compiled: result.journey,
      ...(author && { author }),
      ...(message && { message }),
    });
    await audit.record(res, {
      action: 'publish',
      journeyId: id,
      version: published.version,
      actor: author,
      details: { created: published.created, hash: published.hash },
    });
    res.status(published.created ? 201 : 200).json({
      id,
      version: published.version,
      hash: published.hash,
      created: published.created,
      ref: `${id}@${published.version}`,
    });
  });

  register(router, journeysTable.archive, async (req, res) => {
    const id = idParam(req);
    const { archived } = parseOrThrow(journeysTable.archive.body, req.body);
    const by = signedIn(res);
    const journey = await store.setArchived(id, archived, by);
    if (!journey) throw new HttpProblem(404, 'Journey not found', `no journey "${id}"`);
    await audit.record(res, { action: archived ? 'journey.archive' : 'journey.restore', journeyId: id, actor: by });
    res.json({ journey });
  });

  register(router, journeysTable.activities, async (_req, res) => {
    res.json({ activities: await options.catalog() });
  });

  return router;
}
