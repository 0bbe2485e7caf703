// The API as its own process (docker-compose, production). `baton dev` starts the same thing in-process.
// SIGTERM / SIGINT: stop accepting connections, end event streams, let in-flight requests finish
// (BATON_SHUTDOWN_GRACE_MS, default 30 s), close Temporal and MongoDB, exit 0.
import { apiConfigFromEnv, startApi } from './runtime';

async function main(): Promise<void> {
  const config = apiConfigFromEnv();
  const api = await startApi(config);
  console.log(`api listening on ${api.url}`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`api stopping (${signal}): finishing in-flight requests`);
    api.close().then(
      () => {
        console.log('api stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('api did not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
