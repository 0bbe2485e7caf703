import fc from 'fast-check';
import { CompiledJourney, Diagnostic, nodeKindNames } from '@baton/schemas';
import { compileJourney, type CompileOptions, type CompileResult } from '../src/compiler';
import { startConversation } from '../src/interpreter';
import {
  clone,
  everyKindJourney,
  minimalJourney,
  passwordResetJourney,
  type RawJourney,
} from '@baton/test-support/fixtures/journeys';

/**
 * A fixed seed keeps CI reproducible (the coverage assertions depend on what the generators
 * produce); BATON_PROPERTY_SEED=random (or a number) explores other inputs.
 */
const seedSetting = process.env.BATON_PROPERTY_SEED ?? '20261125';
if (seedSetting !== 'random') fc.configureGlobal({ seed: Number(seedSetting) });

/** BATON_PROPERTY_RUNS=10 runs every property ten times as often (a deeper local hunt). */
const runs = (count: number) => Math.max(1, Math.round(count * Number(process.env.BATON_PROPERTY_RUNS ?? 1)));

/** Reads a JSON pointer; `missing` when some segment is absent. */
const missing = Symbol('missing');
function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return missing;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function idsOf(list: unknown): Set<string> {
  const ids = new Set<string>();
  if (Array.isArray(list)) {
    for (const item of list) {
      if (item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string')
        ids.add((item as { id: string }).id);
    }
  }
  return ids;
}

/** What must hold for every input, valid or not. */
function checkResult(input: unknown, result: CompileResult): void {
  expect(typeof result.ok).toBe('boolean');
  expect(Array.isArray(result.diagnostics)).toBe(true);
  for (const d of result.diagnostics) {
    expect(Diagnostic.safeParse(d).success).toBe(true);
    expect(d.code).not.toBe('internal');
    expect(d.path === '' || d.path.startsWith('/')).toBe(true);
    expect(d.message.length).toBeGreaterThan(0);
    // A pointer names a place in the file: the field itself or, for a missing one, its parent.
    if (d.path !== '') {
      const parent = d.path.slice(0, d.path.lastIndexOf('/'));
      expect(resolvePointer(input, parent)).not.toBe(missing);
    }
    if (d.nodeId !== undefined && input && typeof input === 'object')
      expect(idsOf((input as { nodes?: unknown }).nodes).has(d.nodeId)).toBe(true);
    if (d.edgeId !== undefined && input && typeof input === 'object')
      expect(idsOf((input as { edges?: unknown }).edges).has(d.edgeId)).toBe(true);
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (result.ok) {
    expect(errors).toEqual([]);
    const journey = result.journey;
    expect(CompiledJourney.safeParse(journey).success).toBe(true);
    expect(Object.hasOwn(journey.nodes, journey.start)).toBe(true);
    for (const node of Object.values(journey.nodes)) {
      for (const target of Object.values(node.next)) expect(Object.hasOwn(journey.nodes, target)).toBe(true);
    }
    // A journey the compiler accepts can start a conversation.
    const started = startConversation(journey, {
      conversationId: 'c',
      channel: 'test',
      customer: { id: 'u' },
      variables: {},
      at: 0,
    });
    expect(started.state.path[0]?.nodeId).toBe(journey.start);
  } else {
    expect(errors.length).toBeGreaterThan(0);
    expect((result as { journey?: unknown }).journey).toBeUndefined();
  }
}

/** Diagnostic codes seen across the runs: the generators must reach every kind of check. */
const seenCodes = new Map<string, number>();

function compileChecked(input: unknown, options?: CompileOptions): CompileResult {
  const before = JSON.stringify(input);
  const first = compileJourney(input, options);
  for (const d of first.diagnostics) seenCodes.set(d.code, (seenCodes.get(d.code) ?? 0) + 1);
  expect(JSON.stringify(input)).toBe(before);
  checkResult(input, first);
  const second = compileJourney(input, options);
  expect(second).toEqual(first);
  if (first.ok && second.ok) expect(second.journey.hash).toBe(first.journey.hash);
  return first;
}

// ----- arbitraries -------------------------------------------------------------------------------

const ids = [
  'start',
  'greet',
  'ask_need',
  'triage',
  'mood',
  'x',
  'y',
  'constructor',
  'toString',
  '__proto__',
  'bad id',
  '',
];
const handles = [
  'next',
  'reply',
  'timeout',
  'ok',
  'error',
  'fallback',
  'else',
  'resolved',
  'answered',
  'yes',
  'no',
  'constructor',
  '',
];
const kinds = [...nodeKindNames, 'teleport', 'Start', ''];
const dataKeys = [
  'label',
  'text',
  'prompt',
  'variable',
  'timeoutSeconds',
  'intents',
  'rules',
  'activity',
  'input',
  'output',
  'reason',
  'seconds',
  'assign',
  'outcome',
  'message',
  'minConfidence',
  'retry',
  'queue',
];

const idArb = fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 8 }));
const smallJson = fc.jsonValue({ maxDepth: 3 });

const randomNode = fc.record(
  {
    id: idArb,
    type: fc.constantFrom(...kinds),
    position: fc.oneof(fc.record({ x: fc.integer(), y: fc.integer() }), smallJson),
    data: fc.oneof(fc.dictionary(fc.constantFrom(...dataKeys), smallJson, { maxKeys: 5 }), smallJson),
  },
  { requiredKeys: ['id', 'type'] },
);
const randomEdge = fc.record(
  {
    id: idArb,
    source: idArb,
    sourceHandle: fc.oneof(fc.constantFrom(...handles), fc.string({ maxLength: 6 })),
    target: idArb,
    targetHandle: fc.option(fc.string({ maxLength: 4 })),
  },
  { requiredKeys: ['id', 'source', 'target'] },
);
/** Journey-shaped documents whose parts are random: exercises the graph checks on odd graphs. */
const journeyShaped = fc.record(
  {
    schemaVersion: fc.oneof(fc.constant(1), fc.constant(2), smallJson),
    id: idArb,
    name: fc.oneof(fc.constant('J'), fc.string()),
    variables: fc.oneof(
      fc.dictionary(
        fc.oneof(fc.constantFrom('attempts', '__proto__', 'customer', 'toString'), fc.string({ maxLength: 6 })),
        fc.oneof(fc.constant({}), smallJson),
        { maxKeys: 3 },
      ),
      smallJson,
    ),
    nodes: fc.oneof(fc.array(randomNode, { maxLength: 8 }), smallJson),
    edges: fc.oneof(fc.array(randomEdge, { maxLength: 10 }), smallJson),
  },
  { requiredKeys: ['schemaVersion', 'nodes'] },
);

type Path = (string | number)[];

/** Every place in a JSON document, depth first. */
function placesOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value))
    value.forEach((item, index) => {
      out.push([...at, index]);
      placesOf(item, [...at, index], out);
    });
  else if (value && typeof value === 'object')
    for (const key of Object.keys(value)) {
      out.push([...at, key]);
      placesOf((value as Record<string, unknown>)[key], [...at, key], out);
    }
  return out;
}

function parentOf(
  document: unknown,
  path: Path,
): { parent: Record<string | number, unknown> | unknown[]; key: string | number } {
  let parent = document as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  return { parent, key: path[path.length - 1] as string | number };
}

type Mutation =
  | { op: 'dropEdge'; i: number }
  | { op: 'duplicateEdge'; i: number; sameId: boolean }
  | { op: 'retarget'; i: number; end: 'source' | 'target'; to: string; existing: boolean; j: number }
  | { op: 'rehandle'; i: number; handle: string }
  | { op: 'changeType'; i: number; type: string }
  | { op: 'dropNode'; i: number }
  | { op: 'duplicateNode'; i: number }
  | { op: 'addStart'; id: string }
  | { op: 'delete'; place: number }
  | { op: 'set'; place: number; value: unknown }
  | { op: 'setData'; i: number; key: string; value: unknown };

/** An index into a list of any length (taken modulo its length); unbiased so that deep places are reached too. */
const index = fc.oneof(fc.nat({ max: 5 }), fc.noBias(fc.nat({ max: 1_000_000 })));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('dropEdge' as const), i: index }),
  fc.record({ op: fc.constant('duplicateEdge' as const), i: index, sameId: fc.boolean() }),
  fc.record({
    op: fc.constant('retarget' as const),
    i: index,
    end: fc.constantFrom('source' as const, 'target' as const),
    to: idArb,
    existing: fc.boolean(),
    j: index,
  }),
  fc.record({
    op: fc.constant('rehandle' as const),
    i: index,
    handle: fc.oneof(fc.constantFrom(...handles), fc.string({ maxLength: 6 })),
  }),
  fc.record({ op: fc.constant('changeType' as const), i: index, type: fc.constantFrom(...kinds) }),
  fc.record({ op: fc.constant('dropNode' as const), i: index }),
  fc.record({ op: fc.constant('duplicateNode' as const), i: index }),
  fc.record({ op: fc.constant('addStart' as const), id: idArb }),
  fc.record({ op: fc.constant('delete' as const), place: index }),
  fc.record({ op: fc.constant('set' as const), place: index, value: smallJson }),
  fc.record({ op: fc.constant('setData' as const), i: index, key: fc.constantFrom(...dataKeys), value: smallJson }),
  fc.record({
    op: fc.constant('setData' as const),
    i: index,
    key: fc.constant('activity'),
    value: fc.constantFrom('crm.account', 'accounts.sendResetLink', 'orders.unknown'),
  }),
);

function mutate(document: RawJourney, m: Mutation): void {
  const { nodes, edges } = document;
  const pick = <T>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);
  /** An earlier mutation may have replaced a node or an edge by any value; those are left alone. */
  const pickObject = <T>(list: T[], i: number): T | undefined => {
    const item = pick(list, i);
    return item && typeof item === 'object' && !Array.isArray(item) ? item : undefined;
  };
  switch (m.op) {
    case 'dropEdge':
      if (edges.length) edges.splice(m.i % edges.length, 1);
      break;
    case 'duplicateEdge': {
      const e = pickObject(edges, m.i);
      if (e) edges.push({ ...clone(e), id: m.sameId ? e.id : `${String(e.id)}_copy` });
      break;
    }
    case 'retarget': {
      const e = pickObject(edges, m.i);
      if (e) e[m.end] = m.existing ? (pick(nodes, m.j)?.id ?? m.to) : m.to;
      break;
    }
    case 'rehandle': {
      const e = pickObject(edges, m.i);
      if (e) e.sourceHandle = m.handle;
      break;
    }
    case 'changeType': {
      const node = pickObject(nodes, m.i);
      if (node) node.type = m.type;
      break;
    }
    case 'dropNode':
      if (nodes.length) nodes.splice(m.i % nodes.length, 1);
      break;
    case 'duplicateNode': {
      const node = pickObject(nodes, m.i);
      if (node) nodes.push(clone(node));
      break;
    }
    case 'addStart':
      nodes.push({ id: m.id, type: 'start', position: { x: 0, y: 0 }, data: {} });
      break;
    case 'delete': {
      const place = pick(placesOf(document), m.place);
      if (!place) break;
      const { parent, key } = parentOf(document, place);
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key];
      break;
    }
    case 'set': {
      const place = pick(placesOf(document), m.place);
      if (!place) break;
      const { parent, key } = parentOf(document, place);
      (parent as Record<string | number, unknown>)[key] = clone(m.value);
      break;
    }
    case 'setData': {
      const node = pickObject(nodes, m.i);
      if (node && node.data && typeof node.data === 'object') node.data[m.key] = clone(m.value);
      break;
    }
  }
}

const bases = [passwordResetJourney(), everyKindJourney(), minimalJourney()];
/** The activities the bases use, with the inputs they give marked required. */
const catalog = new Map([
  [
    'accounts.sendResetLink',
    { name: 'accounts.sendResetLink', input: { type: 'object', required: ['email', 'customerId'] } },
  ],
  ['crm.account', { name: 'crm.account', input: { type: 'object', required: ['customerId'] } }],
]);
const mutatedJourney = fc
  .record({ base: fc.nat(bases.length - 1), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) })
  .map(({ base, mutations }) => {
    const document = clone(bases[base] as RawJourney);
    for (const m of mutations) {
      // A mutation may have replaced nodes/edges by something else; then the rest only touch places.
      if (!Array.isArray(document.nodes) || !Array.isArray(document.edges)) {
        if (m.op === 'delete' || m.op === 'set') mutate(document, m);
        continue;
      }
      mutate(document, m);
    }
    return document;
  });

// ----- properties --------------------------------------------------------------------------------

describe('compileJourney properties', () => {
  test('the bases compile', () => {
    for (const base of bases) expect(compileChecked(clone(base)).ok).toBe(true);
  });

  test('arbitrary JSON values: never throws, always a well-formed answer', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        compileChecked(value);
      }),
      { numRuns: runs(600) },
    );
  });

  test('arbitrary JavaScript values (not only JSON): never throws', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBoxedValues: true,
          withMap: true,
          withSet: true,
          withSparseArray: true,
        }),
        (value) => {
          const result = compileJourney(value);
          expect(typeof result.ok).toBe('boolean');
          expect(result.diagnostics.some((d) => d.code === 'internal')).toBe(false);
          if (!result.ok) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        },
      ),
      { numRuns: runs(400) },
    );
  });

  test('journey-shaped documents with random nodes and edges', () => {
    fc.assert(
      fc.property(journeyShaped, (document) => {
        compileChecked(document);
      }),
      { numRuns: runs(800) },
    );
  });

  test('mutated valid journeys: dropped, duplicated, retargeted edges, changed types, deleted fields, random data', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutatedJourney, fc.boolean(), (document, withCatalog) => {
        if (compileChecked(document, withCatalog ? { activities: catalog } : undefined).ok) accepted += 1;
      }),
      { numRuns: runs(1200) },
    );
    // Some mutations keep the journey valid (a label, a position): both outcomes are exercised.
    expect(accepted).toBeGreaterThan(0);
  });

  test('the generated inputs reached every check of the compiler', () => {
    const expected = [
      'bad_rule',
      'dangling_edge',
      'duplicate_edge',
      'duplicate_edge_id',
      'duplicate_node',
      'edge_into_start',
      'fallthrough_handle',
      'instant_cycle',
      'invalid',
      'missing_activity_input',
      'multiple_starts',
      'no_start',
      'not_an_object',
      'reserved_variable',
      'schema_version_newer',
      'unconnected_handle',
      'undeclared_variable',
      'unknown_activity',
      'unknown_handle',
      'unknown_kind',
      'unknown_variable',
      'unreachable',
    ];
    expect([...seenCodes.keys()].filter((code) => expected.includes(code)).sort()).toEqual(expected.sort());
  });

  test('the hash ignores layout and key order, for random layouts', () => {
    const reverseKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reverseKeys);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.keys(value)
          .reverse()
          .map((key) => [key, reverseKeys((value as Record<string, unknown>)[key])]),
      );
    };
    fc.assert(
      fc.property(
        fc.nat(bases.length - 1),
        fc.array(fc.record({ x: fc.double({ noNaN: true, noDefaultInfinity: true }), y: fc.integer() })),
        fc.boolean(),
        (base, positions, reverse) => {
          const original = clone(bases[base] as RawJourney);
          const moved = clone(original);
          moved.nodes.forEach(
            (node, index) => (node.position = positions[index % Math.max(positions.length, 1)] ?? { x: 0, y: 0 }),
          );
          const input = reverse ? reverseKeys(moved) : moved;
          const a = compileJourney(original);
          const b = compileJourney(input);
          expect(a.ok && b.ok && a.journey.hash === b.journey.hash).toBe(true);
        },
      ),
      { numRuns: runs(100) },
    );
  });
});
