import { z } from 'zod';
import { Journey } from './journey';

/** JSON Schema (2020-12) of a journey file, for editors and the `$schema` of journey files. */
export function journeyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Journey, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://baton.dev/schemas/journey.schema.json',
    title: 'Baton journey',
    description: 'A customer-support journey: nodes and edges in React Flow shape, compiled and run by Baton.',
  };
}
