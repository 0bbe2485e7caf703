import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const exampleNames = ['password-reset', 'order-tracking', 'complaint'] as const;

/** The example journey files as committed (canonical: `baton fmt --check` passes on them). */
export function exampleText(name: (typeof exampleNames)[number]): string {
  return readFileSync(join(__dirname, '..', '..', '..', 'examples', name, 'journey.json'), 'utf8');
}
