import express, { type RequestHandler } from 'express';
import { toPointer } from '@baton/schemas';
import { HttpProblem } from '../problem';

/** Largest JSON body the API reads: a journey of a few hundred nodes fits many times over. */
export const jsonBodyLimit = '1mb';

/**
 * Deepest nesting of objects and arrays a JSON body may have. A journey is about 6 levels deep and
 * variables a few more; a deeper body would only reach recursive code (zod, the projection, Mongo)
 * that fails late and far from the request.
 */
export const jsonDepthLimit = 32;

/**
 * The path (as segments) to the first value nested deeper than `limit`, or undefined when none is.
 * Iterative, so a body nested thousands deep cannot overflow the stack while being checked.
 */
export function pathBeyondDepth(value: unknown, limit: number): (string | number)[] | undefined {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (pending.length > 0) {
    const next = pending.pop();
    if (!next || typeof next.value !== 'object' || next.value === null) continue;
    // The top-level object or array is depth 1.
    if (next.path.length >= limit) return next.path;
    const entries: [string | number, unknown][] = Array.isArray(next.value)
      ? next.value.map((item, index) => [index, item])
      : Object.entries(next.value);
    for (const [key, child] of entries) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, path: [...next.path, key] });
    }
  }
  return undefined;
}

/** Refuses a body nested deeper than jsonDepthLimit with a 400 naming where, before any route reads it. */
export function jsonDepthGuard(limit = jsonDepthLimit): RequestHandler {
  return (req, _res, next) => {
    const body: unknown = req.body;
    const path = pathBeyondDepth(body, limit);
    if (!path) return next();
    const pointer = toPointer(path);
    next(
      new HttpProblem(400, 'Request body nested too deeply', `${pointer}: nested deeper than ${limit} levels`, [
        { path: pointer, message: `nested deeper than ${limit} levels` },
      ]),
    );
  };
}

/**
 * Routes whose work grows with the body read a smaller one: `/api/classify` scores the text against
 * every example of every intent on the event loop.
 */
export const smallBodyRoutes: Readonly<Record<string, string>> = { '/api/classify': '64kb' };

/** express.json, with a 413 that names the limit (body-parser's own message does not). */
function jsonParser(limit: string): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      const failure = error as { type?: string } | undefined;
      if (failure?.type === 'entity.too.large')
        return next(new HttpProblem(413, 'Request body too large', `this route reads JSON bodies of at most ${limit}`));
      next(error);
    });
}

export function jsonBody(): RequestHandler[] {
  const small = Object.entries(smallBodyRoutes).map(([path, limit]): RequestHandler => {
    const parse = jsonParser(limit);
    // The first parser to read a body wins (body-parser skips a body already read).
    return (req, res, next) => (req.path === path ? parse(req, res, next) : next());
  });
  return [...small, jsonParser(jsonBodyLimit), jsonDepthGuard()];
}
