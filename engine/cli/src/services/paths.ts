import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

let cachedRoot: string | undefined;

function isBatonRoot(dir: string): boolean {
  const pkgFile = join(dir, 'package.json');
  if (!existsSync(pkgFile)) return false;
  try {
    const pkg: unknown = JSON.parse(readFileSync(pkgFile, 'utf8'));
    return (
      typeof pkg === 'object' &&
      pkg !== null &&
      'name' in pkg &&
      pkg.name === 'baton' &&
      'workspaces' in pkg &&
      Array.isArray(pkg.workspaces)
    );
  } catch {
    return false;
  }
}

function findUp(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (isBatonRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Absolute path of the Baton monorepo root (the folder with the root package.json). */
export function repoRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  // `__dirname` exists when this file runs as CommonJS (tsx, jest); `typeof` keeps ESM safe.
  const here = typeof __dirname === 'string' ? __dirname : undefined;
  const found = (here !== undefined ? findUp(here) : undefined) ?? findUp(process.cwd());
  cachedRoot = found ?? process.cwd();
  return cachedRoot;
}

/** Where Baton keeps local tools and data: `$BATON_HOME`, default `<repo>/.baton`. */
export function batonHome(): string {
  const env = process.env.BATON_HOME;
  return env !== undefined && env !== '' ? resolve(env) : join(repoRoot(), '.baton');
}

/** Path of a tool installed by scripts/bootstrap.sh: `<batonHome>/bin/<name>` (may not exist). */
export function toolPath(name: string): string {
  return join(batonHome(), 'bin', name);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks `name` up on PATH; returns the absolute path of the first executable match. */
export function which(name: string): string | undefined {
  const path = process.env.PATH ?? '';
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** `<batonHome>/bin/<name>` if it is executable, else `name` from PATH, else undefined. */
export function findTool(name: string): string | undefined {
  const local = toolPath(name);
  if (isExecutable(local)) return local;
  return which(name);
}
