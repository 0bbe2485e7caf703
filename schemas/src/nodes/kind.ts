import type { z } from 'zod';
import type { NodeForm } from './form';

/**
 * What every node kind declares, shared by the compiler, the interpreter and the designer.
 * `handles` are the output handles a node of this kind offers for its data; `required`
 * the ones that must be connected (the others fall through to nothing, which ends the path,
 * or to `fallbackHandle` when the kind has one).
 */
export interface NodeKindDefinition<Kind extends string, Data extends z.ZodType> {
  kind: Kind;
  title: string;
  description: string;
  data: Data;
  /** How the designer edits the data and the compiler reads it (form.ts beside the schema). */
  form: NodeForm;
  /** True when entering the node can suspend the conversation (reply, timer, agent, activity). */
  waits: boolean;
  handles(data: z.infer<Data>): string[];
  requiredHandles(data: z.infer<Data>): string[];
  /** The handle an unconnected optional handle falls back to (classify's `fallback`, condition's `else`). */
  fallbackHandle?: string;
}

export function defineNodeKind<Kind extends string, Data extends z.ZodType>(
  definition: NodeKindDefinition<Kind, Data>,
): NodeKindDefinition<Kind, Data> {
  return definition;
}
