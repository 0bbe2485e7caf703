import { relative } from 'node:path';
import type { Command } from 'commander';
import { batonHome, repoRoot } from './services/paths';

interface DevOptions {
  apiPort: string;
  temporalPort: string;
  uiPort: string;
  mongoPort: string;
  seed: boolean;
  verbose?: boolean;
}

/**
 * `baton dev`: the whole stack on one machine (Temporal dev server with its UI, a Mongo-wire
 * server, the worker, the API serving the web app), its URLs, and a clean stop on Ctrl-C.
 */
export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description(
      'start the embedded stack (Temporal dev server, MongoDB-compatible server, worker, API, designer) and print the URLs',
    )
    .option('--api-port <port>', 'API and web app port', '4000')
    .option('--temporal-port <port>', 'Temporal frontend port', '7233')
    .option('--ui-port <port>', 'Temporal web UI port', '8233')
    .option('--mongo-port <port>', 'Mongo-wire server port', '27017')
    .option('--no-seed', 'do not publish the example journeys')
    .option('--verbose', 'print the worker and server output')
    .action(async (options: DevOptions) => {
      const print = (line: string) => process.stdout.write(`${line}\n`);
      print('starting Temporal, the Mongo-wire server, the worker and the API...');
      // Loaded here so that the other commands do not pay for the server stack.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startDevStack } = require('./dev/stack') as typeof import('./dev/stack');
      const stack = await startDevStack({
        apiPort: Number(options.apiPort),
        temporalPort: Number(options.temporalPort),
        temporalUiPort: Number(options.uiPort),
        mongoPort: Number(options.mongoPort),
        seedExamples: options.seed,
        log: (line) => {
          if (options.verbose || /\b(error|panic|fatal)\b|failed/i.test(line)) print(`  ${line}`);
        },
        announce: print,
      });
      const data = relative(process.cwd(), batonHome()) || batonHome();
      print('');
      print('Baton is running');
      print(
        `  web app                    ${stack.apiUrl}/  (journeys #/journeys, inbox #/inbox, dashboard #/dashboard)`,
      );
      print(`  chat widget demo           ${stack.apiUrl}/demo/`);
      print(`  API                        ${stack.apiUrl}/api  (health: ${stack.apiUrl}/api/health)`);
      if (stack.temporalUiUrl) print(`  Temporal UI                ${stack.temporalUiUrl}`);
      print(
        `  Temporal                   ${stack.temporalAddress}${process.env.TEMPORAL_ADDRESS ? '' : `  (dev server, data in ${data}/data/temporal.sqlite)`}`,
      );
      print(
        `  MongoDB                    ${stack.mongoUri}  (${stack.mongoKind}${stack.mongoKind === 'ferretdb' ? `, data in ${data}/data/mongo` : ''})`,
      );
      if (stack.seeded.length) print(`  examples published         ${stack.seeded.join(', ')}`);
      print('');
      print('Start a conversation:');
      print(`  curl -s -X POST ${stack.apiUrl}/api/conversations -H 'content-type: application/json' \\`);
      print(`    -d '{"journeyId":"password-reset","customer":{"id":"c1","name":"Ana","email":"ana@example.com"}}'`);
      print(
        `Every conversation is printed below with the link to its history in the Temporal UI. Ctrl-C stops everything.`,
      );
      print(`(repository: ${repoRoot()})`);

      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        print(`\n${signal}: stopping the API, the worker and the servers...`);
        await stack.stop();
        print('stopped; conversations are kept and go on at the next start');
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });
}
