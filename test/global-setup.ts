/**
 * Jest globalSetup: starts ONE Temporal dev server (headless, in-memory) and ONE
 * MongoDB wire server (MONGODB_URI, mongod or FerretDB, data in a temp dir) for
 * the whole run, and exposes them to test workers through process.env:
 *   TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, MONGODB_URI, BATON_TEST_SERVERS=1.
 * An existing TEMPORAL_ADDRESS / MONGODB_URI is used instead of starting a server.
 * BATON_TEST_SERVERS=0 skips all of this; BATON_TEST_SERVERS_LOG=1 echoes server output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectOrStartTemporal,
  startMongoWire,
  type MongoWireServer,
  type TemporalServerHandle,
} from '@baton/cli/services';
import { bundleBatonWorkflows } from '@baton/worker';
import { hasState, setState, type TestServersState } from './helpers/state';

const ENV_KEYS = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'MONGODB_URI',
  'BATON_TEST_SERVERS',
  'BATON_TEST_WORKFLOW_BUNDLE',
] as const;

/** Webpack's bundling notes are noise in a test run; its errors still fail the bundle (each file then bundles its own). */
const quietBundleLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

export default async function globalSetup(): Promise<void> {
  // The integration and e2e projects share one pair of servers: the second project's setup finds them.
  if (hasState()) return;
  if (process.env.BATON_TEST_SERVERS === '0') {
    process.stderr.write('baton test servers: skipped (BATON_TEST_SERVERS=0)\n');
    return;
  }

  const savedEnv: Record<string, string | undefined> = {};
  for (const key of ENV_KEYS) savedEnv[key] = process.env[key];

  const dir = mkdtempSync(join(tmpdir(), 'baton-test-'));
  const log = process.env.BATON_TEST_SERVERS_LOG ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const t0 = Date.now();

  const [temporal, mongo, bundle] = await Promise.allSettled([
    connectOrStartTemporal({
      uiPort: false,
      log,
      // Temporal deletes an execution only once its queues' ack levels pass the close, and moves them
      // every 30 s by default: erasure tests would wait up to a minute for a deletion to show.
      extraArgs: [
        '--dynamic-config-value',
        'history.transferProcessorUpdateAckInterval="1s"',
        '--dynamic-config-value',
        'history.visibilityProcessorUpdateAckInterval="1s"',
      ],
    }),
    startMongoWire({ dataDir: join(dir, 'mongo'), log }),
    // Bundled once for the run: each test file bundling its own cost seconds and kept webpack's
    // memory alive in the one in-band process (test/helpers/stack.ts sharedWorkflowBundle reads it).
    bundleBatonWorkflows({ logger: quietBundleLogger }),
  ]);
  if (bundle.status === 'fulfilled') {
    const bundlePath = join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, bundle.value.code);
    process.env.BATON_TEST_WORKFLOW_BUNDLE = bundlePath;
  }

  if (temporal.status === 'rejected' || mongo.status === 'rejected') {
    const stops: Promise<void>[] = [];
    if (temporal.status === 'fulfilled') stops.push(temporal.value.stop());
    if (mongo.status === 'fulfilled') stops.push(mongo.value.stop());
    await Promise.allSettled(stops);
    rmSync(dir, { recursive: true, force: true });
    const reasons = [temporal, mongo]
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => (r.reason instanceof Error ? r.reason.message : String(r.reason)));
    throw new Error(
      `Baton test servers failed to start (run \`bash scripts/bootstrap.sh\` first; ` +
        `BATON_TEST_SERVERS=0 skips them):\n${reasons.join('\n\n')}`,
    );
  }

  const t: TemporalServerHandle = temporal.value;
  const m: MongoWireServer = mongo.value;
  process.env.TEMPORAL_ADDRESS = t.address;
  process.env.TEMPORAL_NAMESPACE = t.namespace;
  process.env.MONGODB_URI = m.uri;
  process.env.BATON_TEST_SERVERS = '1';

  const state: TestServersState = { temporal: t, mongo: m, dir, savedEnv };
  setState(state);
  process.stderr.write(
    `baton test servers: temporal ${t.address} (${t.kind}), mongo ${m.uri} (${m.kind}) ` +
      `ready in ${Date.now() - t0} ms\n`,
  );
}
