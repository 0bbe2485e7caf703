/**
 * The worker process (workers/worker/src/main.ts) as `baton dev` and production start it: ready line,
 * graceful shutdown on SIGTERM.
 */
import { startWorkerProcess } from '@baton/cli/dev/worker-process';
import { MongoClient } from 'mongodb';
import { connectStore } from '@baton/store';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';

jest.setTimeout(180_000);

it('starts, says it is ready, registers its catalog and stops cleanly on SIGTERM', async () => {
  const servers = requireServers();
  const db = uniqueDbName('baton_test_main');
  const taskQueue = `baton-main-test-${process.pid}`;
  const worker = await startWorkerProcess({
    temporalAddress: servers.temporalAddress,
    mongoUri: servers.mongoUri,
    db,
    taskQueue,
    namespace: servers.temporalNamespace,
  });
  const client = new MongoClient(servers.mongoUri);
  try {
    expect(worker.output.toString()).toContain(`worker ready on task queue ${taskQueue}`);
    const names = (await client.db(db).collection<{ _id: string }>('activities').find({}).toArray()).map(
      (doc) => doc._id,
    );
    expect(names).toEqual(expect.arrayContaining(['baton.classify', 'accounts.sendResetLink', 'orders.lookup']));
    await worker.stop(30_000);
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 0 });
    expect(worker.output.toString()).toContain('worker stopped');
  } finally {
    await worker.stop();
    await client.db(db).dropDatabase();
    await client.close();
  }
});

it('in activities mode runs only the custom activities, announced with its task queue', async () => {
  const servers = requireServers();
  const db = uniqueDbName('baton_test_main_act');
  const taskQueue = `team-main-test-${process.pid}`;
  const worker = await startWorkerProcess({
    temporalAddress: servers.temporalAddress,
    mongoUri: servers.mongoUri,
    db,
    taskQueue,
    namespace: servers.temporalNamespace,
    env: { BATON_WORKER_MODE: 'activities', BATON_ACTIVITY_MODULES: '@baton/examples' },
  });
  const client = new MongoClient(servers.mongoUri);
  try {
    expect(worker.output.toString()).toContain(
      `activity worker ready on task queue ${taskQueue}: accounts.sendResetLink, orders.lookup, payments.refund`,
    );
    const store = await connectStore(servers.mongoUri, db, { ensureIndexes: false });
    const catalog = await store.listActivities().finally(() => store.close());
    expect(catalog.map((manifest) => [manifest.name, manifest.taskQueue])).toEqual([
      ['accounts.sendResetLink', taskQueue],
      ['orders.lookup', taskQueue],
      ['payments.refund', taskQueue],
    ]);
    await worker.stop(30_000);
    expect(await worker.exited).toMatchObject({ code: 0 });
  } finally {
    await worker.stop();
    await client.db(db).dropDatabase();
    await client.close();
  }
});

it('refuses an unknown worker mode', async () => {
  const servers = requireServers();
  await expect(
    startWorkerProcess({
      temporalAddress: servers.temporalAddress,
      mongoUri: servers.mongoUri,
      db: uniqueDbName('baton_test_main_bad'),
      env: { BATON_WORKER_MODE: 'workflows' },
    }),
  ).rejects.toThrow(/BATON_WORKER_MODE must be "all" or "activities", not "workflows"/);
});
