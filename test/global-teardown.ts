/** Jest globalTeardown: stops the servers started by test/global-setup.ts. */
import { rmSync } from 'node:fs';
import { takeState } from './helpers/state';

export default async function globalTeardown(): Promise<void> {
  const state = takeState();
  if (state === undefined) return;
  await Promise.allSettled([state.temporal.stop(), state.mongo.stop()]);
  rmSync(state.dir, { recursive: true, force: true });
  // Restore the environment (matters for jest --watch, which re-runs globalSetup).
  for (const [key, value] of Object.entries(state.savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}
