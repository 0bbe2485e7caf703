import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { CompiledJourney, Diagnostic } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import { JsonSyntaxError, parseJsonSource, type JsonSource } from './json-source';

/** Where a command writes; the real process streams, or buffers in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colours). */
  color: boolean;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    cwd: process.cwd(),
    env: process.env,
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}

/** A failure that ends the command with a message and an exit code (2: usage or I/O). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function paint(io: Io, code: 'red' | 'green' | 'yellow' | 'dim' | 'bold', text: string): string {
  if (!io.color) return text;
  const codes = { red: [31, 39], green: [32, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22] } as const;
  const [open, close] = codes[code];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(file: string, cwd: string): string {
  const absolute = resolve(cwd, file);
  const rel = relative(cwd, absolute);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : absolute;
}

export function readText(file: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new CliError(`${displayPath(file, cwd)}: cannot read: ${reason}`);
  }
}

export type LoadedJson =
  | { ok: true; text: string; source: JsonSource }
  | { ok: false; text: string; problem: Diagnostic & { line?: number; column?: number } };

/** Reads and parses a JSON file; a syntax error comes back as a located diagnostic. */
export function loadJson(file: string, cwd: string): LoadedJson {
  const text = readText(file, cwd);
  try {
    return { ok: true, text, source: parseJsonSource(text) };
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      return {
        ok: false,
        text,
        problem: {
          severity: 'error',
          code: 'invalid_json',
          path: '',
          message: `invalid JSON: ${error.message}`,
          line: error.position.line,
          column: error.position.column,
        },
      };
    }
    throw error;
  }
}

/**
 * The activity catalog (catalog.ts), loaded on first use: it pulls in the workers' activity
 * definitions, which `fmt`, `diff`, `schema` and `--help` do not need.
 */
export function activityCatalog(): ReturnType<typeof import('./catalog').activityCatalog> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const catalog = require('./catalog') as typeof import('./catalog');
  return catalog.activityCatalog();
}

export function diagnosticLine(file: string, diagnostic: Diagnostic): string {
  return `${file}:${diagnostic.nodeId ?? diagnostic.edgeId ?? '-'}:${diagnostic.path || '/'}: ${diagnostic.severity}: ${diagnostic.message}`;
}

/** Reads and compiles a journey against the catalog, or throws a CliError listing its problems (exit 1). */
export function loadCompiledJourney(file: string, cwd: string): { journey: CompiledJourney; warnings: Diagnostic[] } {
  const shown = displayPath(file, cwd);
  const loaded = loadJson(file, cwd);
  if (!loaded.ok) throw new CliError(diagnosticLine(shown, loaded.problem), 1);
  const result = compileJourney(loaded.source.value, { activities: activityCatalog() });
  if (!result.ok) {
    const lines = result.diagnostics.filter((d) => d.severity === 'error').map((d) => diagnosticLine(shown, d));
    throw new CliError(`${shown} does not compile:\n${lines.join('\n')}`, 1);
  }
  return { journey: result.journey, warnings: result.diagnostics };
}

/** Files under the given paths (files as given, folders searched recursively), sorted, without node_modules or dot folders. */
export function findFiles(paths: readonly string[], cwd: string, matches: (name: string) => boolean): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const full = join(dir, name);
      let isDir: boolean;
      try {
        isDir = statSync(full).isDirectory();
      } catch {
        continue;
      }
      if (isDir) walk(full);
      else if (matches(name)) found.add(full);
    }
  };
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    let isDir: boolean;
    try {
      isDir = statSync(absolute).isDirectory();
    } catch {
      throw new CliError(`${path}: no such file or folder`);
    }
    if (isDir) walk(absolute);
    else found.add(absolute);
  }
  return [...found].sort();
}
