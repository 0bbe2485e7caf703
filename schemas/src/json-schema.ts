import { z } from 'zod';
import { Journey } from './journey';

/** Where the journey JSON Schema is published: its `$id`, and the `$schema` of a journey file kept outside the repository. */
export const journeySchemaUrl = 'https://baton.dev/schemas/journey.schema.json';

/** JSON Schema (2020-12) of a journey file, for editors and the `$schema` of journey files. */
export function journeyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Journey, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: journeySchemaUrl,
    title: 'Baton journey',
    description: 'A customer-support journey: nodes and edges in React Flow shape, compiled and run by Baton.',
  };
}
