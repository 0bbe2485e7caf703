/** Hand-off between test/global-setup.ts and test/global-teardown.ts (same process). */
import type { MongoWireServer, TemporalServerHandle } from '@baton/cli/services';

export interface TestServersState {
  temporal: TemporalServerHandle;
  mongo: MongoWireServer;
  /** Temp dir holding the servers' data; removed on teardown. */
  dir: string;
  /** process.env values before globalSetup changed them. */
  savedEnv: Record<string, string | undefined>;
}

const KEY = Symbol.for('baton.testServers');
type Holder = { [KEY]?: TestServersState };

export function setState(state: TestServersState): void {
  (globalThis as Holder)[KEY] = state;
}

export function hasState(): boolean {
  return (globalThis as Holder)[KEY] !== undefined;
}

export function takeState(): TestServersState | undefined {
  const holder = globalThis as Holder;
  const state = holder[KEY];
  delete holder[KEY];
  return state;
}
