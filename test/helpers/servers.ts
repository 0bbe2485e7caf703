/**
 * Helpers for tests that need the shared servers started by test/global-setup.ts.
 *
 *   const { temporalAddress, mongoUri } = requireServers();
 *   const db = client.db(uniqueDbName('store'));
 */
import { existsSync } from 'node:fs';
import { findTool, toolPath } from '@baton/cli/services';

export interface TestServers {
  /** host:port of the Temporal frontend. */
  temporalAddress: string;
  /** Temporal namespace to use ("default" unless TEMPORAL_NAMESPACE says otherwise). */
  temporalNamespace: string;
  /** MongoDB connection string without a database name. */
  mongoUri: string;
}

/** The shared servers' coordinates, or a clear error when they were not started. */
export function requireServers(): TestServers {
  const temporalAddress = process.env.TEMPORAL_ADDRESS;
  const mongoUri = process.env.MONGODB_URI;
  if (!temporalAddress || !mongoUri) {
    const why =
      process.env.BATON_TEST_SERVERS === '0'
        ? 'BATON_TEST_SERVERS=0 disabled them'
        : 'run the tests through the root jest config (`npx jest` from the repo root) so that ' +
          'test/global-setup.ts starts them, or set TEMPORAL_ADDRESS and MONGODB_URI';
    throw new Error(`This test needs Temporal and MongoDB test servers, but they are not available: ${why}.`);
  }
  return { temporalAddress, mongoUri, temporalNamespace: process.env.TEMPORAL_NAMESPACE || 'default' };
}

/**
 * Path of the time-skipping test server installed by scripts/bootstrap.sh, for
 * `TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } })`.
 */
export function temporalTestServerPath(): string {
  const path = findTool('temporal-test-server');
  if (path === undefined || !existsSync(path)) {
    throw new Error(
      `temporal-test-server not found at ${toolPath('temporal-test-server')} (nor on PATH); ` +
        'run `bash scripts/bootstrap.sh` to install it.',
    );
  }
  return path;
}

let dbCounter = 0;

/** A database name unique to this test worker and call, so test files sharing one server never collide. */
export function uniqueDbName(prefix = 'test'): string {
  dbCounter += 1;
  const worker = process.env.JEST_WORKER_ID ?? '0';
  const name = `${prefix}_${worker}_${process.pid}_${Date.now().toString(36)}_${dbCounter}`;
  return name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 63);
}
