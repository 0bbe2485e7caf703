/**
 * The OpenAPI 3.1 document of the API, generated from the route table with zod 4's `z.toJSONSchema`:
 * request bodies as the routes parse them (the schemas' input), answers as @baton/schemas describes
 * them (their output) or as a plain object where it has no schema yet, errors as problem+json.
 * Schemas that @baton/schemas exports by name become components when a route uses them.
 */
import { z } from 'zod';
import * as contracts from '@baton/schemas';
import type { NamedRoute } from './table';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
}

/** RFC 9457 problem details, as `sendProblem` writes them. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        nodeId: z.string().optional(),
        severity: z.enum(['error', 'warning']).optional(),
      }),
    )
    .optional(),
});

const componentRef = (id: string) => `#/components/schemas/${id}`;

/** `/api/journeys/:id` → `/api/journeys/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function pathParameters(expressPath: string): string[] {
  return [...expressPath.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
}

function representable(schema: z.ZodType, io: Io): boolean {
  try {
    z.toJSONSchema(schema, { io, unrepresentable: 'any' });
    return true;
  } catch {
    return false;
  }
}

/** The zod schemas @baton/schemas exports, by export name (a schema exported twice keeps its first name). */
function namedContracts(): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  for (const [name, value] of Object.entries(contracts))
    if (value instanceof z.ZodType && !names.has(value)) names.set(value, name);
  return names;
}

/** Converts every schema of `named` at once, so that one schema used in several places is one component. */
function convert(named: Map<z.ZodType, string>, io: Io, uri: (id: string) => string): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of named) if (representable(schema, io)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: 'any', target: 'draft-2020-12', uri });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

/** Every `$ref` under a value. */
function refsOf(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsOf(item, into);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') into.add(item);
      else refsOf(item, into);
    }
  return into;
}

export interface DocumentOptions {
  title?: string;
  version?: string;
}

export function buildOpenApiDocument(routes: readonly NamedRoute[], options: DocumentOptions = {}): OpenApiDocument {
  const known = namedContracts();
  // Request bodies: the contract's name, else the operation's.
  const requests = new Map(known);
  const responses = new Map(known);
  for (const route of routes) {
    if (route.body && !requests.has(route.body)) requests.set(route.body, `${pascal(route.operationId)}Body`);
    if (route.response && !responses.has(route.response))
      responses.set(route.response, `${pascal(route.operationId)}Response`);
  }
  requests.set(Problem, 'Problem');
  const inputs = convert(requests, 'input', componentRef);
  // An answer's schema whose output differs from its input (defaults, transforms) is a component of its own.
  const draftOutputs = convert(responses, 'output', componentRef);
  const differs = new Set(
    Object.keys(draftOutputs).filter(
      (id) => inputs[id] !== undefined && JSON.stringify(inputs[id]) !== JSON.stringify(draftOutputs[id]),
    ),
  );
  const outputId = (id: string) => (differs.has(id) ? `${id}Output` : id);
  const outputs = convert(responses, 'output', (id) => componentRef(outputId(id)));
  const schemas: Record<string, JsonSchema> = { ...inputs };
  for (const [id, schema] of Object.entries(outputs)) schemas[outputId(id)] = schema;
  const refOf = (schema: z.ZodType, names: Map<z.ZodType, string>, io: Io) => {
    const id = names.get(schema) as string;
    return { $ref: componentRef(io === 'output' ? outputId(id) : id) };
  };

  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    const operation: JsonSchema = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      'x-baton-audience': [...route.audience],
      security: route.audience.includes('public') ? [] : [{ session: [] }, { bearer: [] }],
    };
    const parameters = [
      ...pathParameters(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...queryParameters(route.query),
    ];
    if (parameters.length > 0) operation.parameters = parameters;
    if (route.consumes)
      operation.requestBody = {
        required: true,
        content: { [route.consumes]: { schema: { type: 'string', format: 'binary' } } },
      };
    else if (route.body)
      operation.requestBody = {
        required: !route.bodyOptional,
        content: { 'application/json': { schema: refOf(route.body, requests, 'input') } },
      };
    const answers: JsonSchema = {};
    for (const status of route.statuses ?? [200]) answers[String(status)] = answerOf(route, status, responses, refOf);
    if (route.body || route.consumes || route.query || parameters.length > 0)
      answers['400'] ??= { $ref: '#/components/responses/Problem' };
    if (!route.audience.includes('public')) {
      answers['401'] = { $ref: '#/components/responses/Problem' };
      answers['403'] = { $ref: '#/components/responses/Problem' };
    }
    answers.default = { $ref: '#/components/responses/Problem' };
    operation.responses = answers;
    (paths[path] ??= {})[route.method] = operation;
  }

  // Only the components a route reaches (directly or through another component) stay.
  const reached = new Set<string>();
  const pending = [...refsOf(paths, new Set()), componentRef('Problem')];
  while (pending.length > 0) {
    const ref = pending.pop() as string;
    const id = ref.slice(componentRef('').length);
    if (reached.has(id) || !schemas[id]) continue;
    reached.add(id);
    pending.push(...refsOf(schemas[id], new Set()));
  }
  const components = Object.fromEntries(
    Object.entries(schemas)
      .filter(([id]) => reached.has(id))
      .sort(([a], [b]) => a.localeCompare(b)),
  );

  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Baton API',
      version: options.version ?? '0.1.0',
      description:
        'Journeys, versions and aliases for designers; conversations for the widget; tickets, the inbox and the knowledge base for agents. Errors are RFC 9457 problem+json.',
    },
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      responses: {
        Problem: {
          description: 'An error, as RFC 9457 problem details',
          content: { 'application/problem+json': { schema: { $ref: componentRef('Problem') } } },
        },
      },
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'baton_session',
          description: 'Signed-in staff (unsafe methods also send x-csrf-token)',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (bk_…) or a conversation token (its customer)',
        },
      },
    },
  };
}

function answerOf(
  route: NamedRoute,
  status: number,
  responses: Map<z.ZodType, string>,
  refOf: (schema: z.ZodType, names: Map<z.ZodType, string>, io: Io) => JsonSchema,
): JsonSchema {
  const description = status === 201 ? 'Created' : status === 204 ? 'No content' : status === 302 ? 'Redirect' : 'OK';
  if (route.produces === 'none' || status === 204 || status === 302) return { description };
  if (route.produces) return { description, content: { [route.produces]: { schema: { type: 'string' } } } };
  const schema = route.response ? refOf(route.response, responses, 'output') : { type: 'object' };
  return { description, content: { 'application/json': { schema } } };
}

/** A query schema (an object) as OpenAPI parameters, one per field. */
function queryParameters(query: z.ZodType | undefined): JsonSchema[] {
  if (!query) return [];
  const schema = z.toJSONSchema(query, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

function pascal(operationId: string): string {
  return operationId
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
