import type { Command } from 'commander';

/**
 * `baton dev`: starts the embedded stack (Temporal dev server, MongoDB-compatible server, worker,
 * API, designer) and prints the URLs. Placeholder: the lead replaces this body.
 */
export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description('start the embedded stack (Temporal dev server, MongoDB-compatible server, worker, API, designer) and print the URLs')
    .action(() => {
      process.stderr.write('baton dev is not yet available\n');
      process.exitCode = 1;
    });
}
