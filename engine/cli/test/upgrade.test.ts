/**
 * The schemaVersion upgrade path (compiler/upgrade.ts): a journey file from before `schemaVersion`
 * existed, as the React Flow editor exported it, becomes a journey the compiler accepts; upgrading
 * is idempotent; a file from a newer Baton is refused with the field named.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentSchemaVersion, journeySchemaUrl } from '@baton/schemas';
import { compileJourney, formatJourney, upgradeJourney, upgradeSteps, type UpgradeResult } from '@baton/core/compiler';
import { schemaRefFor } from '../src/migrate';

const root = join(__dirname, '..', '..', '..');
const exampleFile = join(root, 'examples', 'password-reset', 'journey.json');
const example = JSON.parse(readFileSync(exampleFile, 'utf8')) as Record<string, unknown> & {
  nodes: Record<string, unknown>[];
  edges: Record<string, unknown>[];
};

/** The example as a pre-schemaVersion file: no schemaVersion, $schema or version; React Flow's editor state on nodes and edges. */
function reactFlowExport(): Record<string, unknown> {
  const { $schema: _schema, schemaVersion: _version, version: _published, ...rest } = structuredClone(example);
  return {
    ...rest,
    nodes: rest.nodes.map((node, index) => ({
      ...node,
      selected: index === 1,
      dragging: false,
      measured: { width: 180, height: 40 },
      positionAbsolute: node.position,
      style: { border: '1px solid #888' },
      className: 'baton-node',
      width: 180,
      height: 40,
    })),
    edges: rest.edges.map((edge) => ({
      ...edge,
      selected: false,
      animated: true,
      style: { stroke: '#555' },
      type: 'smoothstep',
      label: 'next',
      markerEnd: { type: 'arrowclosed' },
    })),
  };
}

function upgraded(result: UpgradeResult) {
  if ('error' in result) throw new Error(`unexpected upgrade error: ${result.error}`);
  return result;
}

describe('upgradeJourney', () => {
  test('there is one step per version up to the current one', () => {
    expect(upgradeSteps.map((step) => [step.from, step.to])).toEqual(
      Array.from({ length: currentSchemaVersion }, (_, v) => [v, v + 1]),
    );
  });

  test('the compiler refuses a React Flow export from before schemaVersion (unknown keys, no schemaVersion)', () => {
    const result = compileJourney(reactFlowExport());
    expect(result.ok).toBe(false);
    const paths = result.diagnostics.map((d) => d.path);
    expect(paths).toContain('/schemaVersion');
    expect(result.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/nodes/0/selected', message: expect.stringContaining('"selected"') }),
      ]),
    );
  });

  test('0 → 1: schemaVersion, $schema, no editor-only keys, version 0; the compiler accepts it', () => {
    const old = reactFlowExport();
    const before = JSON.stringify(old);
    const result = upgraded(upgradeJourney(old, { schemaRef: '../../schemas/journey.schema.json' }));
    expect(JSON.stringify(old)).toBe(before); // the input is left alone
    expect(result.from).toBe(0);
    expect(result.to).toBe(currentSchemaVersion);
    expect(result.applied).toEqual([expect.stringMatching(/^0→1: /)]);
    const journey = result.journey as typeof example;
    expect(journey).toMatchObject({ schemaVersion: 1, $schema: '../../schemas/journey.schema.json', version: 0 });
    for (const node of journey.nodes) {
      for (const key of ['selected', 'dragging', 'measured', 'positionAbsolute', 'style', 'className'])
        expect(node).not.toHaveProperty(key);
      // Width and height are React Flow's measured size, which Baton keeps as layout.
      expect(node).toMatchObject({ width: 180, height: 40 });
    }
    for (const edge of journey.edges) {
      for (const key of ['selected', 'animated', 'style', 'type', 'label', 'markerEnd'])
        expect(edge).not.toHaveProperty(key);
    }
    const compiled = compileJourney(journey);
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(compiled.ok).toBe(true);
    // Same logic as the example it came from: the same compiled content hash, layout aside.
    const fromExample = compileJourney(example);
    if (!compiled.ok || !fromExample.ok) throw new Error('expected both to compile');
    expect(compiled.journey.hash).toBe(fromExample.journey.hash);
  });

  test('an explicit schemaVersion 0 is the same format; without a schemaRef $schema is the published URL; a kept $schema and version stay', () => {
    const old = { ...reactFlowExport(), schemaVersion: 0 };
    expect(upgraded(upgradeJourney(old)).journey).toMatchObject({
      schemaVersion: 1,
      $schema: journeySchemaUrl,
      version: 0,
    });
    const withOwn = { ...reactFlowExport(), $schema: 'https://example.com/my.schema.json', version: 4 };
    expect(upgraded(upgradeJourney(withOwn)).journey).toMatchObject({
      $schema: 'https://example.com/my.schema.json',
      version: 4,
    });
  });

  test('idempotent: a current file comes back unchanged with nothing applied, and upgrading twice is upgrading once', () => {
    const current = upgraded(upgradeJourney(example));
    expect(current).toMatchObject({ from: currentSchemaVersion, to: currentSchemaVersion, applied: [] });
    expect(current.journey).toEqual(example);
    expect(formatJourney(current.journey)).toBe(readFileSync(exampleFile, 'utf8'));

    const once = upgraded(upgradeJourney(reactFlowExport(), { schemaRef: '../../schemas/journey.schema.json' }));
    const twice = upgraded(upgradeJourney(once.journey, { schemaRef: 'elsewhere.json' }));
    expect(twice.applied).toEqual([]);
    expect(twice.journey).toEqual(once.journey);
    // The example with its editor state stripped is the example (the canonical file, byte for byte, but for the kept sizes).
    const { nodes, ...envelope } = once.journey as typeof example;
    const { nodes: exampleNodes, ...exampleEnvelope } = example;
    expect(envelope).toEqual(exampleEnvelope);
    expect(nodes.map(({ width: _w, height: _h, ...node }) => node)).toEqual(exampleNodes);
  });

  test('a newer schemaVersion is refused, naming it (as the compiler does)', () => {
    const newer = { ...example, schemaVersion: currentSchemaVersion + 1 };
    expect(upgradeJourney(newer)).toEqual({
      path: '/schemaVersion',
      error: `schemaVersion ${currentSchemaVersion + 1} is newer than this Baton (${currentSchemaVersion}); upgrade Baton`,
    });
    expect(compileJourney(newer).diagnostics).toEqual([
      expect.objectContaining({ path: '/schemaVersion', code: 'schema_version_newer' }),
    ]);
  });

  test('a schemaVersion that is not a whole number, and a file that is not an object, are refused', () => {
    for (const bad of ['1', -1, 1.5, null]) {
      expect(upgradeJourney({ ...example, schemaVersion: bad })).toEqual({
        path: '/schemaVersion',
        error: expect.stringContaining('schemaVersion must be a whole number'),
      });
    }
    expect(upgradeJourney([])).toEqual({ path: '', error: 'a journey file is a JSON object' });
    expect(upgradeJourney('journey')).toEqual({ path: '', error: 'a journey file is a JSON object' });
  });

  test('a missing step is an error, not a silent skip', () => {
    expect(upgradeJourney(reactFlowExport(), {}, [])).toEqual({
      path: '/schemaVersion',
      error: 'no upgrade from schemaVersion 0 to 1',
    });
  });
});

describe('schemaRefFor', () => {
  test('inside the repository: the relative path to schemas/journey.schema.json; outside: the published URL', () => {
    expect(schemaRefFor(exampleFile, root)).toBe('../../schemas/journey.schema.json');
    expect(schemaRefFor(join(root, 'my.journey.json'), root)).toBe('schemas/journey.schema.json');
    expect(schemaRefFor(join(root, 'a', 'b', 'c', 'journey.json'), root)).toBe('../../../schemas/journey.schema.json');
    expect(schemaRefFor('/somewhere/else/journey.json', root)).toBe(journeySchemaUrl);
    expect(schemaRefFor(join(root, '..', 'sibling', 'journey.json'), root)).toBe(journeySchemaUrl);
    // A root without the schema file (Baton installed elsewhere): the published URL.
    expect(schemaRefFor(join(tmpdir(), 'team', 'journey.json'), tmpdir())).toBe(journeySchemaUrl);
    // The default root is the Baton repository this CLI runs from.
    expect(schemaRefFor(exampleFile)).toBe('../../schemas/journey.schema.json');
  });
});
