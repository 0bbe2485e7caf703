import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';
import { batonHome, freePort, toolPath } from '../src/services';

describe('local services started by the jest global setup', () => {
  const servers = requireServers();

  it('exposes them through the environment', () => {
    expect(process.env.BATON_TEST_SERVERS).toBe('1');
    expect(servers.temporalAddress).toMatch(/^[\w.-]+:\d+$/);
    expect(servers.mongoUri).toMatch(/^mongodb(\+srv)?:\/\//);
  });

  it('MongoDB answers ping, insert and find', async () => {
    const client = new MongoClient(servers.mongoUri);
    try {
      await client.connect();
      const db = client.db(uniqueDbName('services'));
      expect((await db.command({ ping: 1 })).ok).toBe(1);
      const coll = db.collection<{ _id: string; n: number }>('things');
      await coll.insertOne({ _id: 'a', n: 1 });
      await coll.insertMany([
        { _id: 'b', n: 2 },
        { _id: 'c', n: 3 },
      ]);
      const found = await coll
        .find({ n: { $gte: 2 } })
        .sort({ n: 1 })
        .toArray();
      expect(found).toEqual([
        { _id: 'b', n: 2 },
        { _id: 'c', n: 3 },
      ]);
      await db.dropDatabase();
    } finally {
      await client.close();
    }
  });

  it('Temporal answers describeNamespace for the default namespace', async () => {
    const connection = await Connection.connect({ address: servers.temporalAddress });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.capabilities).toBeDefined();
      const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
  });
});

describe('service helpers', () => {
  it('freePort returns a bindable port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });

  it('toolPath lives under batonHome()/bin', () => {
    expect(toolPath('temporal')).toBe(`${batonHome()}/bin/temporal`);
  });
});
