/**
 * Published triage models (`baton triage publish MODEL --name N` → `N@version`): immutable versions
 * keyed by `_id` (`name@version`, the only filter FerretDB pushes down), the file's bytes gzipped in
 * chunks under the 16 MB document limit, and the agents' corrections as training rows. No
 * transactions: the bytes are written before the version record that points at them, so a version
 * that exists always has its file, and a lost race for a number retries with the next one.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { Binary, type Collection, type Db } from 'mongodb';
import { withoutUndefined } from './documents';
import { isDuplicateKeyError, StoreConflictError } from './errors';
import { inboxCollections } from './inbox';

export const triageModelCollections = {
  heads: 'triage_models',
  versions: 'triage_model_versions',
  chunks: 'triage_model_chunks',
} as const;

/** Per chunk, of the gzipped file: far below the 16 MB document limit of MongoDB and FerretDB. */
const chunkBytes = 4 * 1024 * 1024;
const maxPublishAttempts = 20;

/** What the API learned from the file before storing it (the store does not read model files). */
export interface TriageModelFacts {
  labels: string[];
  formatVersion: number;
  /** The trainer's figures and facts (trained at, rows, accuracy …), as the file has them. */
  metadata: Record<string, unknown>;
}

export interface TriageModelVersion extends TriageModelFacts {
  name: string;
  version: number;
  /** sha256 of the file's bytes. */
  hash: string;
  bytes: number;
  publishedAt: Date;
  publishedBy?: string;
}

export interface TriageModelSummary {
  name: string;
  latestVersion: number;
  /** Newest first. */
  versions: TriageModelVersion[];
}

export interface PublishTriageModelInput extends TriageModelFacts {
  name: string;
  /** The model file as published. */
  file: Uint8Array;
  hash: string;
  publishedBy?: string;
}

export interface PublishTriageModelResult {
  version: number;
  hash: string;
  /** False when a version with the same content already existed (that version is returned). */
  created: boolean;
}

/** An agent's correction as a training row (`baton triage train --with-corrections`). */
export interface CorrectionRow {
  text: string;
  intent: string;
  journeyId?: string;
  at: Date;
}

interface HeadDoc {
  _id: string;
  latestVersion: number;
  updatedAt: Date;
}

interface VersionDoc {
  _id: string;
  name: string;
  version: number;
  hash: string;
  bytes: number;
  chunks: number;
  labels: string[];
  formatVersion: number;
  metadata: Record<string, unknown>;
  publishedAt: Date;
  publishedBy?: string;
}

interface ChunkDoc {
  _id: string;
  data: Binary;
}

export const triageModelKey = (name: string, version: number) => `${name}@${version}`;
/** Chunks are keyed by content, so a retried or raced publish of the same file rewrites the same chunks. */
const chunkKey = (name: string, hash: string, index: number) => `${name}#${hash}#${index}`;

function versionOf(doc: VersionDoc): TriageModelVersion {
  return withoutUndefined({
    name: doc.name,
    version: doc.version,
    hash: doc.hash,
    bytes: doc.bytes,
    labels: doc.labels,
    formatVersion: doc.formatVersion,
    metadata: doc.metadata,
    publishedAt: doc.publishedAt,
    publishedBy: doc.publishedBy,
  });
}

function dateOf(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  return undefined;
}

export class TriageModelStore {
  private readonly heads: Collection<HeadDoc>;
  private readonly versions: Collection<VersionDoc>;
  private readonly chunks: Collection<ChunkDoc>;
  private readonly corrections: Collection;

  constructor(db: Db) {
    this.heads = db.collection<HeadDoc>(triageModelCollections.heads);
    this.versions = db.collection<VersionDoc>(triageModelCollections.versions);
    this.chunks = db.collection<ChunkDoc>(triageModelCollections.chunks);
    this.corrections = db.collection(inboxCollections.intentCorrections);
  }

  /** The newest version number of a model, or null when none was published. */
  async latestVersion(name: string): Promise<number | null> {
    const head = await this.heads.findOne({ _id: name });
    return head ? head.latestVersion : null;
  }

  /** A version's record (without the file); the newest when `version` is undefined. */
  async getVersion(name: string, version?: number): Promise<TriageModelVersion | null> {
    const number = version ?? (await this.latestVersion(name));
    if (number === null) return null;
    const doc = await this.versions.findOne({ _id: triageModelKey(name, number) });
    return doc ? versionOf(doc) : null;
  }

  /** A version's file as published; null when there is no such version. */
  async readFile(name: string, version: number): Promise<{ version: TriageModelVersion; file: Uint8Array } | null> {
    const doc = await this.versions.findOne({ _id: triageModelKey(name, version) });
    if (!doc) return null;
    const parts: Buffer[] = [];
    for (let index = 0; index < doc.chunks; index += 1) {
      const chunk = await this.chunks.findOne({ _id: chunkKey(name, doc.hash, index) });
      if (!chunk) throw new StoreConflictError(`triage model ${triageModelKey(name, version)} misses chunk ${index}`);
      parts.push(Buffer.from(chunk.data.buffer));
    }
    const file = gunzipSync(Buffer.concat(parts));
    return { version: versionOf(doc), file: new Uint8Array(file.buffer, file.byteOffset, file.byteLength) };
  }

  /** Every model with its versions, newest first; the names in order. */
  async list(): Promise<TriageModelSummary[]> {
    const heads = await this.heads.find({}).sort({ _id: 1 }).toArray();
    const docs = await this.versions.find({}).toArray();
    return heads.map((head) => ({
      name: head._id,
      latestVersion: head.latestVersion,
      versions: docs
        .filter((doc) => doc.name === head._id)
        .sort((a, b) => b.version - a.version)
        .map(versionOf),
    }));
  }

  /**
   * Stores the file as the next version of `name`; a file identical to one of its versions is not
   * stored again (that version is returned with `created: false`).
   */
  async publish(input: PublishTriageModelInput): Promise<PublishTriageModelResult> {
    const same = await this.versions.findOne({ name: input.name, hash: input.hash }, { projection: { version: 1 } });
    if (same) return { version: same.version, hash: input.hash, created: false };
    const gz = gzipSync(input.file);
    const count = Math.max(1, Math.ceil(gz.byteLength / chunkBytes));
    for (let index = 0; index < count; index += 1) {
      const data = new Binary(gz.subarray(index * chunkBytes, (index + 1) * chunkBytes));
      await this.chunks.replaceOne({ _id: chunkKey(input.name, input.hash, index) }, { data }, { upsert: true });
    }
    for (let attempt = 0; attempt < maxPublishAttempts; attempt += 1) {
      const latest = (await this.latestVersion(input.name)) ?? 0;
      // The head may lag a version whose publisher stopped before raising it: skip taken numbers.
      let version = latest + 1;
      while (await this.versions.findOne({ _id: triageModelKey(input.name, version) }, { projection: { _id: 1 } }))
        version += 1;
      const doc: VersionDoc = withoutUndefined({
        _id: triageModelKey(input.name, version),
        name: input.name,
        version,
        hash: input.hash,
        bytes: input.file.byteLength,
        chunks: count,
        labels: input.labels,
        formatVersion: input.formatVersion,
        metadata: input.metadata,
        publishedAt: new Date(),
        publishedBy: input.publishedBy,
      });
      try {
        await this.versions.insertOne(doc);
      } catch (error) {
        if (isDuplicateKeyError(error)) {
          // Someone took this number; it may even be the same file.
          const raced = await this.versions.findOne({ _id: doc._id });
          if (raced?.hash === input.hash) return { version, hash: input.hash, created: false };
          continue;
        }
        throw error;
      }
      await this.raiseHead(input.name, version);
      return { version, hash: input.hash, created: true };
    }
    throw new StoreConflictError(
      `could not publish triage model "${input.name}": ${maxPublishAttempts} concurrent publishes won the race`,
    );
  }

  private async raiseHead(name: string, version: number): Promise<void> {
    const update = { $max: { latestVersion: version }, $set: { updatedAt: new Date() } };
    try {
      await this.heads.updateOne({ _id: name }, update, { upsert: true });
    } catch (error) {
      // Two first publishes upserting at once: the loser raises the head the winner created.
      if (!isDuplicateKeyError(error)) throw error;
      await this.heads.updateOne({ _id: name }, update);
    }
  }

  /** Agents' corrections (the inbox's `intent_corrections`) as training rows, oldest first. */
  async correctionRows(options: { journeyId?: string; since?: Date } = {}): Promise<CorrectionRow[]> {
    const docs = await this.corrections
      .find(options.journeyId !== undefined ? { journeyId: options.journeyId } : {}, {
        projection: { _id: 0, text: 1, intent: 1, journeyId: 1, at: 1 },
      })
      .toArray();
    const rows: CorrectionRow[] = [];
    for (const doc of docs) {
      const at = dateOf(doc.at);
      if (typeof doc.text !== 'string' || doc.text.trim() === '' || typeof doc.intent !== 'string' || !at) continue;
      if (options.since && at <= options.since) continue;
      rows.push(
        withoutUndefined({
          text: doc.text,
          intent: doc.intent,
          journeyId: typeof doc.journeyId === 'string' ? doc.journeyId : undefined,
          at,
        }),
      );
    }
    return rows.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  /** When the newest model (of any name) was published; null before the first. */
  async newestPublishedAt(): Promise<Date | null> {
    const newest = await this.versions
      .find({}, { projection: { publishedAt: 1 } })
      .sort({ publishedAt: -1 })
      .limit(1)
      .next();
    return newest ? newest.publishedAt : null;
  }

  /** Corrections made after the newest published model: what a retrained model would learn. */
  async pendingCorrections(): Promise<number> {
    const since = await this.newestPublishedAt();
    // Counted by the server; the inbox writes `at` as a date, older rows may hold epoch ms.
    return this.corrections.countDocuments(
      since ? { $or: [{ at: { $gt: since } }, { at: { $gt: since.getTime() } }] } : {},
    );
  }
}
