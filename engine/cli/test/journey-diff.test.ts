import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffJourneys, formatJourneyDiff } from '@baton/core/compiler';
import { JsonSyntaxError, parseJsonSource } from '../src/json-source';

const root = join(__dirname, '..', '..', '..');
const original = JSON.parse(readFileSync(join(root, 'examples', 'order-tracking', 'journey.json'), 'utf8')) as {
  nodes: { id: string; position: { x: number; y: number }; data: Record<string, unknown> }[];
  edges: { id: string; source: string; sourceHandle: string; target: string }[];
  variables: Record<string, unknown>;
  name: string;
};

function copy() {
  return JSON.parse(JSON.stringify(original)) as typeof original;
}

describe('diffJourneys', () => {
  test('identical journeys, reordered lists and renamed edges are no change', () => {
    const b = copy();
    b.nodes.reverse();
    b.edges.reverse();
    for (const edge of b.edges) edge.id = `renamed_${edge.id}`;
    const diff = diffJourneys(original, b);
    expect(diff.logicChanged).toBe(false);
    expect(diff.layoutChanged).toBe(false);
    expect(formatJourneyDiff(diff, { a: 'a', b: 'b' })).toContain('no changes');
  });

  test('writing out a default is no change', () => {
    const b = copy();
    const lookup = b.nodes.find((node) => node.id === 'lookup');
    if (lookup)
      lookup.data.retry = {
        maximumAttempts: 3,
        initialIntervalSeconds: 1,
        backoffCoefficient: 2,
        maximumIntervalSeconds: 30,
      };
    expect(diffJourneys(original, b).logicChanged).toBe(false);
  });

  test('reports nodes added, removed and changed, connections rewired, variables, and layout apart', () => {
    const b = copy();
    b.name = 'Order tracking v2';
    b.nodes = b.nodes.filter((node) => node.id !== 'no_agent');
    b.edges = b.edges.filter((edge) => edge.source !== 'no_agent');
    const timeoutEdge = b.edges.find((edge) => edge.source === 'escalate' && edge.sourceHandle === 'timeout');
    if (timeoutEdge) timeoutEdge.target = 'gone';
    b.nodes.push({
      id: 'extra',
      position: { x: 9, y: 9 },
      data: { text: 'extra' },
      type: 'message',
    } as (typeof b.nodes)[number]);
    b.edges.push({ id: 'e_new', source: 'extra', sourceHandle: 'next', target: 'gone' });
    const ask = b.nodes.find((node) => node.id === 'ask_order');
    // Where the example file has it (auto-layout may move it); the test moves it to (10, 210).
    const was = { ...original.nodes.find((node) => node.id === 'ask_order')!.position };
    if (ask) {
      ask.data.prompt = 'Your order number, please?';
      ask.position = { x: 10, y: 210 };
    }
    b.variables.note = { type: 'string' };
    delete b.variables.misses;

    const diff = diffJourneys(original, b);
    expect(diff.logicChanged).toBe(true);
    expect(diff.layoutChanged).toBe(true);
    expect(diff.envelope).toEqual([{ field: 'name', before: 'Order tracking', after: 'Order tracking v2' }]);
    expect(diff.nodes.added).toEqual([{ id: 'extra', type: 'message' }]);
    expect(diff.nodes.removed).toEqual([{ id: 'no_agent', type: 'message' }]);
    expect(diff.nodes.changed).toEqual([
      {
        id: 'ask_order',
        type: 'ask',
        changes: [
          {
            field: 'data.prompt',
            before: expect.stringContaining("What's your order number?"),
            after: 'Your order number, please?',
          },
        ],
      },
    ]);
    expect(diff.edges.rewired).toEqual([{ source: 'escalate', handle: 'timeout', before: 'no_agent', after: 'gone' }]);
    expect(diff.edges.added).toEqual([{ source: 'extra', handle: 'next', target: 'gone' }]);
    expect(diff.edges.removed).toEqual([{ source: 'no_agent', handle: 'next', target: 'gone' }]);
    expect(diff.variables).toEqual({ added: ['note'], removed: ['misses'], changed: [] });
    expect(diff.layout).toEqual([
      { id: 'ask_order', moved: { before: was, after: { x: 10, y: 210 } }, changes: expect.any(Array) },
    ]);

    const text = formatJourneyDiff(diff, { a: 'old.json', b: 'new.json' });
    expect(text).toContain('  + extra (message)');
    expect(text).toContain('  - no_agent (message)');
    expect(text).toContain('  ~ ask_order (ask)\n      data.prompt: ');
    expect(text).toContain('  ~ escalate:timeout → gone (was no_agent)');
    expect(text).toContain(`layout (no effect on conversations)\n  ~ ask_order moved (${was.x}, ${was.y}) → (10, 210)`);
  });

  test('a layout-only change says so', () => {
    const b = copy();
    for (const node of b.nodes) node.position = { x: node.position.x + 50, y: node.position.y };
    const diff = diffJourneys(original, b);
    expect(diff.logicChanged).toBe(false);
    expect(formatJourneyDiff(diff, { a: 'a', b: 'b' })).toContain('logic unchanged (layout only)');
  });
});

describe('parseJsonSource', () => {
  test('locates values by JSON pointer, falling back to the nearest ancestor', () => {
    const source = parseJsonSource('{\n  "nodes": [\n    { "id": "a",\n      "data": { "x": 1 } }\n  ]\n}\n');
    expect(source.value).toEqual({ nodes: [{ id: 'a', data: { x: 1 } }] });
    expect(source.locate('/nodes/0/data/x')).toEqual({ line: 4, column: 22 });
    expect(source.locate('/nodes/0/data/missing')).toEqual({ line: 4, column: 15 });
    expect(source.locate('/nodes/0')).toEqual({ line: 3, column: 5 });
    expect(source.locate('')).toEqual({ line: 1, column: 1 });
  });

  test('syntax errors name the line and column', () => {
    expect(() => parseJsonSource('{\n  "a": 1,\n}')).toThrow(
      new JsonSyntaxError('expected a property name in double quotes, found "}"', { line: 3, column: 1 }),
    );
    expect(() => parseJsonSource('{"a": tru}')).toThrow(/unexpected "t" at line 1, column 7/);
    expect(() => parseJsonSource('[1] x')).toThrow(/after the end of the JSON value/);
    expect(() => parseJsonSource('"abc')).toThrow(/unterminated string/);
  });

  test('agrees with JSON.parse, including "__proto__" keys as data', () => {
    const text = '{"__proto__": {"x": 1}, "s": "a\\u00e9\\n", "n": [-1.5e3, 0, true, null]}';
    const parsed = parseJsonSource(text).value as Record<string, unknown>;
    expect(parsed).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 's', 'n']);
  });
});
