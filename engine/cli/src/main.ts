import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { SimulateOptions } from '@baton/core/simulator';
import { runAlias, type AliasOptions } from './alias';
import { registerDevCommand } from './dev';
import { runExportConversations, type ExportOptions } from './export';
import { runFmt } from './fmt';
import { runIdentitySign, type IdentitySignOptions } from './identity';
import { runDiff, type DiffOptions } from './diff';
import { CliError, diagnosticLine, displayPath, loadCompiledJourney, processIo, type Io } from './io';
import { runKbExport, runKbImport } from './kb';
import { runMigrate } from './migrate';
import { runPublish } from './publish';
import { runPull } from './pull';
import { runRetention, type RetentionRunOptions } from './retention';
import { runSchema } from './schema';
import { runSimulate } from './simulate';
import { runTests } from './test-runner';
import { runTriage } from './triage';
import { registerTriageTraining } from './triage-command';
import { registerTriagePublish } from './triage-publish';
import { runValidate, type ValidateFormat } from './validate';

/**
 * The simulator's activities with the embedded AI provider and the activities' contracts, loaded on
 * first use (only `test` and `simulate` need them).
 */
function simulatorHost(): Pick<SimulateOptions, 'activities' | 'contracts'> {
  const { createCliActivities, loadEmbeddedClassifier, contractsOf } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./activities') as typeof import('./activities');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { catalogDefinitions } = require('./catalog') as typeof import('./catalog');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { kbArticlesFile, lazyKbIndex } = require('./kb-answer') as typeof import('./kb-answer');
  return {
    activities: createCliActivities(loadEmbeddedClassifier(), lazyKbIndex(kbArticlesFile())),
    contracts: contractsOf(catalogDefinitions()),
  };
}

function compileCommand(file: string, options: { out?: string }, io: Io): number {
  const { journey, warnings } = loadCompiledJourney(file, io.cwd);
  for (const warning of warnings) io.err(diagnosticLine(displayPath(file, io.cwd), warning));
  const text = `${JSON.stringify(journey, null, 2)}\n`;
  if (options.out) {
    writeFileSync(resolve(io.cwd, options.out), text);
    io.err(`wrote ${displayPath(options.out, io.cwd)} (${journey.id}, hash ${journey.hash.slice(0, 12)})`);
  } else {
    io.out(text);
  }
  return 0;
}

/** The `baton` program. Each action records its exit code in `state.code`. */
export function buildProgram(io: Io = processIo(), state: { code: number } = { code: 0 }): Command {
  const run = (action: () => number | Promise<number>) => async () => {
    try {
      state.code = await action();
    } catch (error) {
      if (error instanceof CliError) {
        io.err(error.message);
        state.code = error.exitCode;
      } else {
        throw error;
      }
    }
  };

  const program = new Command()
    .name('baton')
    .description(
      'Baton: customer-support journeys on Temporal. Validate, format, test, simulate, diff and publish journey files.',
    )
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run `npx baton --help` for usage)')
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    });

  registerDevCommand(program);

  const triageCommand = program
    .command('triage')
    .description(
      'triage JSON lines {"text": …} from FILE or stdin: one JSON line each (intent, confidence, outOfScope, sentiment, escalate, reasons); exit 1 if a line is bad. Subcommands: train, eval',
    )
    .argument('[file]', 'JSON-lines file (stdin when absent or -)')
    .option('--model <file>', 'a model file from `baton triage train` (default: the built-in model)')
    .action((file: string | undefined, options: { model?: string }) =>
      run(() => runTriage(file, io, undefined, options))(),
    );
  // `triage eval --model` is the subcommand's own option, not the parent's (commander needs both levels positional).
  program.enablePositionalOptions();
  triageCommand.enablePositionalOptions();
  registerTriageTraining(triageCommand, run, io);
  registerTriagePublish(triageCommand, run, io);

  program
    .command('validate')
    .description(
      'check journey files; one line per problem (file:node:/json/pointer: severity: message); exit 1 on errors',
    )
    .argument('<files...>', 'journey files, or folders holding journey.json / *.journey.json')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .action((files: string[], options: { format: ValidateFormat }) => run(() => runValidate(files, options, io))());

  program
    .command('compile')
    .description('print the compiled journey (what a conversation runs) as JSON')
    .argument('<file>', 'journey file')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action((file: string, options: { out?: string }) => run(() => compileCommand(file, options, io))());

  program
    .command('fmt')
    .description('rewrite journey files in canonical form (stable key order, 2-space indentation) for clean diffs')
    .argument('<files...>', 'journey files, or folders holding journey.json / *.journey.json')
    .option('--check', 'change nothing; list the files that are not canonical and exit 1 if any')
    .action((files: string[], options: { check?: boolean }) => run(() => runFmt(files, options, io))());

  program
    .command('test')
    .description('run journey tests (*.test.json) in the simulator; exit 1 if one fails')
    .argument('[paths...]', 'test files or folders (default: examples)')
    .option('-g, --grep <text>', 'only the tests whose file or name contains this text')
    .option('--json', 'print the results as JSON')
    .action((paths: string[], options: { grep?: string; json?: boolean }) =>
      run(() => runTests(paths, { ...options, ...simulatorHost() }, io))(),
    );

  program
    .command('simulate')
    .description('run scripted conversations against a journey and print the transcript and the path')
    .argument('<file>', 'journey file')
    .requiredOption('-s, --script <script>', 'script (a journey test file)')
    .option('--json', 'print the results as JSON')
    .option('--no-calls', 'leave activity calls out of the transcript')
    .action((file: string, options: { script: string; json?: boolean; calls?: boolean }) =>
      run(() => runSimulate(file, { ...options, ...simulatorHost() }, io))(),
    );

  program
    .command('diff')
    .description(
      'semantic diff of two journeys (files, or journey@version / journey@alias published on the API): nodes, connections, variables; layout apart',
    )
    .argument('<a>', 'the journey before: a file, journey@version or journey@alias (password-reset@live)')
    .argument('<b>', 'the journey after: a file, journey@version or journey@alias')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--exit-code', 'exit 1 when the logic differs')
    .option('--api <url>', 'API base URL for journey@version (default: $BATON_API_URL or http://127.0.0.1:4000)')
    .option('--server <url>', 'the same as --api')
    .action((a: string, b: string, options: DiffOptions) => run(() => runDiff(a, b, options, io))());

  program
    .command('migrate')
    .description('upgrade journey files to the current schemaVersion and write them in canonical form')
    .argument('<files...>', 'journey files, or folders holding journey.json / *.journey.json')
    .option('--check', 'change nothing; list what would change and exit 1 if anything would')
    .action((files: string[], options: { check?: boolean }) => run(() => runMigrate(files, options, io))());

  program
    .command('publish')
    .description('save a journey file as the draft on a running API and publish it; prints id@version')
    .argument('<file>', 'journey file')
    .option('--api <url>', 'API base URL (default: $BATON_API_URL or http://127.0.0.1:4000)')
    .option('-m, --message <text>', 'what changed in this version')
    .option('--author <name>', 'who publishes')
    .action((file: string, options: { api?: string; message?: string; author?: string }) =>
      run(() => runPublish(file, options, io))(),
    );

  program
    .command('retention')
    .description('retention of ended conversations (Settings → Data retention)')
    .command('run')
    .description('trigger the daily retention run now; --dry-run lists what it would redact, changing nothing')
    .option('--dry-run', 'list what a run would redact now (per journey rule: count and the first ids)')
    .option('--limit <n>', 'ids listed per rule in a dry run (1–1000)', '20')
    .option('--api <url>', 'API base URL (default: $BATON_API_URL or http://127.0.0.1:4000)')
    .action((options: RetentionRunOptions) => run(() => runRetention(options, io))());

  program
    .command('alias')
    .description(
      'point an alias (e.g. live) at a version, optionally with a canary share on another; roll it back; show or list aliases',
    )
    .argument('<journey>', 'journey id')
    .argument('[alias]', "alias name (e.g. live); without it, lists the journey's aliases")
    .argument('[version]', 'the version the alias points at; without it (and without --rollback), shows the alias')
    .option('--canary <version:percent>', 'send this share of new conversations to another version, e.g. 3:10')
    .option('--rollback', 'move the alias back to its previous routes')
    .option('--api <url>', 'API base URL (default: $BATON_API_URL or http://127.0.0.1:4000)')
    .option('--author <name>', 'who makes the change (kept in the alias history)')
    .action((journey: string, alias: string | undefined, version: string | undefined, options: AliasOptions) =>
      run(() => runAlias(journey, alias, version, options, io))(),
    );

  program
    .command('pull')
    .description(
      'write the latest published version of every journey on a running API as DIR/<id>/journey.json (canonical form)',
    )
    .argument('[dir]', 'folder to write into', '.')
    .option('--api <url>', 'API base URL (default: $BATON_API_URL or http://127.0.0.1:4000)')
    .action((dir: string, options: { api?: string }) => run(() => runPull(dir, options, io))());

  const kb = program
    .command('kb')
    .description('the knowledge base: import articles from files, export them as Markdown');
  kb.command('import')
    .description(
      'create or replace articles from Markdown/HTML files (front matter: id, title, audience, tags, locale, link) and CSV question,answer[,audience,tags] files; all files are checked before anything is sent',
    )
    .argument('<paths...>', 'files or folders')
    .option('--api <url>', 'API base URL (default: $BATON_API_URL or http://127.0.0.1:4000)')
    .action((paths: string[], options: { api?: string }) => run(() => runKbImport(paths, options, io))());
  kb.command('export')
    .description('write every article as DIR/<id>.md with its front matter (imports back to the same articles)')
    .argument('<dir>', 'folder to write into')
    .option('--api <url>', 'API base URL (default: $BATON_API_URL or http://127.0.0.1:4000)')
    .action((dir: string, options: { api?: string }) => run(() => runKbExport(dir, options, io))());

  program
    .command('export')
    .description('export data from a running API as JSON lines')
    .command('conversations')
    .description(
      'the stored conversations that started in [--from, --to) as JSON lines (transcript, path, outcome, handoffs, survey; secrets hidden), streamed; needs the admin role',
    )
    .requiredOption('--from <date>', 'ISO 8601 date or date-time, inclusive (e.g. 2026-01-01)')
    .requiredOption('--to <date>', 'ISO 8601 date or date-time, exclusive; at most 366 days after --from')
    .option('--journey <id>', 'only conversations of this journey')
    .option('-o, --out <file>', 'write to FILE (FILE.partial until the export is whole) instead of stdout')
    .option('--api <url>', 'API base URL (default: $BATON_API_URL or http://127.0.0.1:4000)')
    .action((options: ExportOptions) => run(() => runExportConversations(options, io))());

  program
    .command('identity')
    .description("identity tokens: a host site's signed word for who its customer is (docs/security.md)")
    .command('sign')
    .description(
      'print an identity token for CUSTOMER (JSON: id, name, email, tier, …), signed with $BATON_IDENTITY_SECRETS or $BATON_IDENTITY_SECRET',
    )
    .argument('<customer>', 'the customer as JSON, e.g. \'{"id":"u-42","tier":"vip"}\'')
    .requiredOption('--site <site>', 'the host site that vouches')
    .option('--ttl <seconds>', 'seconds until it expires', '600')
    .action((customer: string, options: IdentitySignOptions) => run(() => runIdentitySign(customer, options, io))());

  program
    .command('schema')
    .description('print the journey JSON Schema')
    .option('-o, --out <file>', 'write it to a file (e.g. schemas/journey.schema.json)')
    .action((options: { out?: string }) => run(() => runSchema(options, io))());

  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[] = process.argv, io: Io = processIo()): Promise<number> {
  const state = { code: 0 };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.err(`baton: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 70;
  }
  return state.code || (typeof process.exitCode === 'number' ? process.exitCode : 0);
}
