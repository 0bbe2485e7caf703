/**
 * What an activity's `run` may reach of Baton's database. A custom activity gets `ActivityStore`:
 * collections of its own (Baton's journeys, versions, conversations, tickets, users … are refused)
 * and the outbox to send a message through. Baton's built-in activities get the whole store
 * (`BuiltinActivityContext`); the worker's registry decides which context a definition receives.
 */
import type { Collection, Document } from 'mongodb';
import { reservedCollectionProblem, type Store } from '@baton/store';

/** The part of Baton's database a custom activity may use. */
export interface ActivityStore {
  /** The database's name (for logs). */
  readonly dbName: string;
  /**
   * A collection of the activity's own (`orders`, `refunds`, `customers` …).
   * @throws ReservedCollectionError for Baton's own collections (journeys, tickets, users …)
   */
  collection<T extends Document = Document>(name: string): Collection<T>;
  /** Records (sends) a message to a customer once per idempotency key, as Baton's own channels do. */
  recordOutbound: Store['recordOutbound'];
}

/** A custom activity asked for one of Baton's own collections. Not retryable in spirit: the code must change. */
export class ReservedCollectionError extends Error {
  constructor(
    /** The collection asked for. */
    readonly collection: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReservedCollectionError';
  }
}

/** The narrow view of the store a custom activity gets: each call goes to `store` at the time it is made. */
export function activityStoreOf(store: Pick<Store, 'dbName' | 'collection' | 'recordOutbound'>): ActivityStore {
  return Object.freeze({
    get dbName() {
      return store.dbName;
    },
    collection<T extends Document = Document>(name: string): Collection<T> {
      const problem = reservedCollectionProblem(name);
      if (problem) throw new ReservedCollectionError(name, problem);
      return store.collection<T>(name);
    },
    recordOutbound: (message: Parameters<Store['recordOutbound']>[0]) => store.recordOutbound(message),
  });
}
