/**
 * Published triage models: `POST /api/triage-models/:name` stores a model file (the bytes as
 * `application/octet-stream`, as `baton triage publish` sends them) as the next version,
 * `GET /api/triage-models` lists them. Designers publish (admins hold every role). Also
 * `pinTriageModels`, which the journey publish uses to write each model's newest version into the
 * classify nodes that name one.
 */
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { TriageModelName, type Diagnostic, type Journey } from '@baton/schemas';
import {
  classifyForNode,
  embeddingsForArtefact,
  loadPublishedModel,
  maxTriageModelBytes,
  parseTriageArtefact,
  TriageEmbeddingsError,
  TriageModelError,
  TriageModelMissingError,
  triageModelCache,
  type TriageArtefact,
} from '@baton/ai/triage-artefact';
import type { Store, TriageModelVersion } from '@baton/store';
import { identityOf } from '../access';
import type { Audit } from '../audit';
import { HttpProblem, parseOrThrow } from '../problem';
import { register, route } from './route';

const tag = 'triage models';

const VersionView = z.object({
  version: z.number().int().positive(),
  hash: z.string(),
  bytes: z.number().int(),
  formatVersion: z.number().int(),
  labels: z.number().int().describe('how many intents the model answers'),
  publishedAt: z.string(),
  publishedBy: z.string().optional(),
  /** The trainer's metadata: trained at, rows, cross-validated figures, the threshold chosen … */
  metadata: z.record(z.string(), z.unknown()),
});

export const TriageModelList = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      latestVersion: z.number().int().positive(),
      versions: z.array(VersionView),
    }),
  ),
});

export const TriageModelPublished = z.object({
  name: z.string(),
  version: z.number().int().positive(),
  ref: z.string(),
  hash: z.string(),
  created: z.boolean(),
  labels: z.number().int(),
  message: z.string(),
});

const ClassifyWithModelBody = z
  .object({
    text: z.string().max(4000, 'must be at most 4000 characters'),
    /** The newest when left out. */
    version: z.number().int().positive().optional(),
  })
  .strict();

const CorrectionsQuery = z
  .object({
    journeyId: z.string().min(1).max(200).optional(),
    /** Only corrections made after this instant (ISO 8601); `latest-model`: after the newest published model. */
    since: z.string().min(1).max(40).optional(),
  })
  .strict();

export const CorrectionRows = z.object({
  rows: z.array(z.object({ text: z.string(), intent: z.string(), journeyId: z.string().optional(), at: z.string() })),
});

export const triageModelsTable = {
  list: route({
    method: 'get',
    path: '/api/triage-models',
    audience: ['designer'],
    tag,
    summary:
      'The published triage models: each name with its versions, intents counted, and the figures of its metadata',
    response: TriageModelList,
  }),
  publish: route({
    method: 'post',
    path: '/api/triage-models/:name',
    audience: ['designer'],
    tag,
    summary: `Publish a model file (the body's bytes, application/octet-stream, at most ${maxTriageModelBytes} bytes) as the next version of :name; the same file again answers 200 with its version`,
    consumes: 'application/octet-stream',
    response: TriageModelPublished,
    statuses: [201, 200],
  }),
  corrections: route({
    method: 'get',
    path: '/api/triage-corrections',
    audience: ['designer'],
    tag,
    summary:
      "Agents' intent corrections as training rows, oldest first (baton triage train --with-corrections): ?journeyId=, ?since=<ISO date> or since=latest-model",
    query: CorrectionsQuery,
    response: CorrectionRows,
  }),
  classify: route({
    method: 'post',
    path: '/api/triage-models/:name/classify',
    audience: ['designer', 'agent'],
    tag,
    summary:
      "What a classify node backed by this model gets (the designer's simulator): the model's intent (null when out of scope), confidence, outOfScope, sentiment, reasons",
    body: ClassifyWithModelBody,
  }),
};

function view(version: TriageModelVersion): z.infer<typeof VersionView> {
  return {
    version: version.version,
    hash: version.hash,
    bytes: version.bytes,
    formatVersion: version.formatVersion,
    labels: version.labels.length,
    publishedAt: version.publishedAt.toISOString(),
    ...(version.publishedBy !== undefined && { publishedBy: version.publishedBy }),
    metadata: version.metadata,
  };
}

/** The raw body up to the limit, with a 413 that names it. */
function modelBody(): RequestHandler {
  const parse = express.raw({ type: () => true, limit: maxTriageModelBytes });
  return (req, res, next) => {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/octet-stream\b/i.test(type))
      return next(
        new HttpProblem(
          415,
          'Unsupported media type',
          'send the model file as application/octet-stream (baton triage publish does)',
        ),
      );
    parse(req, res, (error?: unknown) => {
      const failure = error as { type?: string } | undefined;
      if (failure?.type === 'entity.too.large')
        return next(
          new HttpProblem(
            413,
            'Model file too large',
            `a triage model file is at most ${maxTriageModelBytes} bytes (20 MB)`,
          ),
        );
      next(error);
    });
  };
}

/** Who published, as the API verified it (the audit log's `by`): an email, or the API key's name. */
function publisherOf(res: express.Response): string | undefined {
  const identity = identityOf(res);
  if (identity?.kind !== 'user') return undefined;
  return identity.via === 'apiKey' ? identity.name : identity.email;
}

export function triageModelRoutes(options: { store: Store; audit: Audit }): Router {
  const { store, audit } = options;
  const router: Router = express.Router();

  register(router, triageModelsTable.list, async (_req, res) => {
    const models = await store.triageModels.list();
    res.json({
      models: models.map((model) => ({
        name: model.name,
        latestVersion: model.latestVersion,
        versions: model.versions.map(view),
      })),
    });
  });

  register(router, triageModelsTable.publish, modelBody(), async (req, res) => {
    const name = parseOrThrow(TriageModelName, req.params.name, 'path parameter "name"');
    const body: unknown = req.body;
    const file = Buffer.isBuffer(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : undefined;
    if (!file || file.byteLength === 0)
      throw new HttpProblem(400, 'No model file', 'the body is empty: send the model file');
    let artefact: TriageArtefact;
    try {
      artefact = parseTriageArtefact(file);
    } catch (error) {
      if (error instanceof TriageModelError) throw new HttpProblem(422, 'Not a usable triage model', error.message);
      throw error;
    }
    const publishedBy = publisherOf(res);
    const published = await store.triageModels.publish({
      name,
      file,
      hash: artefact.hash,
      labels: artefact.labels,
      formatVersion: artefact.formatVersion,
      metadata: artefact.metadata,
      ...(publishedBy !== undefined && { publishedBy }),
    });
    const ref = `${name}@${published.version}`;
    await audit.record(res, {
      action: 'triageModel.publish',
      subject: ref,
      version: published.version,
      details: { name, created: published.created, hash: published.hash, labels: artefact.labels.length },
    });
    res.status(published.created ? 201 : 200).json({
      name,
      version: published.version,
      ref,
      hash: published.hash,
      created: published.created,
      labels: artefact.labels.length,
      message: published.created ? `published ${ref}` : `the same file is already published as ${ref}`,
    });
  });

  register(router, triageModelsTable.corrections, async (req, res) => {
    const query = parseOrThrow(CorrectionsQuery, req.query, 'query');
    let since: Date | undefined;
    if (query.since === 'latest-model') since = (await store.triageModels.newestPublishedAt()) ?? undefined;
    else if (query.since !== undefined) {
      since = new Date(query.since);
      if (Number.isNaN(since.getTime()))
        throw new HttpProblem(400, 'Invalid request query', '/since: an ISO 8601 date or latest-model', [
          { path: '/since', message: 'an ISO 8601 date or latest-model' },
        ]);
    }
    const rows = await store.triageModels.correctionRows({
      ...(query.journeyId !== undefined && { journeyId: query.journeyId }),
      ...(since !== undefined && { since }),
    });
    res.json({ rows: rows.map((row) => ({ ...row, at: row.at.toISOString() })) });
  });

  // The simulator asks a few models over and over: keep the last ones parsed.
  const models = triageModelCache(4);
  register(router, triageModelsTable.classify, async (req, res) => {
    const name = parseOrThrow(TriageModelName, req.params.name, 'path parameter "name"');
    const body = parseOrThrow(triageModelsTable.classify.body, req.body);
    try {
      const { key, artefact } = await loadPublishedModel(models, store.triageModels, {
        name,
        ...(body.version !== undefined && { version: body.version }),
      });
      // A model with embeddings needs the text's (the API machine's embedding model; none for others).
      const [embedding] = await embeddingsForArtefact(artefact, [body.text]);
      res.json(classifyForNode(key, artefact, body.text, embedding));
    } catch (error) {
      if (error instanceof TriageModelMissingError) throw new HttpProblem(404, 'Triage model not found', error.message);
      if (error instanceof TriageModelError || error instanceof TriageEmbeddingsError)
        throw new HttpProblem(422, 'Not a usable triage model', error.message);
      throw error;
    }
  });

  return router;
}

/**
 * Writes the version of each classify node's model into a copy of the journey (the newest published
 * when the node names none), so the compiled version pins it; or says, with the node id, why a model
 * cannot be used. `journey` must already compile (its node data is then well formed).
 */
export async function pinTriageModels(
  store: Store,
  journey: Journey,
): Promise<{ journey: Journey; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const versions = new Map<string, TriageModelVersion | null>();
  const nodes: Journey['nodes'] = [];
  let changed = false;
  for (const [index, node] of journey.nodes.entries()) {
    if (node.type !== 'classify' || !node.data.model) {
      nodes.push(node);
      continue;
    }
    const { model } = node.data;
    const at = `/nodes/${index}/data`;
    const key = `${model.name}@${model.version ?? 'latest'}`;
    if (!versions.has(key)) versions.set(key, await store.triageModels.getVersion(model.name, model.version));
    const found = versions.get(key);
    if (!found) {
      diagnostics.push({
        severity: 'error',
        code: 'unknown_triage_model',
        path: `${at}/model/${model.version === undefined ? 'name' : 'version'}`,
        nodeId: node.id,
        message:
          model.version === undefined
            ? `no triage model "${model.name}" is published (baton triage publish MODEL --name ${model.name})`
            : `triage model ${model.name}@${model.version} is not published`,
      });
      nodes.push(node);
      continue;
    }
    const labels = new Set(found.labels);
    (node.data.routes ?? []).forEach((entry, routeIndex) => {
      const unknown = entry.intents.filter((intent) => !labels.has(intent));
      if (unknown.length > 0)
        diagnostics.push({
          severity: 'error',
          code: 'unknown_model_intent',
          path: `${at}/routes/${routeIndex}/intents`,
          nodeId: node.id,
          message: `${model.name}@${found.version} has no intent ${unknown
            .slice(0, 5)
            .map((intent) => `"${intent}"`)
            .join(', ')}${unknown.length > 5 ? ` (and ${unknown.length - 5} more)` : ''}`,
        });
    });
    changed ||= model.version !== found.version;
    nodes.push({ ...node, data: { ...node.data, model: { ...model, version: found.version } } });
  }
  return { journey: changed ? { ...journey, nodes } : journey, diagnostics };
}
