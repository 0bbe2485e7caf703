import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { journeyJsonSchema } from '@baton/schemas';
import { displayPath, type Io } from './io';

/** The journey JSON Schema as committed in schemas/journey.schema.json. */
export function journeySchemaText(): string {
  return `${JSON.stringify(journeyJsonSchema(), null, 2)}\n`;
}

/** `baton schema [--out FILE]`: prints the journey JSON Schema, or writes it to a file. */
export function runSchema(options: { out?: string }, io: Io): number {
  const text = journeySchemaText();
  if (options.out) {
    writeFileSync(resolve(io.cwd, options.out), text);
    io.err(`wrote ${displayPath(options.out, io.cwd)}`);
  } else {
    io.out(text);
  }
  return 0;
}
