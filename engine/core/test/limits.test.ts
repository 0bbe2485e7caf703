import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import type { CompiledJourney, Diagnostic } from '@baton/schemas';
import { compileJourney, type CompileResult } from '../src/compiler';
import { inspectRule, startConversation } from '../src/interpreter';
import { ruleOperators } from '@baton/schemas/rule-operators';
import { ruleLimits } from '../src/interpreter/rules';
import { applyRule, ruleBudget, RuleBudgetExceeded } from '../src/interpreter/rule-evaluator';
import { T0, ann } from '@baton/test-support/fixtures/conversation';
import { compileOk, edge, journey, n, node } from '@baton/test-support/fixtures/journeys';

function only(result: CompileResult, code: string): Diagnostic {
  const found = result.diagnostics.filter((d) => d.code === code);
  if (found.length !== 1)
    throw new Error(`expected one "${code}" diagnostic, got ${found.length}:\n${JSON.stringify(result.diagnostics)}`);
  expect(result.ok).toBe(false);
  return found[0] as Diagnostic;
}

/** start → set (x = rule) → end */
function setJourney(rule: unknown) {
  return journey(
    [n.start(), n.set('calc', [{ variable: 'x', value: rule as never }]), n.end('done')],
    [edge('start', 'next', 'calc'), edge('calc', 'next', 'done')],
    { variables: { x: {}, items: { default: [1, 2, 3] } } },
  );
}

/** A rule of `depth` maps, each over a literal list of `width` items. */
function nestedMaps(depth: number, width: number): unknown {
  const items = Array.from({ length: width }, (_, index) => index);
  let rule: unknown = { '+': [{ var: '' }, 1] };
  for (let level = 0; level < depth; level += 1) rule = { map: [items, rule] };
  return rule;
}

/** A chain start → m1 → … → m{count-2} → end. */
function chain(count: number) {
  const nodes = [n.start(), ...Array.from({ length: count - 2 }, (_, i) => n.message(`m${i}`, 'hi')), n.end('done')];
  const ids = nodes.map((raw) => raw.id);
  const edges = ids.slice(1).map((id, i) => edge(ids[i] as string, 'next', id));
  return journey(nodes, edges);
}

describe('journey limits at compile time', () => {
  test('a journey has at most 500 nodes; a 5,000-node chain is a diagnostic, not a stack overflow', () => {
    expect(compileJourney(chain(500)).ok).toBe(true);
    const result = compileJourney(chain(5000));
    expect(only(result, 'too_many_nodes')).toMatchObject({ path: '/nodes', severity: 'error' });
    expect(result.diagnostics.some((d) => d.code === 'internal')).toBe(false);
  });

  test('a journey has at most 2,000 edges', () => {
    const raw = chain(3);
    raw.edges = Array.from({ length: 2001 }, (_, i) => edge('start', 'next', 'done', `e${i}`));
    expect(only(compileJourney(raw), 'too_many_edges')).toMatchObject({ path: '/edges' });
  });

  test('the cycle check walks a long chain without recursion', () => {
    // Below the node limit the walk is short anyway; the 500-node chain above and a long instant cycle here.
    const nodes = [
      n.start(),
      ...Array.from({ length: 400 }, (_, i) => node(`s${i}`, 'set', { assign: [{ variable: 'v', value: i }] })),
    ];
    const edges = [edge('start', 'next', 's0'), ...nodes.slice(2).map((raw, i) => edge(`s${i}`, 'next', raw.id))];
    edges.push(edge('s399', 'next', 's0'));
    const result = compileJourney(journey(nodes, edges));
    expect(only(result, 'instant_cycle').nodeId).toBe('s0');
  });

  test('a rule nests at most 32 levels; a rule nested 5,000 deep is a located diagnostic', () => {
    expect(compileJourney(setJourney(nestedMaps(ruleLimits.maxDepth - 1, 1))).ok).toBe(true);
    const tooDeep = only(compileJourney(setJourney(nestedMaps(40, 1))), 'rule_too_deep');
    expect(tooDeep.nodeId).toBe('calc');
    expect(tooDeep.path.startsWith('/nodes/1/data/assign/0/value/map/1/map/1')).toBe(true);

    const result = compileJourney(setJourney(nestedMaps(5000, 1)));
    expect(result.ok).toBe(false);
    expect(result.diagnostics.some((d) => d.code === 'internal')).toBe(false);
    expect(only(result, 'too_deep')).toMatchObject({ nodeId: 'calc' });
    expect(only(result, 'too_deep').path.startsWith('/nodes/1/data/assign/0/value/map/1/map/1')).toBe(true);
  });

  test('anything else nested 5,000 deep (a variable default) is a located diagnostic', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 5000; level += 1) deep = [deep];
    const raw = setJourney(1);
    raw.variables = { x: { default: deep as never } };
    const result = compileJourney(raw);
    expect(only(result, 'too_deep').path.startsWith('/variables/x/default/0/0')).toBe(true);
  });

  test('the 3 KB rule of nested maps is refused for its static cost', () => {
    const rule = nestedMaps(6, 100);
    expect(JSON.stringify(rule).length).toBeLessThan(4000);
    const costly = only(compileJourney(setJourney(rule)), 'rule_too_costly');
    expect(costly).toMatchObject({ nodeId: 'calc', path: '/nodes/1/data/assign/0/value' });
    expect(costly.message).toMatch(/nested map\/filter\/reduce/);
    // A map over a list read at run time counts as 100 items: two levels are fine, three of a big body not.
    expect(compileJourney(setJourney({ map: [{ var: 'items' }, { map: [{ var: '' }, 1] }] })).ok).toBe(true);
  });

  test.each(['filter', 'reduce', 'all', 'some', 'none'])('nested %s multiplies the cost like map', (op) => {
    let rule: unknown = { '==': [{ var: '' }, 1] };
    for (let level = 0; level < 4; level += 1) rule = { [op]: [{ var: 'items' }, rule] };
    expect(only(compileJourney(setJourney(rule)), 'rule_too_costly').nodeId).toBe('calc');
  });

  test('a rule has at most 16 KB as JSON', () => {
    const rule = { cat: Array.from({ length: 2000 }, () => 'abcdefghij') };
    expect(only(compileJourney(setJourney(rule)), 'rule_too_large')).toMatchObject({
      path: '/nodes/1/data/assign/0/value',
    });
  });

  test('a template has at most 4,000 characters (the schema says so, located)', () => {
    const raw = journey(
      [n.start(), n.message('long', 'x'.repeat(4001)), n.end('done')],
      [edge('start', 'next', 'long'), edge('long', 'next', 'done')],
    );
    expect(only(compileJourney(raw), 'invalid')).toMatchObject({ path: '/nodes/1/data/text', nodeId: 'long' });
  });
});

describe("Baton's built-in activities", () => {
  test.each(['baton.recordSurvey', 'baton.saveConversation', 'baton.somethingLater'])(
    'an activity node may not call %s, with or without a catalog',
    (name) => {
      const raw = journey(
        [n.start(), n.activity('forge', name), n.end('done')],
        [edge('start', 'next', 'forge'), edge('forge', 'ok', 'done'), edge('forge', 'error', 'done')],
      );
      for (const options of [{}, { activities: new Map() }]) {
        const diagnostic = only(compileJourney(raw, options), 'builtin_activity');
        expect(diagnostic).toMatchObject({ path: '/nodes/1/data/activity', nodeId: 'forge', severity: 'error' });
      }
    },
  );
});

describe('the operator allow-list covers every argument position', () => {
  const forbidden = { log: 'x' };
  const positions: [string, unknown, (string | number)[]][] = [
    ['var default', { var: ['a', forbidden] }, ['var', 1]],
    ['map data', { map: [forbidden, 1] }, ['map', 0]],
    ['map body', { map: [[1], forbidden] }, ['map', 1]],
    ['filter data', { filter: [forbidden, true] }, ['filter', 0]],
    ['filter body', { filter: [[1], forbidden] }, ['filter', 1]],
    ['reduce data', { reduce: [forbidden, 1, 0] }, ['reduce', 0]],
    ['reduce body', { reduce: [[1], forbidden, 0] }, ['reduce', 1]],
    ['reduce initial value', { reduce: [[1], 1, forbidden] }, ['reduce', 2]],
    ['all data', { all: [forbidden, true] }, ['all', 0]],
    ['some body', { some: [[1], forbidden] }, ['some', 1]],
    ['none data', { none: [forbidden, true] }, ['none', 0]],
    ['if branch', { if: [true, forbidden, 1] }, ['if', 1]],
    ['unary argument', { '!': forbidden }, ['!']],
    ['object in a list', { in: ['a', [1, [forbidden]]] }, ['in', 1, 1, 0]],
    ['missing key', { missing: [forbidden] }, ['missing', 0]],
    ['missing_some options', { missing_some: [1, [forbidden]] }, ['missing_some', 1, 0]],
    ['cat argument', { cat: ['a', forbidden] }, ['cat', 1]],
    ['merge argument', { merge: [[1], forbidden] }, ['merge', 1]],
    ['substr start', { substr: ['abc', forbidden] }, ['substr', 1]],
    ['max argument', { max: [1, forbidden] }, ['max', 1]],
  ];
  test.each(positions)('%s', (_, rule, path) => {
    expect(inspectRule(rule).problems).toEqual([
      { path: [...path, 'log'], message: 'unknown or forbidden rule operator "log"' },
    ]);
  });

  test('every allowed operator has a position here or is checked by the generic walk', () => {
    expect(inspectRule({ var: ['a', 0] }).problems).toEqual([]);
    expect(
      inspectRule({ reduce: [{ var: 'items' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] }),
    ).toEqual({ problems: [], vars: ['items', 'current', 'accumulator'] });
  });
});

describe('the run-time budget', () => {
  test('the evaluator gives what json-logic-js gives', () => {
    const leaf = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.constantFrom('a', 'b', '', '1', 'x.y', null, true, false),
      fc.constantFrom({ var: 'a' }, { var: 'list' }, { var: ['nope', 7] }, { var: '' }, { var: 'x.y' }),
    );
    const operators = [...ruleOperators];
    const { rule } = fc.letrec<{ rule: unknown }>((tie) => ({
      rule: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('rule'), { maxLength: 3 }),
        fc
          .record({ op: fc.constantFrom(...operators), args: fc.array(tie('rule'), { maxLength: 3 }) })
          .map(({ op, args }) => ({ [op]: args })),
      ),
    }));
    const data = { a: 2, list: [1, 'b', [3], { a: 1 }], x: { y: 'z' }, '': 0 };
    fc.assert(
      fc.property(rule, (logic) => {
        const run = (evaluate: () => unknown) => {
          try {
            return { value: evaluate() };
          } catch {
            return { threw: true };
          }
        };
        const ours = run(() => applyRule(logic, data));
        const theirs = run(() => jsonLogic.apply(logic as never, data));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 3000 },
    );
  });

  test('a rule stops past its budget of operations, and a doubling value past its length', () => {
    const list = Array.from({ length: 1000 }, (_, i) => i);
    expect(() => applyRule({ map: [{ var: 'list' }, { map: [list, 1] }] }, { list })).toThrow(RuleBudgetExceeded);
    const doubling = { reduce: [{ var: 'list' }, { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'ab'] };
    expect(() => applyRule(doubling, { list: list.slice(0, 64) })).toThrow(
      `a "cat" result grew past ${ruleBudget.maxValueLength} items`,
    );
    expect(Array.isArray(applyRule({ map: [{ var: 'list' }, 1] }, { list }))).toBe(true);
  });

  /** A compiled journey whose rule the compiler would refuse (hand-made, or from before the limits). */
  function runaway(): CompiledJourney {
    const compiled = compileOk(setJourney(1));
    const nodes = compiled.nodes as Record<string, { data: Record<string, unknown> }>;
    (nodes.calc as { data: Record<string, unknown> }).data = {
      assign: [{ variable: 'x', value: nestedMaps(6, 100) }],
    };
    return compiled;
  }

  test('a runaway rule ends as a failure of its node, with the reason, in well under a second', () => {
    const began = Date.now();
    const { state, effects } = startConversation(runaway(), {
      conversationId: 'c1',
      channel: 'web',
      customer: ann,
      variables: {},
      at: T0,
    });
    expect(Date.now() - began).toBeLessThan(1000);
    expect(state.status).toBe('ended');
    expect(state.outcome).toBe('abandoned');
    expect(state.nodeId).toBe('calc');
    expect(state.counters.failures).toBe(1);
    const said = state.transcript.map((entry) => entry.text);
    expect(said).toContain(
      `The conversation stopped: node "calc" failed: the rule ran past ${ruleBudget.maxOperations} operations`,
    );
    expect(effects.at(-1)).toEqual({ type: 'end', outcome: 'abandoned' });
  });
});
