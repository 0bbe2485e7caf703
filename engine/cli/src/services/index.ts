/**
 * Local services for `baton dev` and the test suite: a Temporal dev server
 * (the `temporal` CLI) and a MongoDB wire-protocol server (MONGODB_URI,
 * `mongod`, or the embedded FerretDB built by scripts/bootstrap.sh).
 *
 * Binaries live in `<batonHome()>/bin`, installed by `bash scripts/bootstrap.sh`.
 * Child processes are terminated when this process exits, and the last lines
 * of their output are included in startup errors.
 */
export { batonHome, findTool, repoRoot, toolPath, which } from './paths';
export { freePort } from './ports';
export { RingBuffer, spawnManaged } from './process';
export type { ExitInfo, LogFn, ManagedProcess, SpawnManagedOptions } from './process';
export { connectOrStartTemporal, startTemporalDevServer, waitForTemporal } from './temporal';
export type { TemporalDevServer, TemporalDevServerOptions, TemporalServerHandle } from './temporal';
export { startMongoWire, waitForMongo } from './mongo';
export type { MongoWireKind, MongoWireOptions, MongoWireServer } from './mongo';
