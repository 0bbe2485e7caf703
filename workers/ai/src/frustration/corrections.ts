/**
 * Agents' escalation corrections as training rows: JSON lines `{"text", "escalate", "signal"?}`.
 * A message an agent says should have escalated teaches `signal` (by default "grievance", a narrated bad experience: a
 * person was needed); one that should not have teaches every head that it is calm.
 */
import { z } from 'zod';
import { heads, type LabelledText } from './model';

const correctionSchema = z
  .object({
    text: z.string().trim().min(1, 'text is empty').max(4000, 'text is over 4000 characters'),
    escalate: z.boolean(),
    signal: z.enum(heads).optional(),
  })
  .strict();

export function parseEscalationCorrections(source: string, path = 'corrections'): LabelledText[] {
  const rows: LabelledText[] = [];
  source.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${path}:${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: not JSON (${(error as Error).message})`, { cause: error });
    }
    const parsed = correctionSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${where}: ${issue?.path.join('.') || '(line)'}: ${issue?.message ?? 'invalid'}`);
    }
    const { text, escalate, signal } = parsed.data;
    if (!escalate && signal) throw new Error(`${where}: signal: only a message that should escalate names a signal`);
    rows.push({ text, positive: new Set(escalate ? [signal ?? 'grievance'] : []) });
  });
  return rows;
}
