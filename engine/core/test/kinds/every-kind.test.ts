/**
 * A node kind is one self-describing unit (CONTRIBUTING.md): this fails when a kind lacks a part —
 * schema, form, docs, registry entries (contract and engine), step, or its test — or when its form
 * and its schema disagree.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { nodeKindNames, nodeKinds, type FormField } from '@baton/schemas';
import { kindRuntimes } from '../../src/kinds';

const root = join(__dirname, '../../../..');
const schemaFolders = readdirSync(join(root, 'schemas/src/nodes'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const coreFolders = readdirSync(join(root, 'engine/core/src/kinds'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

test('every kind folder is registered, and every registered kind has its folders', () => {
  expect([...schemaFolders].sort()).toEqual([...nodeKindNames].sort());
  expect([...coreFolders].sort()).toEqual([...nodeKindNames].sort());
  expect(Object.keys(kindRuntimes).sort()).toEqual([...nodeKindNames].sort());
});

type Def = { type: string; innerType?: z.ZodType; entries?: Record<string, string> };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let def = defOf(current); def.innerType && ['optional', 'default', 'nullable'].includes(def.type);)
    def = defOf((current = def.innerType));
  return current;
}

describe.each(nodeKindNames)('the %s kind', (kind) => {
  const definition = nodeKinds[kind];

  test.each([
    'schemas/src/nodes/KIND/schema.ts',
    'schemas/src/nodes/KIND/form.ts',
    'schemas/src/nodes/KIND/README.md',
    'engine/core/src/kinds/KIND/step.ts',
    'engine/core/src/kinds/KIND/index.ts',
    'engine/core/test/kinds/KIND.test.ts',
  ])('has %s', (pattern) => {
    expect(existsSync(join(root, pattern.replace('KIND', kind)))).toBe(true);
  });

  test('has a step in the engine registry', () => {
    expect(typeof kindRuntimes[kind].step.enter).toBe('function');
  });

  test('has a form field for every property of its schema and none more, label first', () => {
    const shape = (definition.data as z.ZodObject).shape as Record<string, z.ZodType>;
    const fields = definition.form.fields;
    expect(fields[0]?.key).toBe('label');
    expect(fields.map((field) => field.key).sort()).toEqual(Object.keys(shape).sort());
  });

  test("offers exactly its schema's choices in its enum fields", () => {
    const shape = (definition.data as z.ZodObject).shape as Record<string, z.ZodType>;
    const enums = definition.form.fields.filter(
      (field): field is Extract<FormField, { control: 'enum' }> => field.control === 'enum',
    );
    for (const field of enums) {
      const schema = unwrap(shape[field.key] as z.ZodType);
      expect(schema).toBeInstanceOf(z.ZodEnum);
      expect([...field.options]).toEqual((schema as z.ZodEnum).options);
    }
  });

  test('starts new nodes from data its schema accepts', () => {
    expect(definition.data.safeParse(definition.form.starter).success).toBe(true);
  });

  test('documents every field and every handle in its README', () => {
    const readme = readFileSync(join(root, `schemas/src/nodes/${kind}/README.md`), 'utf8');
    const undocumented = definition.form.fields
      .map((field) => field.key)
      .filter((key) => !readme.includes(`\`${key}\``) && !readme.includes(`\`${key}.`));
    expect(undocumented).toEqual([]);
    const starter = definition.data.parse(definition.form.starter) as never;
    for (const handle of definition.handles(starter)) {
      // Handles named after the data (intents, rule ids) are documented as such, not by name.
      if (definition.requiredHandles(starter).includes(handle) || !definition.fallbackHandle)
        expect(readme).toContain(`\`${handle}\``);
    }
  });
});
