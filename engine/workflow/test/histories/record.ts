/**
 * Records the replay histories: `npx tsx engine/workflow/test/histories/record.ts [SCENARIO…]` (all when
 * none is named; name the new one to leave the others as they were recorded).
 * Run it when you add a scenario or an example journey, never to make a failing replay pass:
 * a replay failure means running conversations would break (see docs/versions.md, "Changing the interpreter safely").
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { exampleActivities, seedDemoOrders } from '@baton/examples';
import { createBatonWorker } from '@baton/worker';
import { Conversations } from '@baton/server/client';
import { startMongoWire, startTemporalDevServer } from '@baton/cli/services';
import { seedSupportModel } from '@baton/cli/triage-publish';
import { connectStore } from '@baton/store';
import { fetchHistoryJson, playScenario, scenarios } from './scenarios';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = mkdtempSync(join(tmpdir(), 'baton-record-'));
  const temporal = await startTemporalDevServer({ uiPort: false });
  const mongo = await startMongoWire({ dataDir: join(dir, 'mongo') });
  const store = await connectStore(mongo.uri, 'baton_record');
  await seedDemoOrders(store);
  await seedSupportModel(store);
  const native = await NativeConnection.connect({ address: temporal.address });
  const worker = await createBatonWorker({
    connection: native,
    taskQueue: 'record',
    store,
    definitions: exampleActivities,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const conversations = new Conversations(client, 'record');
  const catalog = await store.listActivities();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !scenarios.some((scenario) => scenario.name === name));
  if (unknown.length > 0) throw new Error(`no such scenario: ${unknown.join(', ')}`);
  for (const scenario of scenarios.filter((candidate) => wanted.length === 0 || wanted.includes(candidate.name))) {
    const id = await playScenario(scenario, conversations, catalog, 'recorded');
    writeFileSync(
      join(__dirname, `${scenario.name}.json`),
      `${JSON.stringify(fetchHistoryJson(temporal.address, id))}\n`,
    );
    console.log(`recorded ${scenario.name}`);
  }
  worker.shutdown();
  await running;
  await Promise.all([native.close(), connection.close(), store.close()]);
  await Promise.all([temporal.stop(), mongo.stop()]);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
