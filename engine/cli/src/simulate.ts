import {
  formatFailures,
  formatSummary,
  formatTranscript,
  parseTestFile,
  simulate,
  type SimulateOptions,
} from '@baton/core/simulator';
import { CliError, displayPath, loadCompiledJourney, loadJson, paint, type Io } from './io';

/**
 * `baton simulate FILE --script SCRIPT`: runs scripted conversations (a test file: one test or a
 * suite) against the journey FILE and prints each transcript and path. Expectations in the script
 * are checked too; exit 1 when one fails.
 */
export async function runSimulate(
  file: string,
  options: Pick<SimulateOptions, 'activities' | 'contracts'> & { script: string; json?: boolean; calls?: boolean },
  io: Io,
): Promise<number> {
  const { journey } = loadCompiledJourney(file, io.cwd);
  const shownScript = displayPath(options.script, io.cwd);
  const loaded = loadJson(options.script, io.cwd);
  if (!loaded.ok) throw new CliError(`${shownScript}: ${loaded.problem.message}`, 1);
  const parsed = parseTestFile(loaded.source.value);
  if (!parsed.ok) {
    throw new CliError(
      `${shownScript} is not a valid script:\n${parsed.problems.map((p) => `  ${p.path || '/'}: ${p.message}`).join('\n')}`,
      1,
    );
  }
  let failed = 0;
  const results = [];
  for (const script of parsed.value) {
    const result = await simulate(journey, script, {
      activities: options.activities,
      ...(options.contracts && { contracts: options.contracts }),
    });
    results.push(result);
    if (!result.passed) failed += 1;
    if (options.json) continue;
    if (parsed.value.length > 1 || script.name) io.out(paint(io, 'bold', `── ${script.name ?? 'conversation'} ──`));
    io.out(formatTranscript(result, { calls: options.calls ?? true }));
    io.out('');
    io.out(formatSummary(result));
    if (!result.passed) {
      io.out('');
      io.out(paint(io, 'red', 'Expectations failed:'));
      io.out(formatFailures(result, '  '));
    }
    io.out('');
  }
  if (options.json) {
    io.out(
      JSON.stringify(
        results.map((r) => ({
          name: r.name ?? null,
          passed: r.passed,
          outcome: r.outcome,
          status: r.status,
          path: r.path,
          transcript: r.transcript,
          variables: r.variables,
          activityCalls: r.activityCalls,
          tickets: r.tickets,
          failures: r.failures,
        })),
        null,
        2,
      ),
    );
  }
  return failed ? 1 : 0;
}
