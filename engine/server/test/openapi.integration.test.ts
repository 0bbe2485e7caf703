/**
 * The OpenAPI document: every route the Express app registers is in it and nothing else (same path
 * templates and methods, same audience), it has the shape of an OpenAPI 3.1 document, and each
 * request body it describes is the zod schema the route's handler parses. Served at
 * `GET /api/openapi.json` to anyone. Real store and Temporal, access control on (so the sign-in and
 * admin routes are registered too).
 */
import type { Express } from 'express';
import request from 'supertest';
import { z } from 'zod';
import type { RouteSpec } from '../src/api/routes/route';
import { openApiPath, type OpenApiDocument } from '../src/api/openapi/document';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(120_000);

interface RouterLayer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: { spec?: RouteSpec } }[] };
  handle: { stack?: RouterLayer[]; rateLimitOnly?: boolean };
}

interface Registered {
  method: string;
  path: string;
  spec?: RouteSpec;
}

/** The routes Express really has (as in the route-by-role test), with the table row each was registered from. */
function registeredRoutes(app: Express): Registered[] {
  const found: Registered[] = [];
  const walk = (layers: RouterLayer[], prefix: string) => {
    for (const layer of layers) {
      if (layer.route) {
        const spec = layer.route.stack.map((entry) => entry.handle.spec).find((value) => value !== undefined);
        for (const method of Object.keys(layer.route.methods))
          if (method !== '_all') found.push({ method, path: `${prefix}${layer.route.path}`, ...(spec && { spec }) });
      } else if (layer.handle.stack && !layer.handle.rateLimitOnly) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return found;
}

type Json = Record<string, unknown>;

/**
 * Inlines every reference `resolve` knows (a component of the document, or a `$defs` entry of a
 * standalone conversion); a schema that contains itself stops at `{ recursive: id-less marker }`.
 */
function inline(value: unknown, resolve: (ref: string) => [string, unknown] | undefined, seen: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => inline(item, resolve, seen));
  if (!value || typeof value !== 'object') return value;
  const ref = (value as Json).$ref;
  const target = typeof ref === 'string' ? resolve(ref) : undefined;
  if (target) {
    const [id, schema] = target;
    return seen.includes(id) ? { recursive: true } : inline(schema, resolve, [...seen, id]);
  }
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '$defs' && key !== '$schema')
      .map(([key, item]) => [key, inline(item, resolve, seen)]),
  );
}

function dereference(schema: unknown, document: OpenApiDocument): unknown {
  const prefix = '#/components/schemas/';
  return inline(schema, (ref) => {
    const id = ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
    return id === undefined ? undefined : [id, document.components.schemas[id]];
  });
}

/** The schema as zod converts it on its own, its `$defs` inlined the same way. */
function standalone(schema: z.ZodType, io: 'input' | 'output' = 'input'): unknown {
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  const defs = (converted.$defs ?? {}) as Record<string, unknown>;
  return inline(converted, (ref) => {
    const id = ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length) : undefined;
    return id === undefined ? undefined : [`$defs/${id}`, defs[id]];
  });
}

let stack: TestStack;
let document: OpenApiDocument;
const secret = 'openapi-test-secret-0123456789abcdefghijklmnop';

beforeAll(async () => {
  stack = await startTestStack({ auth: { tokenSecret: secret } });
  const res = await request(stack.app).get('/api/openapi.json').expect(200);
  expect(res.type).toBe('application/json');
  document = res.body as OpenApiDocument;
});
afterAll(async () => {
  await stack?.stop();
});

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document: version, info, paths, components, problem+json errors', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));
    expect(Object.keys(document.paths).length).toBeGreaterThan(50);
    expect(document.components.schemas.Problem).toEqual(expect.objectContaining({ type: 'object' }));
    expect(document.components.responses.Problem).toEqual({
      description: expect.any(String),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    const operationIds = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths)) {
      expect(path).toMatch(/^\/[\w/{}.-]*$/);
      for (const [method, operation] of Object.entries(operations)) {
        expect(['get', 'post', 'put', 'patch', 'delete']).toContain(method);
        const { operationId, responses, parameters } = operation as {
          operationId: string;
          responses: Record<string, unknown>;
          parameters?: { name: string; in: string; required: boolean }[];
        };
        expect(operationIds.has(operationId)).toBe(false);
        operationIds.add(operationId);
        expect(responses.default).toEqual({ $ref: '#/components/responses/Problem' });
        // Every {param} of the path is a required path parameter.
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
        expect((parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(inPath);
      }
    }
  });

  it('resolves every reference to a component', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    const missing = refs
      .map((ref) => ref.slice('"$ref":"'.length, -1))
      .filter((ref) => {
        const [, kind, id] = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref) ?? [];
        return !kind || !id || !(id in document.components[kind as 'schemas' | 'responses']);
      });
    expect(missing).toEqual([]);
  });

  it('describes exactly the routes the app registers, with their audience', () => {
    const registered = registeredRoutes(stack.app);
    const inApp = registered.map((route) => `${route.method.toUpperCase()} ${openApiPath(route.path)}`).sort();
    const inDocument = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(inDocument).toEqual(inApp);
    for (const route of registered) {
      const operation = document.paths[openApiPath(route.path)]?.[route.method] as { 'x-baton-audience': string[] };
      expect({ route: `${route.method} ${route.path}`, audience: operation['x-baton-audience'] }).toEqual({
        route: `${route.method} ${route.path}`,
        audience: [...(route.spec?.audience ?? [])],
      });
    }
  });

  it("describes each request body as the zod schema its route's handler parses", () => {
    const registered = registeredRoutes(stack.app);
    // Every route is registered from a row of the table (so its handler parses the row's body).
    expect(registered.filter((route) => !route.spec).map((route) => `${route.method} ${route.path}`)).toEqual([]);
    let bodies = 0;
    for (const route of registered) {
      const spec = route.spec as RouteSpec;
      const operation = document.paths[openApiPath(route.path)]?.[route.method] as {
        requestBody?: { required: boolean; content: { 'application/json': { schema: unknown } } };
      };
      if (spec.consumes) {
        // A body that is not JSON (a model file): its media type, as binary.
        expect(operation.requestBody).toEqual({
          required: true,
          content: { [spec.consumes]: { schema: { type: 'string', format: 'binary' } } },
        });
        continue;
      }
      if (!spec.body) {
        expect({ route: route.path, requestBody: operation.requestBody }).toEqual({ route: route.path });
        continue;
      }
      bodies += 1;
      const expected = standalone(spec.body);
      const described = dereference(operation.requestBody?.content['application/json'].schema, document);
      expect({ route: `${route.method} ${route.path}`, schema: described }).toEqual({
        route: `${route.method} ${route.path}`,
        schema: expected,
      });
      expect(operation.requestBody?.required).toBe(!spec.bodyOptional);
    }
    expect(bodies).toBeGreaterThan(20);
  });

  it('describes the answers that @baton/schemas has a schema for with it, the others as an object', () => {
    let described = 0;
    for (const route of registeredRoutes(stack.app)) {
      const spec = route.spec as RouteSpec;
      const operation = document.paths[openApiPath(route.path)]?.[route.method] as {
        responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
      };
      for (const status of spec.statuses ?? [200]) {
        const json = operation.responses[String(status)]?.content?.['application/json'];
        if (spec.produces) {
          expect(json).toBeUndefined();
          continue;
        }
        expect({
          route: `${route.method} ${route.path} ${status}`,
          schema: dereference(json?.schema, document),
        }).toEqual({
          route: `${route.method} ${route.path} ${status}`,
          schema: spec.response ? standalone(spec.response, 'output') : { type: 'object' },
        });
        if (spec.response) described += 1;
      }
    }
    expect(described).toBeGreaterThan(0);
  });

  it('is public: no credentials needed', async () => {
    const res = await request(stack.app).get('/api/openapi.json').expect(200);
    expect(res.body.paths['/api/openapi.json'].get['x-baton-audience']).toEqual(['public']);
  });
});
