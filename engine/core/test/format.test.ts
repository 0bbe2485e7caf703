import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { formatJourney, isCanonicalJourney, orderJourney, printJson } from '../src/compiler/format';
import { compileJourney } from '../src/compiler';

const root = join(__dirname, '..', '..', '..');

const messy = {
  edges: [{ target: 'b', sourceHandle: 'next', source: 'a', id: 'e1' }],
  nodes: [
    { data: { text: 'Hello', label: 'Greeting' }, position: { y: 10, x: 5 }, type: 'message', id: 'b' },
    { type: 'start', data: {}, id: 'a', position: { x: 0, y: 0 } },
    {
      id: 'c',
      type: 'activity',
      position: { x: 1, y: 2 },
      data: {
        retry: { maximumIntervalSeconds: 5, maximumAttempts: 2 },
        output: 'o',
        activity: 'x.y',
        input: { z: 1, a: { var: 'q' } },
        label: 'Call',
      },
    },
  ],
  zzz: 'unknown keys are kept, after the known ones',
  name: 'Messy',
  id: 'messy',
  schemaVersion: 1,
  variables: { zeta: { description: 'last', type: 'string' }, alpha: { default: 1, type: 'number' } },
  $schema: '../../schemas/journey.schema.json',
};

describe('formatJourney', () => {
  test('puts keys in the canonical order, keeps array and map order, and ends with a newline', () => {
    const text = formatJourney(messy);
    expect(text.endsWith('}\n')).toBe(true);
    const ordered = orderJourney(messy) as Record<string, unknown>;
    expect(Object.keys(ordered)).toEqual([
      '$schema',
      'schemaVersion',
      'id',
      'name',
      'variables',
      'nodes',
      'edges',
      'zzz',
    ]);
    const nodes = ordered.nodes as Record<string, unknown>[];
    expect(nodes.map((node) => node.id)).toEqual(['b', 'a', 'c']);
    expect(Object.keys(nodes[0] as object)).toEqual(['id', 'type', 'position', 'data']);
    expect(Object.keys((nodes[0] as { position: object }).position)).toEqual(['x', 'y']);
    expect(Object.keys((nodes[0] as { data: object }).data)).toEqual(['label', 'text']);
    const activity = (nodes[2] as { data: Record<string, unknown> }).data;
    expect(Object.keys(activity)).toEqual(['label', 'activity', 'input', 'output', 'retry']);
    expect(Object.keys(activity.input as object)).toEqual(['z', 'a']);
    expect(Object.keys(activity.retry as object)).toEqual(['maximumAttempts', 'maximumIntervalSeconds']);
    expect(Object.keys((ordered.variables as Record<string, object>).zeta as object)).toEqual(['type', 'description']);
    expect(Object.keys(ordered.variables as object)).toEqual(['zeta', 'alpha']);
    expect(Object.keys((ordered.edges as object[])[0] as object)).toEqual(['id', 'source', 'sourceHandle', 'target']);
  });

  test('layout: nodes expanded (a move changes one line), edges and short objects on one line', () => {
    const text = formatJourney(messy);
    expect(text).toContain(
      [
        '    {',
        '      "id": "b",',
        '      "type": "message",',
        '      "position": { "x": 5, "y": 10 },',
        '      "data": { "label": "Greeting", "text": "Hello" }',
        '    },',
      ].join('\n'),
    );
    expect(text).toContain('    { "id": "e1", "source": "a", "sourceHandle": "next", "target": "b" }\n');
    expect(text).toContain('    "alpha": { "type": "number", "default": 1 }\n');
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^( {2})*\S/);
  });

  test('is idempotent and loses nothing; the output is canonical', () => {
    const text = formatJourney(messy);
    expect(formatJourney(JSON.parse(text))).toBe(text);
    expect(isCanonicalJourney(text)).toBe(true);
    expect(isCanonicalJourney(JSON.stringify(messy, null, 2))).toBe(false);
    expect(JSON.parse(text)).toEqual(messy);
  });

  test('the example journeys are canonical and compile', () => {
    for (const name of ['order-tracking', 'complaint']) {
      const text = readFileSync(join(root, 'examples', name, 'journey.json'), 'utf8');
      expect(isCanonicalJourney(text)).toBe(true);
      expect(compileJourney(JSON.parse(text)).ok).toBe(true);
    }
  });

  test('long values expand; width is a parameter', () => {
    const long = { list: Array.from({ length: 30 }, (_, i) => `item number ${i}`) };
    const wide = printJson(long, { width: 10_000 });
    expect(wide.split('\n')).toHaveLength(1);
    const narrow = printJson(long, { width: 80 });
    expect(narrow.split('\n')).toHaveLength(34);
    expect(printJson({ a: [], b: {} })).toBe('{ "a": [], "b": {} }');
  });

  test('property: any JSON journey-like value formats to a fixed point that parses back to the same data', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    const node = fc.record({
      id: fc.string(),
      type: fc.constantFrom('message', 'ask', 'activity', 'classify', 'nope'),
      position: fc.record({ x: fc.integer(), y: fc.integer() }),
      data: fc.dictionary(fc.string(), json),
    });
    const journey = fc.record(
      {
        schemaVersion: fc.constant(1),
        id: fc.string(),
        name: fc.string(),
        variables: fc.dictionary(fc.string(), json),
        nodes: fc.array(node, { maxLength: 5 }),
        edges: fc.array(fc.dictionary(fc.string(), json), { maxLength: 5 }),
        extra: json,
      },
      { requiredKeys: ['schemaVersion', 'id', 'nodes'] },
    );
    fc.assert(
      fc.property(journey, (value) => {
        const text = formatJourney(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(formatJourney(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
