import { z } from 'zod';
import { Id, JsonValueSchema, Position, VariableName } from './common';
import { nodeKinds, type NodeKind, type NodeKinds } from './nodes';

export const currentSchemaVersion = 1;

export const VariableDeclaration = z
  .object({
    type: z.enum(['string', 'number', 'boolean', 'object', 'array', 'any']).default('any'),
    default: JsonValueSchema.optional(),
    description: z.string().max(500).optional(),
    /** Shown to the conversation's customer (their token reads it); variables are staff-only unless this is true. */
    customerVisible: z.boolean().optional(),
    /** A start request may set it (`variables` of the start body), checked against `type`; no other variable may be set from outside. */
    input: z.boolean().optional(),
  })
  .strict();
export type VariableDeclaration = z.infer<typeof VariableDeclaration>;
export type VariableType = VariableDeclaration['type'];

/** Whether a JSON value is of a declared variable type (`null` is only `any`). */
export function isOfVariableType(value: unknown, type: VariableType): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

function nodeSchema<K extends NodeKind>(kind: K) {
  return z
    .object({
      id: Id,
      type: z.literal(kind),
      position: Position,
      data: nodeKinds[kind].data as NodeKinds[K]['data'],
      /** React Flow's measured size; layout only, never logic. */
      width: z.number().optional(),
      height: z.number().optional(),
    })
    .strict();
}

export const JourneyNode = z.discriminatedUnion('type', [
  nodeSchema('start'),
  nodeSchema('message'),
  nodeSchema('ask'),
  nodeSchema('classify'),
  nodeSchema('answer'),
  nodeSchema('condition'),
  nodeSchema('activity'),
  nodeSchema('handoff'),
  nodeSchema('wait'),
  nodeSchema('set'),
  nodeSchema('followup'),
  nodeSchema('end'),
]);
export type JourneyNode = z.infer<typeof JourneyNode>;
export type JourneyNodeInput = z.input<typeof JourneyNode>;
export type NodeOf<K extends NodeKind> = Extract<JourneyNode, { type: K }>;

export const JourneyEdge = z
  .object({
    id: Id,
    source: Id,
    sourceHandle: z.string().min(1, 'an edge needs the source handle it leaves from'),
    target: Id,
    targetHandle: z.string().nullish(),
  })
  .strict();
export type JourneyEdge = z.infer<typeof JourneyEdge>;

export const Journey = z
  .object({
    $schema: z.string().optional(),
    schemaVersion: z.literal(currentSchemaVersion, {
      error: `this Baton reads schemaVersion ${currentSchemaVersion}`,
    }),
    id: Id,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    /** The version this file was last published as (0 for a never-published draft). */
    version: z.number().int().min(0).default(0),
    variables: z.record(VariableName, VariableDeclaration).default({}),
    nodes: z.array(JourneyNode).min(1, 'a journey needs at least a start node'),
    edges: z.array(JourneyEdge).default([]),
  })
  .strict();
export type Journey = z.infer<typeof Journey>;
export type JourneyInput = z.input<typeof Journey>;
