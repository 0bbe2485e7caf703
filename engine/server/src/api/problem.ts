import type { ErrorRequestHandler, Response } from 'express';
import { type z } from 'zod';
import { toPointer, type Diagnostic } from '@baton/schemas';

export interface ProblemField {
  /** JSON pointer into the request body (or the journey), e.g. /text or /nodes/3/data/prompt. */
  path: string;
  message: string;
  nodeId?: string;
  severity?: 'error' | 'warning';
}

/** An error that answers as RFC 9457 problem+json. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors: ProblemField[] = [],
  ) {
    super(detail ?? title);
  }
}

export function sendProblem(res: Response, problem: HttpProblem): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: `https://baton.dev/problems/${problem.status}`,
      title: problem.title,
      status: problem.status,
      ...(problem.detail && { detail: problem.detail }),
      ...(problem.errors.length > 0 && { errors: problem.errors }),
    });
}

/** Parses a request part with zod; a failure names every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({ path: toPointer(issue.path), message: issue.message }));
  const first = errors[0];
  throw new HttpProblem(
    400,
    `Invalid request ${where}`,
    first ? `${first.path || '/'}: ${first.message}` : undefined,
    errors,
  );
}

export function diagnosticsProblem(status: number, title: string, diagnostics: Diagnostic[]): HttpProblem {
  const errors = diagnostics.map((d) => ({
    path: d.path,
    message: d.message,
    severity: d.severity,
    ...(d.nodeId && { nodeId: d.nodeId }),
  }));
  const first = diagnostics.find((d) => d.severity === 'error');
  return new HttpProblem(
    status,
    title,
    first ? `${first.nodeId ? `node ${first.nodeId}: ` : ''}${first.path}: ${first.message}` : undefined,
    errors,
  );
}

export function problemHandler(
  mapError: (error: unknown) => HttpProblem | undefined,
  log: (error: unknown) => void,
): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const body = error as { type?: string; status?: number; message?: string };
    // body-parser's own errors: malformed JSON, oversized bodies.
    if (body?.type === 'entity.parse.failed')
      return sendProblem(res, new HttpProblem(400, 'Malformed JSON', body.message));
    if (body?.type === 'entity.too.large')
      return sendProblem(res, new HttpProblem(413, 'Request body too large', body.message));
    if (error instanceof HttpProblem) return sendProblem(res, error);
    // Other client errors raised by Express itself (e.g. a path parameter with broken %-encoding answers 400).
    if (error instanceof URIError)
      return sendProblem(res, new HttpProblem(400, 'Malformed URL', 'a path parameter has invalid %-encoding'));
    if (typeof body?.status === 'number' && body.status >= 400 && body.status < 500)
      return sendProblem(res, new HttpProblem(body.status, 'Bad request', body.message));
    const mapped = mapError(error);
    if (mapped) return sendProblem(res, mapped);
    log(error);
    return sendProblem(
      res,
      new HttpProblem(500, 'Internal error', 'something went wrong on our side; nothing you sent was lost'),
    );
  };
}
