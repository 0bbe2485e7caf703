/**
 * The Store facade and the per-record stores it exposes write the same records: a caller may move
 * from `store.publishVersion` to `store.journeys.publishVersion` (and so on) without a change of data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journey } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import { connectStore, type Store } from '../src';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';

const sourcePath = join(__dirname, '../../../examples/password-reset/journey.json');

let store: Store;

beforeAll(async () => {
  store = await connectStore(requireServers().mongoUri, uniqueDbName('baton_test_facade'));
});

afterAll(async () => {
  if (store) {
    await store.collection('journeys').db.dropDatabase();
    await store.close();
  }
});

test('a version published through the journeys store is the facade’s, with its live alias', async () => {
  const source = { ...Journey.parse(JSON.parse(readFileSync(sourcePath, 'utf8'))), id: 'facade-reset' };
  const result = compileJourney(source);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  const published = await store.journeys.publishVersion({ journeyId: source.id, source, compiled: result.journey });
  expect(published).toMatchObject({ version: 1, created: true });
  expect((await store.getVersion(source.id))?.version).toBe(1);
  expect(await store.listVersions(source.id)).toEqual(await store.journeys.listVersions(source.id));
  expect((await store.aliases.getAlias(source.id, 'live'))?.routes).toEqual([{ version: 1, percent: 100 }]);
  expect(await store.getAlias(source.id, 'live')).toEqual(await store.aliases.getAlias(source.id, 'live'));
});

test('the other modules’ stores are on the same database', async () => {
  expect(await store.auth.countUsers()).toBe(0);
  expect(await store.routing.listQueues()).toEqual([]);
  expect(await store.tickets.listTickets()).toEqual(await store.listTickets());
  const { created } = await store.outbox.recordOutbound({
    idempotencyKey: 'facade-1',
    channel: 'log',
    to: 'ann@example.com',
    subject: 'Hi',
    body: 'Hello',
  });
  expect(created).toBe(true);
  expect((await store.listOutbound()).map((message) => message.idempotencyKey)).toEqual(['facade-1']);
});
