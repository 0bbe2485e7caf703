import { z } from 'zod';
import { Id, JsonValueSchema } from './common';
import { type JourneyNode, VariableDeclaration } from './journey';

export const CompiledNode = z.object({
  id: Id,
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  /** handle → target node id, resolved from the edges. */
  next: z.record(z.string(), Id),
});

/** What travels in a conversation's workflow input: enough to run it to its end, no layout. */
export const CompiledJourney = z.object({
  id: Id,
  name: z.string(),
  description: z.string().default(''),
  version: z.number().int().min(0),
  schemaVersion: z.number().int(),
  /** sha-256 of the canonical logic (layout excluded). */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  start: Id,
  variables: z.record(z.string(), VariableDeclaration),
  defaults: z.record(z.string(), JsonValueSchema),
  nodes: z.record(Id, CompiledNode),
});
export type CompiledJourney = z.infer<typeof CompiledJourney>;

/** A compiled node with its typed data, for the interpreter's per-kind steps. */
export type CompiledNodeOf<T extends JourneyNode['type']> = {
  id: string;
  type: T;
  data: Extract<JourneyNode, { type: T }>['data'];
  next: Record<string, string>;
};
