/**
 * `npm run probe`: the security probe (engine/probe/src/probe.ts) against a stack.
 *
 *   (no --api)        start a local stack of its own (free ports, temporary data) and probe it
 *   --api URL         probe a running API instead, as an admin given by the environment:
 *                     BATON_PROBE_API_KEY (an admin API key), or BATON_PROBE_EMAIL and BATON_PROBE_PASSWORD.
 *                     It creates one user of each staff role, a journey and two conversations there.
 *   --small           a sample of the routes per category (what CI runs)
 *   --body-limit N    the API's JSON body limit in bytes (default 1048576, BATON's 1mb)
 *   --verbose         print the local stack's output
 *
 * Prints `probe: <category> attempts=N held=N holes=N` per category, then each hole with its method,
 * path, caller and status; exits 1 on any hole.
 */
import { parseArgs } from 'node:util';
import { startChaosStack, type ChaosStack } from '../../chaos/stack';
import { runProbe } from './probe';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      api: { type: 'string' },
      small: { type: 'boolean', default: false },
      'body-limit': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const bodyLimit = values['body-limit'] === undefined ? undefined : Number(values['body-limit']);
  if (bodyLimit !== undefined && !(Number.isInteger(bodyLimit) && bodyLimit > 0))
    throw new Error(`--body-limit must be a whole number of bytes, not "${values['body-limit']}"`);
  let stack: ChaosStack | undefined;
  let api = values.api;
  let admin = {
    ...(process.env.BATON_PROBE_API_KEY && { apiKey: process.env.BATON_PROBE_API_KEY }),
    ...(process.env.BATON_PROBE_EMAIL && { email: process.env.BATON_PROBE_EMAIL }),
    ...(process.env.BATON_PROBE_PASSWORD && { password: process.env.BATON_PROBE_PASSWORD }),
  };
  if (!api) {
    console.log('probe: starting a local stack (Temporal dev server, Mongo-wire server, worker, API)…');
    stack = await startChaosStack(values.verbose ? { log: (line) => console.log(line) } : {});
    api = stack.apiUrl;
    admin = { apiKey: stack.apiKey };
  }
  try {
    console.log(`probe: ${api}${values.small ? ' (small)' : ''}`);
    const { tally } = await runProbe({
      api,
      admin,
      small: values.small,
      ...(bodyLimit !== undefined && { bodyLimit }),
    });
    for (const line of tally.lines()) console.log(line);
    return tally.holes.length > 0 ? 1 : 0;
  } finally {
    await stack?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
