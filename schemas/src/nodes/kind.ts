import type { z } from 'zod';

/**
 * What every node kind declares, shared by the compiler, the interpreter and the designer.
 * `handles` are the output handles a node of this kind offers for its data; `required`
 * the ones that must be connected (the others fall through to nothing, which ends the path).
 */
export interface NodeKindDefinition<Kind extends string, Data extends z.ZodType> {
  kind: Kind;
  title: string;
  description: string;
  data: Data;
  /** True when entering the node can suspend the conversation (reply, timer, agent, activity). */
  waits: boolean;
  handles(data: z.infer<Data>): string[];
  requiredHandles(data: z.infer<Data>): string[];
}

export function defineNodeKind<Kind extends string, Data extends z.ZodType>(
  definition: NodeKindDefinition<Kind, Data>,
): NodeKindDefinition<Kind, Data> {
  return definition;
}
