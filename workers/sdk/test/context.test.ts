/** The narrow store a custom activity gets: its own collections and the outbox, never Baton's records. */
import type { Store } from '@baton/store';
import { activityStoreOf, ReservedCollectionError } from '../src';

type Narrowed = Pick<Store, 'dbName' | 'collection' | 'recordOutbound'>;

function fakeStore(): { store: Narrowed; asked: string[] } {
  const asked: string[] = [];
  const store = {
    dbName: 'baton_fake',
    collection: (name: string) => {
      asked.push(name);
      return { collectionName: name };
    },
    recordOutbound: async () => ({ created: true }),
  } as unknown as Narrowed;
  return { store, asked };
}

describe('activityStoreOf', () => {
  test.each(['journeys', 'journey_versions', 'aliases', 'tickets', 'conversations', 'users', 'sessions', 'apiKeys'])(
    'refuses "%s" with an error naming it, before the database is asked',
    (name) => {
      const { store, asked } = fakeStore();
      const narrow = activityStoreOf(store);
      expect(() => narrow.collection(name)).toThrow(ReservedCollectionError);
      expect(() => narrow.collection(name)).toThrow(`collection "${name}" belongs to Baton`);
      expect(asked).toEqual([]);
    },
  );

  test('passes the activity its own collections, the outbox and the database name, and nothing else', async () => {
    const { store, asked } = fakeStore();
    const narrow = activityStoreOf(store);
    expect(narrow.collection('orders').collectionName).toBe('orders');
    expect(asked).toEqual(['orders']);
    expect(narrow.dbName).toBe('baton_fake');
    expect(Object.keys(narrow).sort()).toEqual(['collection', 'dbName', 'recordOutbound']);
    expect(Object.isFrozen(narrow)).toBe(true);
    expect(() => narrow.collection('system.profile')).toThrow(/system collection/);
  });
});
