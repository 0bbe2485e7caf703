import express, { type Router } from 'express';
import { z } from 'zod';
import { Id } from '@baton/schemas';
import { collections, type Store } from '@baton/store';
import { HttpProblem, parseOrThrow } from '../problem';
import { versionQuery } from './metrics';
import { register, route } from './route';

const VersionNumber = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'required: a published version number' : 'must be a single version number',
  })
  .regex(/^[1-9]\d{0,8}$/, 'must be a positive integer (a published version)')
  .transform(Number);

const ListQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number from 1 to 200')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 200, 'must be a whole number from 1 to 200')
    .optional(),
});

export const overlayTable = {
  overlay: route({
    method: 'get',
    path: '/api/journeys/:id/versions/:version/overlay',
    audience: ['designer', 'agent'],
    tag: 'versions',
    summary: 'Per node of a published version: conversations waiting, entered, ended and dropped off there',
  }),
  conversations: route({
    method: 'get',
    path: '/api/journeys/:id/versions/:version/conversations',
    audience: ['designer', 'agent'],
    tag: 'versions',
    summary: 'The newest conversations of a published version, to replay one against a draft',
    query: ListQuery,
  }),
};

interface PathStepDoc {
  nodeId?: unknown;
  handle?: unknown;
}

interface OverlayDoc {
  _id: string;
  status?: unknown;
  nodeId?: unknown;
  outcome?: unknown;
  path?: unknown;
}

export interface NodeOverlay {
  /** Active conversations at this node now. */
  waiting: number;
  /** Conversations (of those read) that went through this node. */
  entered: number;
  /** Ended conversations whose last step was this node (the end node where they finished). */
  ended: number;
  /** Abandoned conversations that left this node last by a timeout (the customer went away here), or stopped here. */
  droppedOff: number;
}

/**
 * Per-node figures of a version's conversations, from their projections (pure): the rule the overlay
 * read model applies per conversation (engine/store read-model-shapes.ts `nodeShares`), for tests.
 */
export function overlayOf(docs: readonly OverlayDoc[]): Record<string, NodeOverlay> {
  const nodes: Record<string, NodeOverlay> = {};
  const at = (id: string) => (nodes[id] ??= { waiting: 0, entered: 0, ended: 0, droppedOff: 0 });
  for (const doc of docs) {
    const path = (Array.isArray(doc.path) ? doc.path : []) as PathStepDoc[];
    const ids = path.map((step) => (typeof step.nodeId === 'string' ? step.nodeId : null));
    for (const id of new Set(ids)) if (id) at(id).entered += 1;
    if (doc.status === 'active') {
      if (typeof doc.nodeId === 'string') at(doc.nodeId).waiting += 1;
      continue;
    }
    if (doc.status !== 'ended') continue;
    const last = ids[ids.length - 1];
    if (last) at(last).ended += 1;
    if (doc.outcome === 'abandoned') {
      let where: string | null = null;
      for (let i = path.length - 1; i >= 0 && !where; i -= 1) if (path[i]?.handle === 'timeout') where = ids[i] ?? null;
      where ??= last ?? null;
      if (where) at(where).droppedOff += 1;
    }
  }
  return nodes;
}

/**
 * Live figures and real conversations of a published version, for the designer's overlay and replay:
 * - `GET /api/journeys/:id/versions/:version/overlay`: per node, conversations waiting there now,
 *   entered, ended and dropped off there, from the overlay read model (one document per version);
 * - `GET /api/journeys/:id/versions/:version/conversations?limit=`: the newest conversations of the
 *   version (id, status, outcome, where, updatedAt), to pick one to replay against a draft.
 * With `temporalUiListUrl` (BATON_TEMPORAL_UI_URL set), the overlay's answer carries `temporalUrl`: the
 * version's conversations listed in the Temporal UI by BatonJourneyId and BatonJourneyVersion (staff only).
 */
export function overlayRoutes(options: {
  store: Store;
  temporalUiListUrl?: (query: string) => string | undefined;
}): Router {
  const { store } = options;
  const router: Router = express.Router();
  const conversations = () => store.collection<OverlayDoc>(collections.conversations);

  const versionOf = async (idParam: unknown, versionParam: unknown) => {
    const id = parseOrThrow(Id, idParam, 'path parameter "id"');
    const version = parseOrThrow(VersionNumber, versionParam, 'path parameter "version"');
    const found = await store.getVersion(id, version);
    if (!found)
      throw new HttpProblem(
        404,
        'Version not found',
        `/version: version ${version} of journey "${id}" is not published`,
        [{ path: '/version', message: 'not published' }],
      );
    return { id, version, compiled: found.compiled };
  };

  register(router, overlayTable.overlay, async (req, res) => {
    const { id, version, compiled } = await versionOf(req.params.id, req.params.version);
    // The overlay read model (engine/store read-models.ts), kept by the projection with the rule of
    // overlayOf: one small document by `_id`, whatever the number of conversations.
    const doc = await store.readModels.overlay(id, version);
    const figure = (value: unknown) => (typeof value === 'number' && value > 0 ? value : 0);
    const nodes: Record<string, NodeOverlay> = {};
    const stored = (doc?.nodes ?? {}) as Record<string, Partial<Record<keyof NodeOverlay, unknown>>>;
    for (const [nodeId, figures] of Object.entries(stored))
      nodes[nodeId] = {
        waiting: figure(figures.waiting),
        entered: figure(figures.entered),
        ended: figure(figures.ended),
        droppedOff: figure(figures.droppedOff),
      };
    // Every node of the version answers, with zeros where nobody went.
    for (const nodeId of Object.keys(compiled.nodes))
      nodes[nodeId] ??= { waiting: 0, entered: 0, ended: 0, droppedOff: 0 };
    res.json({
      journeyId: id,
      version,
      conversations: figure(doc?.conversations),
      active: figure(doc?.active),
      truncated: false,
      nodes,
      temporalUrl: options.temporalUiListUrl?.(versionQuery(id, version)),
    });
  });

  register(router, overlayTable.conversations, async (req, res) => {
    const { id, version } = await versionOf(req.params.id, req.params.version);
    const { limit } = parseOrThrow(ListQuery, req.query, 'query');
    const docs = await conversations()
      .find(
        { journeyId: id, version },
        { projection: { _id: 1, status: 1, nodeId: 1, outcome: 1, updatedAt: 1, startedAt: 1, transcriptLength: 1 } },
      )
      .sort({ updatedAt: -1 })
      .limit(limit ?? 50)
      .toArray();
    res.json({
      conversations: docs.map((doc) => {
        const d = doc as OverlayDoc & { updatedAt?: unknown; startedAt?: unknown; transcriptLength?: unknown };
        return {
          conversationId: d._id,
          status: d.status,
          nodeId: d.nodeId ?? null,
          outcome: d.outcome ?? null,
          startedAt: d.startedAt ?? null,
          updatedAt: d.updatedAt ?? null,
          messages: d.transcriptLength ?? null,
        };
      }),
    });
  });

  return router;
}
