/**
 * One row of the route table: what a route is (method, path, audience, body, answer, summary). The
 * routes files register their handlers from these rows, and the OpenAPI document is generated from
 * the same rows, so the two cannot drift apart.
 */
import type { RequestHandler, Router } from 'express';
import type { z } from 'zod';
import { allow, type Audience } from '../access';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec {
  method: HttpMethod;
  /** The full path as Express writes it (`/api/journeys/:id`); routers are mounted at `/api`. */
  path: string;
  audience: readonly Audience[];
  /** Groups routes by resource in the document. */
  tag: string;
  summary: string;
  /** The zod schema the handler parses the body with. */
  body?: z.ZodType;
  /** Media type of a body that is not JSON (a model file's bytes); the document describes it as binary. */
  consumes?: string;
  /** Whether the body may be left out (the handler reads `req.body ?? {}`). */
  bodyOptional?: boolean;
  /** The zod schema the handler parses the query with. */
  query?: z.ZodType;
  /** The answer's schema, where @baton/schemas has one; else the document says "an object". */
  response?: z.ZodType;
  /** Success statuses (default 200). */
  statuses?: readonly number[];
  /** Media type of a success answer that is not JSON (event streams, Prometheus text, 204 with none). */
  produces?: string;
}

/** Keeps a row's exact type (its schemas), so a handler parses with `spec.body` itself. */
export function route<Spec extends RouteSpec>(spec: Spec): Spec {
  return spec;
}

/** Where a spec's path sits in a router mounted at `/api` (the Prometheus scrape sits at the root). */
export function routerPath(spec: RouteSpec): string {
  return spec.path.startsWith('/api/') ? spec.path.slice('/api'.length) : spec.path;
}

/** Registers a handler for a row: the row's method and path, its audience first. */
export function register(router: Router, spec: RouteSpec, ...handlers: RequestHandler[]): void {
  const audience = allow(...spec.audience);
  // Read by the OpenAPI test to match each registered route with its row.
  Object.defineProperty(audience, 'spec', { value: spec });
  router[spec.method](routerPath(spec), audience, ...handlers);
}
