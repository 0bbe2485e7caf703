import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CompiledJourney } from '@baton/schemas';
import {
  formatFailures,
  parseTestFile,
  simulate,
  type Script,
  type SimulateOptions,
  type SimulationResult,
} from '@baton/core/simulator';
import { CliError, displayPath, findFiles, loadCompiledJourney, loadJson, paint, type Io } from './io';
import { evalFileSuffix, runTriageGate } from './triage-gate';

export interface JourneyTest {
  /** The test file, as shown. */
  file: string;
  name: string;
  journeyFile: string;
  script: Script;
}

export interface TestOutcome {
  test: JourneyTest;
  passed: boolean;
  ms: number;
  journeyId?: string;
  result?: SimulationResult;
  /** A problem outside the conversation (the test file or the journey does not load). */
  error?: string;
}

export const testFileSuffix = '.test.json';

/** The journey a test runs: its `journey` field (relative to the test file), else journey.json next to it or one folder up. */
export function journeyFileFor(testFile: string, script: Pick<Script, 'journey'>): string | undefined {
  const dir = dirname(testFile);
  if (script.journey) return resolve(dir, script.journey);
  for (const candidate of [join(dir, 'journey.json'), join(dir, '..', 'journey.json')]) {
    if (existsSync(candidate)) return resolve(candidate);
  }
  return undefined;
}

/** Reads a test file: one test or a suite. Problems come back as a single failing pseudo-test. */
export function loadTestFile(file: string, cwd: string): { tests: JourneyTest[]; error?: string } {
  const shown = displayPath(file, cwd);
  const fallbackName = basename(file).slice(0, -testFileSuffix.length) || basename(file);
  const loaded = loadJson(file, cwd);
  if (!loaded.ok) return { tests: [], error: `${shown}: ${loaded.problem.message}` };
  const parsed = parseTestFile(loaded.source.value);
  if (!parsed.ok) {
    const lines = parsed.problems.map((problem) => {
      const { line } = loaded.source.locate(problem.path);
      return `${shown}:${line}: ${problem.path || '/'}: ${problem.message}`;
    });
    return { tests: [], error: `invalid test file:\n${lines.join('\n')}` };
  }
  const tests: JourneyTest[] = [];
  parsed.value.forEach((script, index) => {
    const journeyFile = journeyFileFor(file, script);
    const name = script.name ?? (parsed.value.length > 1 ? `${fallbackName} #${index + 1}` : fallbackName);
    tests.push({ file: shown, name, journeyFile: journeyFile ?? '', script: { ...script, name } });
  });
  return { tests };
}

/** Runs journey tests; one line per test, failures in detail, a summary. Exit 0 when all pass. */
export async function runTests(
  paths: readonly string[],
  options: Pick<SimulateOptions, 'activities' | 'contracts'> & { grep?: string; json?: boolean },
  io: Io,
): Promise<number> {
  const started = Date.now();
  const roots = paths.length ? paths : ['examples'];
  let files = findFiles(roots, io.cwd, (name) => name.endsWith(testFileSuffix));
  const journeys = new Map<string, { journey?: CompiledJourney; error?: string }>();
  const outcomes: TestOutcome[] = [];
  const grep = options.grep?.toLowerCase();

  const journeyOf = (file: string) => {
    let entry = journeys.get(file);
    if (!entry) {
      try {
        entry = { journey: loadCompiledJourney(file, io.cwd).journey };
      } catch (error) {
        entry = { error: error instanceof CliError ? error.message : String(error) };
      }
      journeys.set(file, entry);
    }
    return entry;
  };

  const report = (outcome: TestOutcome) => {
    outcomes.push(outcome);
    if (options.json) return;
    const label = `${outcome.journeyId ? `${outcome.journeyId} › ` : ''}${outcome.test.name}`;
    const time = paint(io, 'dim', `(${outcome.ms} ms)`);
    if (outcome.passed) {
      io.out(`  ${paint(io, 'green', '✓')} ${label} ${time}`);
      return;
    }
    io.out(`  ${paint(io, 'red', '✗')} ${label} ${time}`);
    io.out(paint(io, 'dim', `      ${outcome.test.file}`));
    if (outcome.error)
      io.out(
        outcome.error
          .split('\n')
          .map((line) => `      ${line}`)
          .join('\n'),
      );
    if (outcome.result) io.out(formatFailures(outcome.result, '      '));
  };

  // Triage quality gates (tests/<name>.eval.json) run beside the scripted conversations.
  // (A file named on the command line is returned whatever its name: keep each kind to its own list.)
  const gates = findFiles(roots, io.cwd, (name) => name.endsWith(evalFileSuffix)).filter((file) =>
    file.endsWith(evalFileSuffix),
  );
  files = files.filter((file) => !file.endsWith(evalFileSuffix));
  if (files.length === 0 && gates.length === 0) {
    io.err(`no journey tests (*${testFileSuffix}) under ${roots.join(', ')}`);
    return 1;
  }

  for (const file of files) {
    const loaded = loadTestFile(file, io.cwd);
    const shown = displayPath(file, io.cwd);
    if (loaded.error) {
      report({
        test: {
          file: shown,
          name: basename(file).slice(0, -testFileSuffix.length),
          journeyFile: '',
          script: { steps: [] },
        },
        passed: false,
        ms: 0,
        error: loaded.error,
      });
      continue;
    }
    for (const test of loaded.tests) {
      if (grep && !`${test.file} ${test.name}`.toLowerCase().includes(grep)) continue;
      if (!test.journeyFile) {
        report({
          test,
          passed: false,
          ms: 0,
          error: 'no journey: give the test a "journey" path, or put it next to (or in a folder under) a journey.json',
        });
        continue;
      }
      const { journey, error } = journeyOf(test.journeyFile);
      if (!journey) {
        report({ test, passed: false, ms: 0, error: error ?? 'the journey does not load' });
        continue;
      }
      const begin = Date.now();
      const result = await simulate(journey, test.script, {
        activities: options.activities,
        ...(options.contracts && { contracts: options.contracts }),
      });
      report({ test, passed: result.passed, ms: Date.now() - begin, journeyId: journey.id, result });
    }
  }

  for (const gate of gates) {
    const result = await runTriageGate(gate, io);
    if (grep && !`${result.file} ${result.name}`.toLowerCase().includes(grep)) continue;
    const test = { file: result.file, name: result.name, journeyFile: '', script: { steps: [] } };
    report({ test, passed: result.passed, ms: result.ms, ...(!result.passed && { error: result.lines.join('\n') }) });
  }

  const passed = outcomes.filter((o) => o.passed).length;
  const failed = outcomes.length - passed;
  const ms = Date.now() - started;
  if (options.json) {
    io.out(
      JSON.stringify(
        outcomes.map((o) => ({
          file: o.test.file,
          name: o.test.name,
          journey: o.journeyId ?? null,
          passed: o.passed,
          ms: o.ms,
          ...(o.error !== undefined && { error: o.error }),
          ...(o.result && { outcome: o.result.outcome, failures: o.result.failures }),
        })),
        null,
        2,
      ),
    );
  } else {
    const summary = `${passed} passed${failed ? `, ${failed} failed` : ''}, ${outcomes.length} test${outcomes.length === 1 ? '' : 's'} in ${files.length + gates.length} file${files.length + gates.length === 1 ? '' : 's'} (${ms} ms)`;
    io.out('');
    io.out(failed ? paint(io, 'red', `✗ ${summary}`) : paint(io, 'green', `✓ ${summary}`));
  }
  if (outcomes.length === 0) {
    io.err(`no test matches "${options.grep}"`);
    return 1;
  }
  return failed ? 1 : 0;
}
