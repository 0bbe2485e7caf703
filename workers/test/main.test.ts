/**
 * The worker process (workers/src/main.ts) as `baton dev` and production start it: ready line,
 * graceful shutdown on SIGTERM.
 */
import { startWorkerProcess } from '../../engine/src/dev/worker-process';
import { MongoClient } from 'mongodb';
import { requireServers, uniqueDbName } from '../../test/helpers/servers';

jest.setTimeout(180_000);

it('starts, says it is ready, registers its catalog and stops cleanly on SIGTERM', async () => {
  const servers = requireServers();
  const db = uniqueDbName('baton_test_main');
  const taskQueue = `baton-main-test-${process.pid}`;
  const worker = await startWorkerProcess({ temporalAddress: servers.temporalAddress, mongoUri: servers.mongoUri, db, taskQueue, namespace: servers.temporalNamespace });
  const client = new MongoClient(servers.mongoUri);
  try {
    expect(worker.output.toString()).toContain(`worker ready on task queue ${taskQueue}`);
    const names = (await client.db(db).collection<{ _id: string }>('activities').find({}).toArray()).map((doc) => doc._id);
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
