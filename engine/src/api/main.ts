// The API as its own process (docker-compose, production). `baton dev` starts the same thing in-process.
import { apiConfigFromEnv, startApi } from './runtime';

async function main(): Promise<void> {
  const config = apiConfigFromEnv();
  const api = await startApi(config);
  console.log(`api listening on ${api.url}`);
  const stop = async () => {
    await api.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
