/**
 * Aliases: named pointers at published versions (`live`, `beta` …), in `aliases`, with their
 * history in `alias_history`. The rules (valid routes, the canary bucket of a conversation) are
 * @baton/core's; this module stores them.
 *
 * Without transactions, `alias_history` is the log and `aliases` its materialised head. A change
 * claims the next revision by inserting its history entry (the unique _id decides between two
 * writers), then moves the alias document from the previous revision to it (compare-and-set on
 * `revision`). A writer that stopped in between leaves an entry ahead of the document; whoever
 * reads the alias next applies it, so the two never disagree for long and nothing is lost.
 */
import type { Collection, Db, Document } from 'mongodb';
import {
  aliasBucket,
  aliasRoutesProblem,
  liveAlias,
  routeForConversation as routeOfBucket,
  sameRoutes,
} from '@baton/core/versions';
import { collections } from './collections';
import { insertOnce, withoutUndefined } from './documents';
import { StoreConflictError, StoreError, StoreNotFoundError } from './errors';
import type { AliasHistoryEntry, AliasRecord, AliasRoute, SetAliasResult } from './types';

export { aliasBucket, aliasRoutesProblem, liveAlias };

/** A route names a version that was never published. HTTP 404; `version` says which. */
export class AliasVersionNotFoundError extends StoreNotFoundError {
  constructor(
    readonly journeyId: string,
    readonly version: number,
  ) {
    super(`version ${version} of journey "${journeyId}" does not exist`);
  }
}

/** Routes that are not one route at 100 % or two distinct versions whose percents sum to 100. HTTP 400. */
export class AliasRoutesError extends StoreError {
  override readonly status = 400;
}

/** The alias has no earlier routes to go back to. HTTP 409. */
export class AliasRollbackError extends StoreConflictError {}

/**
 * The route a conversation takes (see @baton/core/versions).
 * @throws AliasRoutesError when there are no routes
 */
export function routeForConversation(routes: readonly AliasRoute[], conversationId: string): AliasRoute {
  if (routes.length === 0) throw new AliasRoutesError('an alias without routes');
  return routeOfBucket(routes, conversationId);
}

/** The _id of a published version: unique per journey and number. */
export function versionKey(journeyId: string, version: number): string {
  return `${journeyId}@${version}`;
}

/** The aliases of journeys and their history. */
export interface AliasStore {
  /**
   * Points an alias at one version (`[{ version, percent: 100 }]`) or splits it between two
   * (percents summing to 100), creating it when needed, and records the change in `alias_history`.
   * The same routes again change nothing. Publishing version 1 of a journey creates `live` → 1.
   * @throws AliasVersionNotFoundError (a StoreNotFoundError) naming the version, AliasRoutesError
   */
  setAlias(journeyId: string, alias: string, routes: readonly AliasRoute[], by?: string): Promise<SetAliasResult>;
  /**
   * Moves the alias back to the routes it had before its latest change that is not itself undone
   * (rolling back twice goes back two changes).
   * @throws StoreNotFoundError when there is no such alias, AliasRollbackError when there is nothing to go back to
   */
  rollbackAlias(journeyId: string, alias: string, by?: string): Promise<SetAliasResult>;
  getAlias(journeyId: string, alias: string): Promise<AliasRecord | null>;
  /** By name. */
  listAliases(journeyId: string): Promise<AliasRecord[]>;
  /** Newest first. */
  aliasHistory(journeyId: string, alias: string): Promise<AliasHistoryEntry[]>;
}

interface AliasDoc extends Document {
  _id: string;
  journeyId: string;
  alias: string;
  routes: AliasRoute[];
  revision: number;
  updatedAt: Date;
  updatedBy?: string;
}

/** The stored form of an alias history entry, keyed by journey, alias and revision. */
interface AliasHistoryDoc extends Document, AliasHistoryEntry {
  _id: string;
}

const aliasKey = (journeyId: string, alias: string) => `${journeyId}/${alias}`;
const aliasHistoryKey = (journeyId: string, alias: string, revision: number) => `${journeyId}/${alias}#${revision}`;
const plainRoutes = (routes: readonly AliasRoute[]): AliasRoute[] =>
  routes.map((route) => ({ version: route.version, percent: route.percent }));
const maxAliasAttempts = 20;

export class MongoAliasStore implements AliasStore {
  private readonly aliases: Collection<AliasDoc>;
  private readonly aliasLog: Collection<AliasHistoryDoc>;
  /** Read only, to check that the routes name published versions. */
  private readonly versions: Collection<{ _id: string }>;

  constructor(db: Db) {
    this.aliases = db.collection<AliasDoc>(collections.aliases);
    this.aliasLog = db.collection<AliasHistoryDoc>(collections.aliasHistory);
    this.versions = db.collection(collections.versions);
  }

  async ensureIndexes(): Promise<void> {
    await this.aliases.createIndex({ journeyId: 1, alias: 1 }, { name: 'journeyId_alias', unique: true });
    await this.aliasLog.createIndex(
      { journeyId: 1, alias: 1, revision: 1 },
      { name: 'journeyId_alias_revision', unique: true },
    );
  }

  private aliasOf(doc: AliasDoc): AliasRecord {
    return {
      journeyId: doc.journeyId,
      alias: doc.alias,
      routes: plainRoutes(doc.routes),
      revision: doc.revision,
      updatedAt: doc.updatedAt,
      ...(doc.updatedBy !== undefined && doc.updatedBy !== null && { updatedBy: doc.updatedBy }),
    };
  }

  private historyOf(doc: AliasHistoryDoc): AliasHistoryEntry {
    return {
      journeyId: doc.journeyId,
      alias: doc.alias,
      revision: doc.revision,
      action: doc.action,
      before: doc.before ? plainRoutes(doc.before) : null,
      after: plainRoutes(doc.after),
      at: doc.at,
      ...(doc.by !== undefined && doc.by !== null && { by: doc.by }),
      ...(doc.undoes !== undefined && doc.undoes !== null && { undoes: doc.undoes }),
    };
  }

  /** Moves the alias document to a history entry, if it is still at the entry's previous revision. */
  private async applyAliasEntry(entry: AliasHistoryDoc): Promise<void> {
    const set = withoutUndefined({
      routes: entry.after,
      revision: entry.revision,
      updatedAt: entry.at,
      updatedBy: entry.by,
    });
    const moved = await this.aliases.updateOne(
      { _id: aliasKey(entry.journeyId, entry.alias), revision: entry.revision - 1 },
      { $set: set },
    );
    if (moved.matchedCount > 0) return;
    // No document yet (its creation was interrupted, or this is the creation): insert it; a twin's insert is as good.
    await insertOnce(this.aliases, {
      _id: aliasKey(entry.journeyId, entry.alias),
      journeyId: entry.journeyId,
      alias: entry.alias,
      ...set,
    });
  }

  /** The alias document, with any history entries it lags behind applied first. */
  private async aliasHead(journeyId: string, alias: string): Promise<AliasDoc | null> {
    for (let hops = 0; hops < maxAliasAttempts; hops += 1) {
      const doc = await this.aliases.findOne({ _id: aliasKey(journeyId, alias) });
      const next = await this.aliasLog.findOne({ _id: aliasHistoryKey(journeyId, alias, (doc?.revision ?? 0) + 1) });
      if (!next) return doc;
      await this.applyAliasEntry(next);
    }
    throw new StoreConflictError(`alias "${alias}" of journey "${journeyId}" is changing too fast to be read`);
  }

  private async assertVersionsExist(journeyId: string, routes: readonly AliasRoute[]): Promise<void> {
    for (const route of routes) {
      const found = await this.versions.findOne(
        { _id: versionKey(journeyId, route.version) },
        { projection: { _id: 1 } },
      );
      if (!found) throw new AliasVersionNotFoundError(journeyId, route.version);
    }
  }

  /**
   * One change of an alias: `decide` sees the current head (null when the alias does not exist)
   * and answers the change, or null for none. Retried when another writer takes the revision.
   */
  private async changeAlias(
    journeyId: string,
    alias: string,
    by: string | undefined,
    decide: (head: AliasDoc | null) => Promise<Pick<AliasHistoryDoc, 'action' | 'after' | 'undoes'> | null>,
  ): Promise<SetAliasResult> {
    for (let attempt = 0; attempt < maxAliasAttempts; attempt += 1) {
      const head = await this.aliasHead(journeyId, alias);
      const change = await decide(head);
      if (!change) {
        if (!head) throw new StoreNotFoundError(`journey "${journeyId}" has no alias "${alias}"`);
        return { alias: this.aliasOf(head), changed: false };
      }
      const revision = (head?.revision ?? 0) + 1;
      const entry: AliasHistoryDoc = withoutUndefined({
        _id: aliasHistoryKey(journeyId, alias, revision),
        journeyId,
        alias,
        revision,
        action: change.action,
        before: head ? plainRoutes(head.routes) : null,
        after: plainRoutes(change.after),
        at: new Date(),
        by,
        undoes: change.undoes,
      });
      if (!(await insertOnce(this.aliasLog, entry))) continue; // another writer took this revision: look again
      await this.applyAliasEntry(entry);
      return {
        alias: this.aliasOf({
          ...entry,
          _id: aliasKey(journeyId, alias),
          routes: entry.after,
          updatedAt: entry.at,
          ...(by !== undefined && { updatedBy: by }),
        }),
        changed: true,
      };
    }
    throw new StoreConflictError(
      `could not change alias "${alias}" of journey "${journeyId}": ${maxAliasAttempts} concurrent changes won the race`,
    );
  }

  async setAlias(
    journeyId: string,
    alias: string,
    routes: readonly AliasRoute[],
    by?: string,
  ): Promise<SetAliasResult> {
    const problem = aliasRoutesProblem(routes);
    if (problem) throw new AliasRoutesError(problem);
    await this.assertVersionsExist(journeyId, routes);
    return this.changeAlias(journeyId, alias, by, async (head) =>
      head && sameRoutes(head.routes, routes) ? null : { action: 'set', after: plainRoutes(routes) },
    );
  }

  /** `live` → 1 unless the journey has a `live` alias (publishing version 1 calls it; later publishes never move `live`). */
  async ensureLiveAlias(journeyId: string, by?: string): Promise<void> {
    await this.changeAlias(journeyId, liveAlias, by, async (head) =>
      head ? null : { action: 'set', after: [{ version: 1, percent: 100 }] },
    );
  }

  async rollbackAlias(journeyId: string, alias: string, by?: string): Promise<SetAliasResult> {
    return this.changeAlias(journeyId, alias, by, async (head) => {
      if (!head) throw new StoreNotFoundError(`journey "${journeyId}" has no alias "${alias}"`);
      // Newest first: a rollback cancels the change it undid; the first change not cancelled is the one to undo.
      const undone = new Set<number>();
      for (const entry of await this.aliasHistory(journeyId, alias)) {
        if (entry.revision > head.revision || undone.has(entry.revision)) continue;
        if (entry.action === 'rollback') {
          if (entry.undoes !== undefined) undone.add(entry.undoes);
          continue;
        }
        if (!entry.before) break;
        return { action: 'rollback', after: entry.before, undoes: entry.revision };
      }
      throw new AliasRollbackError(`alias "${alias}" of journey "${journeyId}" has no earlier routes to roll back to`);
    });
  }

  async getAlias(journeyId: string, alias: string): Promise<AliasRecord | null> {
    const doc = await this.aliasHead(journeyId, alias);
    return doc ? this.aliasOf(doc) : null;
  }

  async listAliases(journeyId: string): Promise<AliasRecord[]> {
    const docs = await this.aliases.find({ journeyId }).sort({ alias: 1 }).toArray();
    // Each through its head, so that an interrupted change is applied before it is shown.
    const heads = await Promise.all(docs.map((doc) => this.aliasHead(journeyId, doc.alias)));
    return heads.filter((doc): doc is AliasDoc => doc !== null).map((doc) => this.aliasOf(doc));
  }

  async aliasHistory(journeyId: string, alias: string): Promise<AliasHistoryEntry[]> {
    const docs = await this.aliasLog.find({ journeyId, alias }).sort({ revision: -1 }).toArray();
    return docs.map((doc) => this.historyOf(doc));
  }
}
