/** Connecting to a MongoDB-wire server (MongoDB, a replica set, Atlas, FerretDB): the store's entry point. */
import { MongoClient, type MongoClientOptions } from 'mongodb';
import { MongoStore, type Store } from './store';
import { watchSlowCommands, type SlowStoreCommand } from './slow-commands';
import { wireServerOf } from './wire';

export interface ConnectOptions {
  /** Create the indexes on connect (idempotent); true by default. */
  ensureIndexes?: boolean;
  /** Reports every store command that took at least `thresholdMs` (BATON_SLOW_STORE_MS in the API and worker). */
  slowCommands?: { thresholdMs: number; report: (command: SlowStoreCommand) => void };
  /** Passed to the MongoClient. */
  client?: MongoClientOptions;
}

/** Connects to a MongoDB-wire server (MongoDB, a replica set, Atlas, FerretDB) and returns the store. */
export async function connectStore(uri: string, dbName = 'baton', options: ConnectOptions = {}): Promise<Store> {
  const slow = options.slowCommands;
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 10_000,
    ignoreUndefined: true,
    ...(slow && { monitorCommands: true }),
    ...options.client,
  });
  if (slow) watchSlowCommands(client, slow.thresholdMs, slow.report);
  await client.connect();
  const store = new MongoStore(client, client.db(dbName), await wireServerOf(client));
  if (options.ensureIndexes ?? true) {
    try {
      await store.ensureIndexes();
    } catch (error) {
      await client.close();
      throw error;
    }
  }
  return store;
}
