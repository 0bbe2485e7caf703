import { existsSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { journeySchemaUrl } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import { formatJourney } from '@baton/core/compiler';
import { upgradeJourney } from '@baton/core/compiler';
import { repoRoot } from './services/paths';
import { diagnosticLine, displayPath, findFiles, loadJson, paint, type Io } from './io';
import { isJourneyFileName } from './validate';

export interface MigrateOptions {
  check?: boolean;
}

/**
 * The `$schema` a file gets when it is upgraded: the path of `schemas/journey.schema.json` relative
 * to the file when the file is inside the repository (as the examples have it:
 * `../../schemas/journey.schema.json`), else (or when the repository has no such file) the published URL.
 */
export function schemaRefFor(file: string, root: string = repoRoot()): string {
  const absolute = resolve(file);
  const schemaFile = join(root, 'schemas', 'journey.schema.json');
  const inRepo = relative(root, absolute);
  if (!inRepo || inRepo.startsWith('..') || isAbsolute(inRepo) || !existsSync(schemaFile)) return journeySchemaUrl;
  return relative(dirname(absolute), schemaFile).split(sep).join('/');
}

/**
 * `baton migrate FILE… [--check]`: upgrades journey files to the current `schemaVersion` (see
 * compiler/upgrade.ts) and writes them in canonical form; one line per file, `upgraded from
 * schemaVersion X` or `already current`. With `--check`, writes nothing and exits 1 when any file
 * would change. A file from a newer Baton, or one that is not JSON, is an error (exit 1).
 */
export function runMigrate(files: readonly string[], options: MigrateOptions, io: Io): number {
  const paths = findFiles(files, io.cwd, isJourneyFileName);
  let failed = 0;
  let upgraded = 0;
  let current = 0;
  const changed: string[] = [];
  for (const file of paths) {
    const shown = displayPath(file, io.cwd);
    const loaded = loadJson(file, io.cwd);
    if (!loaded.ok) {
      io.err(diagnosticLine(shown, loaded.problem));
      failed += 1;
      continue;
    }
    const result = upgradeJourney(loaded.source.value, { schemaRef: schemaRefFor(resolve(io.cwd, file)) });
    if ('error' in result) {
      io.err(
        diagnosticLine(shown, { severity: 'error', code: 'schema_version', path: result.path, message: result.error }),
      );
      failed += 1;
      continue;
    }
    const text = formatJourney(result.journey);
    const rewrites = text !== loaded.text;
    if (rewrites) changed.push(shown);
    const isUpgrade = result.from < result.to;
    if (isUpgrade) upgraded += 1;
    else current += 1;

    let line: string;
    if (isUpgrade)
      line = `${options.check ? 'would upgrade' : 'upgraded'} from schemaVersion ${result.from} to ${result.to}`;
    else
      line = `already current (schemaVersion ${result.to})${rewrites ? (options.check ? ', not in canonical form' : ', rewritten in canonical form') : ''}`;
    io.out(`${shown}: ${isUpgrade ? paint(io, 'green', line) : line}`);

    if (rewrites && !options.check) {
      try {
        writeFileSync(resolve(io.cwd, file), text);
      } catch (error) {
        io.err(`${shown}: cannot write: ${(error as Error).message}`);
        failed += 1;
        continue;
      }
    }
    // The upgrade changes the format, not the logic: say when the journey still needs work.
    if (isUpgrade) {
      const errors = compileJourney(result.journey).diagnostics.filter((d) => d.severity === 'error');
      if (errors.length)
        io.err(
          `${shown}: ${errors.length} problem${errors.length === 1 ? '' : 's'} left after the upgrade; run: npx baton validate ${shown}`,
        );
    }
  }
  const fileCount = `${paths.length} journey file${paths.length === 1 ? '' : 's'}`;
  if (options.check) {
    if (changed.length)
      io.err(
        paint(
          io,
          'red',
          `✗ ${changed.length} of ${fileCount} would change; run: npx baton migrate ${changed.join(' ')}`,
        ),
      );
    else if (!failed) io.err(paint(io, 'green', `✓ ${fileCount} current`));
    return changed.length || failed ? 1 : 0;
  }
  io.err(`${upgraded} upgraded, ${current} already current (of ${fileCount})${failed ? `, ${failed} failed` : ''}`);
  return failed ? 1 : 0;
}
