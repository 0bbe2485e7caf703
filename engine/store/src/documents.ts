/** Helpers every per-record store shares: the stored form of JSON bodies, insert-once, list limits. */
import type { Collection, Document } from 'mongodb';
import { decodeValue, encodeValue } from './codec';
import { isDuplicateKeyError } from './errors';

/** A list's limit: the fallback when unset, at least 1, at most `max`. */
export function limitOf(limit: number | undefined, fallback = 50, max = 500): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

/** Encodes a JSON body into its stored form (see codec.ts). */
export function stored(value: unknown): Document {
  return encodeValue(value) as Document;
}

/** Decodes a stored document and drops the store's own fields. Stored data was written by this store, so it has the type. */
export function restored<T>(doc: Document, internal: readonly string[] = []): T {
  const decoded = decodeValue(doc) as Record<string, unknown>;
  delete decoded._id;
  for (const key of internal) delete decoded[key];
  return decoded as T;
}

/**
 * Inserts unless a document with this _id exists: true when inserted, false when one was there
 * (a retry, or a concurrent twin). Equivalent to an upsert with $setOnInsert, which FerretDB v1
 * gets wrong (it drops top-level null fields of $setOnInsert).
 */
export async function insertOnce<T extends Document & { _id: string }>(
  collection: Collection<T>,
  doc: T,
): Promise<boolean> {
  try {
    await collection.insertOne(doc as Parameters<Collection<T>['insertOne']>[0]);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

export function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = item;
  return out as T;
}
