import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatJourney } from '@baton/core/compiler';
import { diagnosticLine, displayPath, findFiles, loadJson, paint, type Io } from './io';
import { isJourneyFileName } from './validate';

/**
 * `baton fmt [--check] FILE…`: rewrites journey files in canonical form (see compiler/format.ts);
 * with `--check`, changes nothing, lists the files that are not canonical and exits 1 if any.
 * Folders are searched for `journey.json` and `*.journey.json`.
 */
export function runFmt(files: readonly string[], options: { check?: boolean }, io: Io): number {
  const paths = findFiles(files, io.cwd, isJourneyFileName);
  let failed = 0;
  const notCanonical: string[] = [];
  let rewritten = 0;
  for (const file of paths) {
    const shown = displayPath(file, io.cwd);
    const loaded = loadJson(file, io.cwd);
    if (!loaded.ok) {
      io.err(diagnosticLine(shown, loaded.problem));
      failed += 1;
      continue;
    }
    const formatted = formatJourney(loaded.source.value);
    if (formatted === loaded.text) continue;
    if (options.check) {
      notCanonical.push(shown);
      io.out(shown);
    } else {
      writeFileSync(resolve(io.cwd, file), formatted);
      rewritten += 1;
      io.out(`formatted ${shown}`);
    }
  }
  if (options.check) {
    if (notCanonical.length) {
      io.err(
        paint(
          io,
          'red',
          `✗ ${notCanonical.length} of ${paths.length} journey file${paths.length === 1 ? ' is' : 's are'} not canonical; run: npx baton fmt ${notCanonical.join(' ')}`,
        ),
      );
    } else if (!failed) {
      io.err(paint(io, 'green', `✓ ${paths.length} journey file${paths.length === 1 ? '' : 's'} canonical`));
    }
    return notCanonical.length || failed ? 1 : 0;
  }
  if (!failed) io.err(`${rewritten} of ${paths.length} journey file${paths.length === 1 ? '' : 's'} reformatted`);
  return failed ? 1 : 0;
}
