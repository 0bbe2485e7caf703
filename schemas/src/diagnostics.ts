import { z } from 'zod';

/** One located problem: the compiler, the CLI, the API and the designer all speak this. */
export const Diagnostic = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  /** JSON pointer into the journey file, e.g. /nodes/3/data/timeoutSeconds. */
  path: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  message: z.string(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

export function toPointer(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '';
  return '/' + path.map((segment) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}
