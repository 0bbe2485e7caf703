/**
 * Migration of waiting conversations from one published version of a journey to another:
 * `POST /api/journeys/:id/migrations` answers a dry run (which conversation waits where, and whether
 * it can move) or applies it (a `migrate` Update to each movable conversation; its workflow's
 * validator decides at that moment). `GET /api/journeys/:id/migrations` lists the audit trail.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { Id, MigrationBody, type CompiledJourney } from '@baton/schemas';
import {
  ConversationNotFoundError,
  ConversationRejectedError,
  type Conversations,
  type ConversationView,
} from '../../client';
import { migrationVerdict, type MigrationVerdict, type Waiting } from '@baton/core/interpreter';
import type { Store } from '@baton/store';
import { HttpProblem, parseOrThrow } from '../problem';
import { createAudit } from '../audit';
import { register, route } from './route';
import { conversationViews } from './shared';

export interface MigrationRoutesOptions {
  store: Store;
  conversations: Conversations;
  log?: (message: string, error?: unknown) => void;
  /** How many conversations one request examines at most (500). */
  limit?: number;
  /** How many conversations are queried or migrated at the same time (8). */
  concurrency?: number;
}

/** The audit trail of applied migrations. */
export const migrationsCollection = 'migrations';
const maxConversations = 500;

/** One applied migration, as stored in `migrations` (epoch milliseconds, like the other records). */
export interface MigrationRecord {
  migrationId: string;
  journeyId: string;
  from: number;
  to: number;
  at: number;
  by?: string;
  examined: number;
  truncated: boolean;
  moved: string[];
  already: string[];
  refused: { conversationId: string; reason: string }[];
  failed: { conversationId: string; reason: string }[];
}
type MigrationDoc = Omit<MigrationRecord, 'migrationId'> & { _id: string };

/** A conversation examined by a migration, with the verdict on its live state. */
export interface MigrationCandidate {
  conversationId: string;
  /** The version it runs now (live). */
  version: number;
  nodeId: string | null;
  waiting: Waiting['kind'] | null;
  movable: boolean;
  reason?: string;
}

export type MigrationOutcome = 'moved' | 'already' | 'refused' | 'failed';
export interface MigrationResult {
  conversationId: string;
  nodeId: string | null;
  outcome: MigrationOutcome;
  /** The version it runs after this request. */
  version: number;
  reason?: string;
}

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();

export const migrationsTable = {
  migrate: route({
    method: 'post',
    path: '/api/journeys/:id/migrations',
    audience: ['designer'],
    tag: 'versions',
    summary: 'Move running conversations from one published version to another (or preview with dryRun)',
    body: MigrationBody,
    bodyOptional: true,
  }),
  list: route({
    method: 'get',
    path: '/api/journeys/:id/migrations',
    audience: ['designer'],
    tag: 'versions',
    summary: "The journey's latest migrations",
    query: ListQuery,
  }),
};

function versionPath(which: 'from' | 'to'): string {
  return `/${which}`;
}

/** Runs `work` on every item, at most `concurrency` at a time, keeping the order of the answers. */
async function mapLimited<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index] as T);
  });
  await Promise.all(runners);
  return results;
}

function candidateOf(
  conversationId: string,
  view: ConversationView | null,
  verdict: MigrationVerdict,
): MigrationCandidate {
  return {
    conversationId,
    version: view?.journey.version ?? 0,
    nodeId: view?.nodeId ?? null,
    waiting: view?.waiting?.kind ?? null,
    movable: verdict.movable,
    ...(!verdict.movable && { reason: verdict.reason }),
  };
}

export function migrationRoutes(options: MigrationRoutesOptions): Router {
  const { store, conversations } = options;
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const limit = Math.min(options.limit ?? maxConversations, maxConversations);
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const audit = () => store.collection<MigrationDoc>(migrationsCollection);
  const router: Router = express.Router();

  const journeyParam = (req: Request) => parseOrThrow(Id, req.params.id, 'path parameter "id"');

  const publishedVersion = async (
    journeyId: string,
    version: number,
    which: 'from' | 'to',
  ): Promise<CompiledJourney> => {
    const found = await store.getVersion(journeyId, version);
    if (!found) {
      const path = versionPath(which);
      throw new HttpProblem(
        404,
        'Version not found',
        `${path}: version ${version} of journey "${journeyId}" is not published`,
        [{ path, message: `version ${version} is not published` }],
      );
    }
    return found.compiled;
  };

  // A stale projection is corrected from the live state, through the one writer of the read model.
  const { project } = conversationViews({ store, conversations, log });

  /**
   * The conversations to examine: the active ones the projection has on `from`, plus the ones an
   * earlier migration from→to moved (so that a repeated apply says they are already there).
   */
  const candidateIds = async (
    journeyId: string,
    from: number,
    to: number,
  ): Promise<{ ids: string[]; truncated: boolean }> => {
    const waiting = await store.listConversations({ journeyId, version: from, status: 'active', limit });
    const ids = waiting.map((record) => record.conversationId);
    const seen = new Set(ids);
    const earlier = await audit()
      .find({ journeyId, from, to }, { projection: { moved: 1 } })
      .sort({ at: -1 })
      .limit(50)
      .toArray();
    for (const doc of earlier) {
      for (const id of doc.moved ?? []) {
        if (seen.has(id)) continue;
        seen.add(id);
        ids.push(id);
      }
    }
    return { ids: ids.slice(0, limit), truncated: waiting.length >= limit || ids.length > limit };
  };

  /** The verdict on each candidate's live state (the workflow's query is the truth, the projection only a hint). */
  const examine = async (ids: string[], fromJourney: CompiledJourney, toJourney: CompiledJourney) =>
    mapLimited(ids, concurrency, async (conversationId) => {
      let view: ConversationView;
      try {
        view = await conversations.get(conversationId);
      } catch (error) {
        if (!(error instanceof ConversationNotFoundError)) throw error;
        return {
          view: null,
          candidate: candidateOf(conversationId, null, {
            movable: false,
            code: 'ended',
            reason: 'the conversation no longer exists',
          }),
        };
      }
      await project(view);
      return { view, candidate: candidateOf(conversationId, view, migrationVerdict(view, fromJourney, toJourney)) };
    });

  register(router, migrationsTable.migrate, async (req, res) => {
    const journeyId = journeyParam(req);
    const body = parseOrThrow(migrationsTable.migrate.body, req.body ?? {});
    const fromJourney = await publishedVersion(journeyId, body.from, 'from');
    const toJourney = await publishedVersion(journeyId, body.to, 'to');
    const { ids, truncated } = await candidateIds(journeyId, body.from, body.to);
    const examined = await examine(ids, fromJourney, toJourney);
    const head = {
      journeyId,
      from: body.from,
      to: body.to,
      dryRun: body.dryRun,
      examined: examined.length,
      truncated,
      ...(truncated && {
        note: `only the ${limit} most recently active conversations were examined and there may be more; apply, then run again for the next ones`,
      }),
    };

    if (body.dryRun) {
      // Per node of `from`, in the journey's order: who waits there and whether they can move.
      const byNode = new Map<string, MigrationCandidate[]>();
      const elsewhere: MigrationCandidate[] = [];
      for (const { view, candidate } of examined) {
        const atFrom =
          view !== null &&
          view.status === 'active' &&
          view.journey.version === body.from &&
          candidate.nodeId !== null &&
          Object.hasOwn(fromJourney.nodes, candidate.nodeId);
        if (!atFrom || candidate.nodeId === null) {
          elsewhere.push(candidate);
          continue;
        }
        const list = byNode.get(candidate.nodeId) ?? [];
        list.push(candidate);
        byNode.set(candidate.nodeId, list);
      }
      const nodes = Object.values(fromJourney.nodes)
        .filter((node) => byNode.has(node.id))
        .map((node) => {
          const list = byNode.get(node.id) ?? [];
          return {
            nodeId: node.id,
            type: node.type,
            inTarget: Object.hasOwn(toJourney.nodes, node.id),
            movable: list.filter((c) => c.movable).length,
            conversations: list,
          };
        });
      const movable = examined.filter(({ candidate }) => candidate.movable).length;
      res.json({ ...head, movable, unmovable: examined.length - movable, nodes, elsewhere });
      return;
    }

    // Apply: only to the movable ones; each workflow's validator has the last word.
    const results = await mapLimited(examined, concurrency, async ({ view, candidate }): Promise<MigrationResult> => {
      const base = { conversationId: candidate.conversationId, nodeId: candidate.nodeId, version: candidate.version };
      if (!candidate.movable) {
        const already =
          view !== null && view.journey.version === toJourney.version && view.journey.hash === toJourney.hash;
        return { ...base, outcome: already ? 'already' : 'refused', reason: candidate.reason ?? 'not movable' };
      }
      try {
        const summary = await conversations.migrate(candidate.conversationId, toJourney);
        const fresh = await conversations.get(candidate.conversationId).catch(() => null);
        if (fresh) await project(fresh);
        return { ...base, nodeId: summary.nodeId, version: summary.journey.version, outcome: 'moved' };
      } catch (error) {
        if (error instanceof ConversationRejectedError) return { ...base, outcome: 'refused', reason: error.message };
        log(`could not migrate conversation ${candidate.conversationId}`, error);
        return { ...base, outcome: 'failed', reason: error instanceof Error ? error.message : String(error) };
      }
    });
    const of = (outcome: MigrationOutcome) => results.filter((result) => result.outcome === outcome);
    const record: MigrationRecord = {
      migrationId: `mig-${randomUUID()}`,
      journeyId,
      from: body.from,
      to: body.to,
      at: Date.now(),
      ...(body.author !== undefined && { by: body.author }),
      examined: results.length,
      truncated,
      moved: of('moved').map((result) => result.conversationId),
      already: of('already').map((result) => result.conversationId),
      refused: of('refused').map((result) => ({ conversationId: result.conversationId, reason: result.reason ?? '' })),
      failed: of('failed').map((result) => ({ conversationId: result.conversationId, reason: result.reason ?? '' })),
    };
    const { migrationId, ...doc } = record;
    await audit().insertOne({ _id: migrationId, ...doc });
    await createAudit(store, log).record(res, {
      action: 'migration.apply',
      journeyId,
      versions: [body.from, body.to],
      actor: body.author,
      details: {
        migrationId,
        moved: record.moved.length,
        refused: record.refused.length,
        failed: record.failed.length,
      },
    });
    res.json({
      ...head,
      migrationId,
      at: record.at,
      counts: {
        moved: record.moved.length,
        already: record.already.length,
        refused: record.refused.length,
        failed: record.failed.length,
      },
      results,
    });
  });

  register(router, migrationsTable.list, async (req, res) => {
    const journeyId = journeyParam(req);
    const query = parseOrThrow(ListQuery, req.query, 'query');
    const docs = await audit().find({ journeyId }).sort({ at: -1 }).limit(query.limit).toArray();
    const migrations: MigrationRecord[] = docs.map(({ _id, ...doc }) => ({ migrationId: _id, ...doc }));
    res.json({ migrations });
  });

  return router;
}
