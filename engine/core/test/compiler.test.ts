import type { Diagnostic } from '@baton/schemas';
import { compileJourney, type CompileResult } from '../src/compiler';
import {
  clone,
  compileOk,
  dataOf,
  edge,
  journey,
  minimalJourney,
  n,
  node,
  passwordResetJourney,
  type RawJourney,
} from '@baton/test-support/fixtures/journeys';

function errors(result: CompileResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === 'error');
}

/** The one diagnostic with this code; fails when there is none or more than one. */
function only(result: CompileResult, code: string): Diagnostic {
  const found = result.diagnostics.filter((d) => d.code === code);
  if (found.length !== 1)
    throw new Error(
      `expected one "${code}" diagnostic, got ${found.length}:\n${JSON.stringify(result.diagnostics, null, 2)}`,
    );
  return found[0] as Diagnostic;
}

function rejected(input: unknown, options?: Parameters<typeof compileJourney>[1]): CompileResult {
  const result = compileJourney(input, options);
  expect(result.ok).toBe(false);
  expect(errors(result).length).toBeGreaterThan(0);
  for (const d of result.diagnostics) expect(d.message.length).toBeGreaterThan(0);
  return result;
}

const noOptionalKeys = (d: Diagnostic) => ({ nodeId: d.nodeId, edgeId: d.edgeId });

describe('compileJourney: valid journeys', () => {
  test('the password-reset example compiles without diagnostics', () => {
    const result = compileJourney(passwordResetJourney());
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.journey.start).toBe('start');
    expect(result.journey.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.journey.nodes.greet?.next).toEqual({ next: 'ask_need' });
    expect(result.journey.nodes.triage?.next).toEqual({
      reset_password: 'mood',
      human: 'escalate',
      fallback: 'escalate',
    });
    expect(result.journey.defaults).toEqual({ attempts: 0 });
  });

  test('defaults of node data are filled in', () => {
    const compiled = compileOk(
      journey(
        [n.start(), n.ask('q', 'answer'), n.end('done'), n.end('gone', 'abandoned')],
        [edge('start', 'next', 'q'), edge('q', 'reply', 'done'), edge('q', 'timeout', 'gone')],
        {
          variables: { answer: { type: 'string' } },
        },
      ),
    );
    expect(compiled.nodes.q?.data).toEqual({ prompt: 'Question?', variable: 'answer', timeoutSeconds: 600 });
  });

  test('does not modify its input', () => {
    const input = passwordResetJourney();
    const before = clone(input);
    compileJourney(input);
    expect(input).toEqual(before);
  });
});

describe('compileJourney: rejections', () => {
  test('unknown node kind', () => {
    const input = journey([n.start(), node('tp', 'teleport', {}), n.end('done')], [edge('start', 'next', 'done')]);
    const d = only(rejected(input), 'unknown_kind');
    expect(d).toMatchObject({ severity: 'error', nodeId: 'tp', path: '/nodes/1/type' });
    expect(d.message).toContain('teleport');
  });

  test('unknown activity, when an activity catalog is given', () => {
    const input = journey(
      [n.start(), n.activity('lookup', 'crm.lookupp'), n.end('done'), n.end('failed', 'abandoned')],
      [edge('start', 'next', 'lookup'), edge('lookup', 'ok', 'done'), edge('lookup', 'error', 'failed')],
    );
    const activities = new Map([['crm.lookup', { name: 'crm.lookup', input: { type: 'object' } }]]);
    const d = only(rejected(input, { activities }), 'unknown_activity');
    expect(d).toMatchObject({ severity: 'error', nodeId: 'lookup', path: '/nodes/1/data/activity' });
    expect(d.message).toContain('crm.lookupp');
    // Without a catalog the compiler cannot know, and accepts the name.
    expect(compileJourney(input).ok).toBe(true);
  });

  test('dangling edge: unknown source', () => {
    const input = minimalJourney();
    input.edges.push(edge('ghost', 'next', 'done', 'e_ghost'));
    const d = only(rejected(input), 'dangling_edge');
    expect(d).toMatchObject({ severity: 'error', edgeId: 'e_ghost', path: '/edges/2/source' });
    expect(d.message).toContain('ghost');
  });

  test('dangling edge: unknown target', () => {
    const input = journey(
      [n.start(), n.message('hello', 'Hello'), n.end('done')],
      [edge('start', 'next', 'hello'), edge('hello', 'next', 'nowhere', 'e_nowhere')],
    );
    const result = rejected(input);
    const d = only(result, 'dangling_edge');
    expect(d).toMatchObject({ severity: 'error', edgeId: 'e_nowhere', nodeId: 'hello', path: '/edges/1/target' });
    expect(d.message).toContain('nowhere');
  });

  test('duplicate edge: the same source handle connected twice', () => {
    const input = journey(
      [n.start(), n.message('a', 'A'), n.message('b', 'B'), n.end('done')],
      [
        edge('start', 'next', 'a', 'e1'),
        edge('start', 'next', 'b', 'e2'),
        edge('a', 'next', 'done', 'e3'),
        edge('b', 'next', 'done', 'e4'),
      ],
    );
    const result = rejected(input);
    const d = only(result, 'duplicate_edge');
    expect(d).toMatchObject({ severity: 'error', edgeId: 'e2', nodeId: 'start', path: '/edges/1' });
    // The first edge wins, so "b" is then unreachable: reported too, not instead.
    expect(only(result, 'unreachable')).toMatchObject({ nodeId: 'b', path: '/nodes/2' });
  });

  test('duplicate node id', () => {
    const input = minimalJourney();
    input.nodes.push(n.message('hello', 'Hello again'));
    const d = only(rejected(input), 'duplicate_node');
    expect(d).toMatchObject({ severity: 'error', nodeId: 'hello', path: '/nodes/3/id' });
  });

  test('duplicate edge id', () => {
    const input = journey(
      [n.start(), n.message('hello', 'Hello'), n.end('done')],
      [edge('start', 'next', 'hello', 'same'), edge('hello', 'next', 'done', 'same')],
    );
    const result = rejected(input);
    const d = only(result, 'duplicate_edge_id');
    expect(d).toMatchObject({ severity: 'error', edgeId: 'same', path: '/edges/1/id' });
  });

  test('unreachable node', () => {
    const input = minimalJourney();
    input.nodes.push(n.message('orphan', 'Nobody gets here'));
    input.edges.push(edge('orphan', 'next', 'done'));
    const d = only(rejected(input), 'unreachable');
    expect(d).toMatchObject({ severity: 'error', nodeId: 'orphan', path: '/nodes/3' });
    expect(d.edgeId).toBeUndefined();
  });

  test('required handle left unconnected: an ask without a timeout edge', () => {
    const input = journey(
      [n.start(), n.ask('q', 'answer'), n.end('done')],
      [edge('start', 'next', 'q'), edge('q', 'reply', 'done')],
      {
        variables: { answer: { type: 'string' } },
      },
    );
    const d = only(rejected(input), 'unconnected_handle');
    expect(d).toMatchObject({ severity: 'error', nodeId: 'q', path: '/nodes/1' });
    expect(d.message).toContain('"timeout"');
  });

  test('a cycle through no waiting node (message → set → condition → message)', () => {
    const input = journey(
      [
        n.start(),
        n.message('m', 'Again'),
        n.set('s', [{ variable: 'k', value: { '+': [{ var: 'k' }, 1] } }]),
        n.condition('c', [{ id: 'loop', when: { '<': [{ var: 'k' }, 3] } }]),
        n.end('done'),
      ],
      [
        edge('start', 'next', 'm'),
        edge('m', 'next', 's'),
        edge('s', 'next', 'c'),
        edge('c', 'loop', 'm'),
        edge('c', 'else', 'done'),
      ],
      { variables: { k: { type: 'number', default: 0 } } },
    );
    const d = only(rejected(input), 'instant_cycle');
    expect(d).toMatchObject({ severity: 'error', nodeId: 'm', path: '/nodes/1' });
    for (const id of ['m', 's', 'c']) expect(d.message).toContain(id);
  });

  test('a cycle through a waiting node is fine', () => {
    const input = journey(
      [
        n.start(),
        n.message('m', 'Again'),
        n.ask('q', 'answer'),
        n.condition('c', [{ id: 'loop', when: { '==': [{ var: 'answer' }, 'again'] } }]),
        n.end('done'),
      ],
      [
        edge('start', 'next', 'm'),
        edge('m', 'next', 'q'),
        edge('q', 'reply', 'c'),
        edge('q', 'timeout', 'done'),
        edge('c', 'loop', 'm'),
        edge('c', 'else', 'done'),
      ],
      { variables: { answer: { type: 'string' } } },
    );
    expect(compileJourney(input).ok).toBe(true);
  });

  test('bad rule: forbidden operator "log"', () => {
    const input = journey(
      [
        n.start(),
        n.condition('c', [
          { id: 'r1', when: { '==': [1, 1] } },
          { id: 'r2', when: { and: [true, { log: 'leak' }] } },
        ]),
        n.end('done'),
      ],
      [edge('start', 'next', 'c'), edge('c', 'r1', 'done'), edge('c', 'r2', 'done'), edge('c', 'else', 'done')],
    );
    const d = only(rejected(input), 'bad_rule');
    expect(d).toMatchObject({ severity: 'error', nodeId: 'c', path: '/nodes/1/data/rules/1/when/and/1/log' });
    expect(d.message).toContain('log');
  });

  test('bad rule: an operation object with two keys', () => {
    const input = journey(
      [n.start(), n.set('s', [{ variable: 'x', value: { '+': [1, 2], '-': [3, 1] } }]), n.end('done')],
      [edge('start', 'next', 's'), edge('s', 'next', 'done')],
      { variables: { x: { type: 'number' } } },
    );
    const d = only(rejected(input), 'bad_rule');
    expect(d).toMatchObject({ severity: 'error', nodeId: 's', path: '/nodes/1/data/assign/0/value' });
  });

  test('bad rule in an activity input', () => {
    const input = journey(
      [
        n.start(),
        n.activity('a', 'crm.lookup', { input: { id: { eval: 'process.exit()' } } }),
        n.end('done'),
        n.end('failed', 'abandoned'),
      ],
      [edge('start', 'next', 'a'), edge('a', 'ok', 'done'), edge('a', 'error', 'failed')],
    );
    const d = only(rejected(input), 'bad_rule');
    expect(d).toMatchObject({ nodeId: 'a', path: '/nodes/1/data/input/id/eval' });
  });

  test('unknown variable in a template is a warning; the journey still compiles', () => {
    const input = journey(
      [n.start(), n.message('hello', 'Hi {{customer.name}}, your order {{order.id}}'), n.end('done')],
      [edge('start', 'next', 'hello'), edge('hello', 'next', 'done')],
    );
    const result = compileJourney(input);
    expect(result.ok).toBe(true);
    const d = only(result, 'unknown_variable');
    expect(d).toMatchObject({ severity: 'warning', nodeId: 'hello', path: '/nodes/1/data/text' });
    expect(d.message).toContain('order');
  });

  test('unknown variable in a rule is a warning; the journey still compiles', () => {
    const input = journey(
      [n.start(), n.condition('c', [{ id: 'vip', when: { '==': [{ var: 'tier.level' }, 'gold'] } }]), n.end('done')],
      [edge('start', 'next', 'c'), edge('c', 'vip', 'done'), edge('c', 'else', 'done')],
    );
    const result = compileJourney(input);
    expect(result.ok).toBe(true);
    const d = only(result, 'unknown_variable');
    expect(d).toMatchObject({ severity: 'warning', nodeId: 'c', path: '/nodes/1/data/rules/0/when' });
    expect(d.message).toContain('tier');
  });

  test('declared variables, written variables and context names are known', () => {
    const input = journey(
      [
        n.start(),
        n.ask('q', 'reply'),
        n.message(
          'm',
          '{{reply}} {{declared}} {{customer.name}} {{intent.name}} {{sentiment.label}} {{counters.turns}} {{lastMessage}} {{time.hour}} {{agent.name}} {{conversation.id}} {{journey.id}}',
        ),
        n.end('done'),
      ],
      [edge('start', 'next', 'q'), edge('q', 'reply', 'm'), edge('q', 'timeout', 'done'), edge('m', 'next', 'done')],
      { variables: { declared: { type: 'string' }, reply: { type: 'string' } } },
    );
    expect(compileJourney(input).diagnostics).toEqual([]);
  });

  test('missing start node', () => {
    const input = journey([n.message('hello', 'Hello'), n.end('done')], [edge('hello', 'next', 'done')]);
    const d = only(rejected(input), 'no_start');
    expect(d).toMatchObject({ severity: 'error', path: '/nodes' });
    expect(noOptionalKeys(d)).toEqual({ nodeId: undefined, edgeId: undefined });
  });

  test('two start nodes', () => {
    const input = minimalJourney();
    input.nodes.push(n.start('start2'));
    input.edges.push(edge('start2', 'next', 'hello'));
    const d = only(rejected(input), 'multiple_starts');
    expect(d).toMatchObject({ severity: 'error', nodeId: 'start2', path: '/nodes/3' });
  });

  test('an edge into the start node', () => {
    const input = journey(
      [n.start(), n.ask('q', 'answer'), n.end('done')],
      [edge('start', 'next', 'q'), edge('q', 'reply', 'done'), edge('q', 'timeout', 'start', 'e_back')],
      { variables: { answer: { type: 'string' } } },
    );
    const result = rejected(input);
    const d = only(result, 'edge_into_start');
    expect(d).toMatchObject({ severity: 'error', edgeId: 'e_back', nodeId: 'q', path: '/edges/2/target' });
  });

  test('a schemaVersion newer than this Baton', () => {
    const input = { ...minimalJourney(), schemaVersion: 2 };
    const d = only(rejected(input), 'schema_version_newer');
    expect(d).toMatchObject({ severity: 'error', path: '/schemaVersion' });
    expect(d.message).toMatch(/upgrade/i);
  });

  test('data field errors are located at /nodes/i/data/field with the node id', () => {
    const input = journey(
      [
        n.start(),
        n.ask('q', 'answer', 'Question?', { timeoutSeconds: -5 }),
        n.message('hello', ''),
        node('pause', 'wait', {}),
        n.classify('triage', ['a', 'b']),
        n.end('done', 'happily_ever_after'),
      ],
      [],
    );
    const result = rejected(input);
    const at = (nodeId: string) =>
      result.diagnostics.filter((d) => d.nodeId === nodeId && d.code === 'invalid').map((d) => d.path);
    expect(at('q')).toEqual(['/nodes/1/data/timeoutSeconds']);
    expect(at('hello')).toEqual(['/nodes/2/data/text']);
    expect(at('pause')).toEqual(['/nodes/3/data/seconds']);
    expect(at('done')).toEqual(['/nodes/5/data/outcome']);
    expect(at('triage')).toEqual([]);
  });

  test('a field the data does not know is located at /nodes/i/data/field', () => {
    const input = minimalJourney();
    dataOf(input, 'hello').txet = 'typo';
    const d = only(rejected(input), 'invalid');
    expect(d).toMatchObject({ nodeId: 'hello', path: '/nodes/1/data/txet' });
    expect(d.message).toContain('txet');
  });

  test('envelope errors are located too', () => {
    const input: Record<string, unknown> = { ...minimalJourney(), id: '1 bad id', name: '' };
    const result = rejected(input);
    const paths = result.diagnostics
      .filter((d) => d.code === 'invalid')
      .map((d) => d.path)
      .sort();
    expect(paths).toEqual(['/id', '/name']);
  });

  test('missing required activity input listed by the manifest', () => {
    const input = journey(
      [
        n.start(),
        n.activity('refund', 'orders.refund', { input: { orderId: { var: 'order' } } }),
        n.end('done'),
        n.end('failed', 'abandoned'),
      ],
      [edge('start', 'next', 'refund'), edge('refund', 'ok', 'done'), edge('refund', 'error', 'failed')],
      { variables: { order: { type: 'string' } } },
    );
    const manifest = {
      name: 'orders.refund',
      input: {
        type: 'object',
        properties: { orderId: { type: 'string' }, amount: { type: 'number' }, note: { type: 'string' } },
        required: ['orderId', 'amount'],
      },
    };
    const result = rejected(input, { activities: new Map([[manifest.name, manifest]]) });
    const d = only(result, 'missing_activity_input');
    expect(d).toMatchObject({ severity: 'error', nodeId: 'refund', path: '/nodes/1/data/input' });
    expect(d.message).toContain('amount');
    expect(errors(result)).toHaveLength(1);

    const complete = clone(input);
    dataOf(complete, 'refund').input.amount = 10;
    expect(compileJourney(complete, { activities: new Map([[manifest.name, manifest]]) }).ok).toBe(true);
  });

  test('not an object at all', () => {
    for (const value of [null, 42, 'journey', [], true]) {
      const result = rejected(value);
      expect(result.diagnostics[0]).toMatchObject({ severity: 'error', path: '' });
    }
  });
});

describe('compileJourney: names that are also Object.prototype members', () => {
  test('a condition rule with id "constructor" can be connected', () => {
    const input = journey(
      [
        n.start(),
        n.condition('c', [
          { id: 'constructor', when: true },
          { id: 'toString', when: false },
        ]),
        n.end('done'),
        n.end('other'),
      ],
      [
        edge('start', 'next', 'c'),
        edge('c', 'constructor', 'done'),
        edge('c', 'toString', 'other'),
        edge('c', 'else', 'other'),
      ],
    );
    const result = compileJourney(input);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok && result.journey.nodes.c?.next).toEqual({
      constructor: 'done',
      toString: 'other',
      else: 'other',
    });
  });

  test('an unconnected intent named "toString" falls through to the fallback like any other', () => {
    const input = journey(
      [n.start(), n.classify('k', ['toString', 'valueOf']), n.end('done'), n.end('other')],
      [edge('start', 'next', 'k'), edge('k', 'valueOf', 'done'), edge('k', 'fallback', 'other')],
    );
    const result = compileJourney(input);
    expect(result.ok).toBe(true);
    expect(only(result, 'fallthrough_handle')).toMatchObject({ severity: 'warning', nodeId: 'k', path: '/nodes/1' });
    expect(result.ok && result.journey.nodes.k?.next).toEqual({
      valueOf: 'done',
      fallback: 'other',
      toString: 'other',
    });
  });

  test('a required activity input named "toString" must still be given', () => {
    const input = journey(
      [n.start(), n.activity('a', 'crm.lookup', { input: { id: 1 } }), n.end('done'), n.end('failed', 'abandoned')],
      [edge('start', 'next', 'a'), edge('a', 'ok', 'done'), edge('a', 'error', 'failed')],
    );
    const activities = new Map([
      ['crm.lookup', { name: 'crm.lookup', input: { type: 'object', required: ['id', 'toString'] } }],
    ]);
    expect(only(rejected(input, { activities }), 'missing_activity_input')).toMatchObject({
      nodeId: 'a',
      path: '/nodes/1/data/input',
    });
  });

  test('a variable written by a node but named like a prototype member is still reported as undeclared', () => {
    const input = journey(
      [n.start(), n.set('s', [{ variable: 'toString', value: 1 }]), n.end('done')],
      [edge('start', 'next', 's'), edge('s', 'next', 'done')],
    );
    expect(only(compileJourney(input), 'undeclared_variable')).toMatchObject({
      severity: 'warning',
      nodeId: 's',
      path: '/nodes/1/data',
    });
  });
});

describe('compileJourney: "__proto__" as a variable name', () => {
  const withVariable = (variables: string) =>
    JSON.parse(
      JSON.stringify(
        journey(
          [n.start(), n.ask('q', '__proto__'), n.end('done')],
          [edge('start', 'next', 'q'), edge('q', 'reply', 'done'), edge('q', 'timeout', 'done')],
        ),
      ).replace('"variables":{}', `"variables":${variables}`),
    ) as unknown;

  test('is rejected where a node writes it (the reply would silently vanish)', () => {
    const d = only(rejected(withVariable('{}')), 'reserved_variable');
    expect(d).toMatchObject({ severity: 'error', nodeId: 'q', path: '/nodes/1/data' });
  });

  test('is rejected where it is declared', () => {
    const result = rejected(withVariable('{"__proto__":{"type":"string","default":"x"}}'));
    expect(
      result.diagnostics
        .filter((d) => d.code === 'reserved_variable')
        .map((d) => d.path)
        .sort(),
    ).toEqual(['/nodes/1/data', '/variables/__proto__']);
  });
});

describe('compileJourney: all problems at once', () => {
  test('a file with three independent problems gives three diagnostics', () => {
    const input = journey(
      [
        n.start(),
        n.set('s', [{ variable: 'x', value: { log: 1 } }]),
        n.activity('a', 'crm.lookup'),
        n.end('done'),
        n.end('failed', 'abandoned'),
      ],
      [
        edge('start', 'next', 's', 'e1'),
        edge('s', 'next', 'a', 'e2'),
        edge('a', 'ok', 'done', 'e3'),
        edge('a', 'error', 'failed', 'e4'),
        edge('ghost', 'next', 'done', 'e5'),
        edge('a', 'ok', 'done', 'e3'),
      ],
      { variables: { x: { type: 'any' } } },
    );
    const result = rejected(input);
    expect(result.diagnostics.map((d) => [d.code, d.path, d.nodeId ?? d.edgeId]).sort()).toEqual(
      [
        ['bad_rule', '/nodes/1/data/assign/0/value/log', 's'],
        ['dangling_edge', '/edges/4/source', 'e5'],
        ['duplicate_edge_id', '/edges/5/id', 'e3'],
      ].sort(),
    );
  });

  test('problems in several nodes are all reported', () => {
    const input = journey(
      [n.start(), n.message('a', ''), n.message('b', ''), n.message('c', ''), n.end('done')],
      [edge('start', 'next', 'a'), edge('a', 'next', 'b'), edge('b', 'next', 'c'), edge('c', 'next', 'done')],
    );
    const result = rejected(input);
    const invalid = result.diagnostics.filter((d) => d.code === 'invalid').map((d) => d.nodeId);
    expect(invalid).toEqual(['a', 'b', 'c']);
  });
});

describe('compileJourney: one mistake, one diagnostic (no cascades from a node that failed validation)', () => {
  const summary = (result: CompileResult) =>
    result.diagnostics.map((d) => [d.severity, d.code, d.path, d.edgeId ?? d.nodeId]);

  test('an empty message text in the middle of a chain: only the text is reported', () => {
    const input = {
      schemaVersion: 1,
      id: 'cascade',
      name: 'Cascade',
      nodes: [
        { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
        { id: 'hi', type: 'message', position: { x: 0, y: 100 }, data: { text: '' } },
        { id: 'done', type: 'end', position: { x: 0, y: 200 }, data: { outcome: 'resolved_by_bot' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hi' },
        { id: 'e2', source: 'hi', sourceHandle: 'next', target: 'done' },
      ],
    };
    const result = rejected(input);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'invalid',
      path: '/nodes/1/data/text',
      nodeId: 'hi',
    });
  });

  test('a node of an unknown kind in the middle of a chain: only the kind is reported', () => {
    const input = journey(
      [
        n.start(),
        n.message('hello', 'Hello'),
        node('tp', 'teleport', { to: 'mars' }),
        n.message('after', 'Back on earth'),
        n.end('done'),
      ],
      [
        edge('start', 'next', 'hello'),
        edge('hello', 'next', 'tp'),
        edge('tp', 'next', 'after'),
        edge('after', 'next', 'done'),
      ],
    );
    const result = rejected(input);
    expect(summary(result)).toEqual([['error', 'unknown_kind', '/nodes/2/type', 'tp']]);
  });

  test('reachability runs through a chain of several invalid nodes, whatever their handles are called', () => {
    const input = journey(
      [
        n.start(),
        n.message('a', ''),
        node('b', 'teleport'),
        n.ask('c', 'answer', 'Question?', { timeoutSeconds: -1 }),
        n.end('done'),
        n.end('gone', 'abandoned'),
      ],
      [
        edge('start', 'next', 'a'),
        edge('a', 'next', 'b'),
        edge('b', 'anywhere', 'c'),
        edge('c', 'reply', 'done'),
        edge('c', 'timeout', 'gone'),
      ],
      { variables: { answer: { type: 'string' } } },
    );
    const result = rejected(input);
    expect(summary(result)).toEqual([
      ['error', 'invalid', '/nodes/1/data/text', 'a'],
      ['error', 'unknown_kind', '/nodes/2/type', 'b'],
      ['error', 'invalid', '/nodes/3/data/timeoutSeconds', 'c'],
    ]);
  });

  test('a node only reachable through an invalid node is reached; a node nothing leads to is still unreachable', () => {
    const input = journey(
      [n.start(), n.message('hi', ''), n.end('done'), n.message('orphan', 'Nobody gets here')],
      [edge('start', 'next', 'hi'), edge('hi', 'next', 'done'), edge('orphan', 'next', 'done')],
    );
    const result = rejected(input);
    expect(summary(result)).toEqual([
      ['error', 'invalid', '/nodes/1/data/text', 'hi'],
      ['error', 'unreachable', '/nodes/3', 'orphan'],
    ]);
  });

  test('a valid node whose handle leads nowhere is still reported, next to an invalid node', () => {
    const input = journey(
      [n.start(), n.message('hi', ''), n.ask('q', 'answer'), n.end('done')],
      [edge('start', 'next', 'hi'), edge('hi', 'next', 'q'), edge('q', 'reply', 'done')],
      { variables: { answer: { type: 'string' } } },
    );
    const result = rejected(input);
    expect(summary(result)).toEqual([
      ['error', 'invalid', '/nodes/1/data/text', 'hi'],
      ['error', 'unconnected_handle', '/nodes/2', 'q'],
    ]);
  });

  test('edges leaving an invalid node are still checked for dangling targets, the start and duplicate handles', () => {
    const input = journey(
      [n.start(), n.message('hi', ''), n.end('done')],
      [
        edge('start', 'next', 'hi'),
        edge('hi', 'next', 'done', 'e_ok'),
        edge('hi', 'next', 'done', 'e_twice'),
        edge('hi', 'other', 'nowhere', 'e_dangling'),
        edge('hi', 'back', 'start', 'e_back'),
      ],
    );
    const result = rejected(input);
    expect(summary(result)).toEqual([
      ['error', 'invalid', '/nodes/1/data/text', 'hi'],
      ['error', 'duplicate_edge', '/edges/2', 'e_twice'],
      ['error', 'dangling_edge', '/edges/3/target', 'e_dangling'],
      ['error', 'edge_into_start', '/edges/4/target', 'e_back'],
    ]);
    expect(result.diagnostics.slice(1).map((d) => d.nodeId)).toEqual(['hi', 'hi', 'hi']);
  });

  test('a start node that failed validation is still the start: no "no start" and no unreachable nodes', () => {
    const input = minimalJourney();
    dataOf(input, 'start').greeting = 'hi';
    const result = rejected(input);
    expect(summary(result)).toEqual([['error', 'invalid', '/nodes/0/data/greeting', 'start']]);
  });

  test('an invalid node sharing the id of a valid one does not stand in for it', () => {
    const input = minimalJourney();
    input.nodes.push(node('hello', 'teleport'));
    const result = rejected(input);
    expect(summary(result)).toEqual([['error', 'unknown_kind', '/nodes/3/type', 'hello']]);
  });
});

describe('compileJourney: content hash', () => {
  function hashOf(input: unknown): string {
    return compileOk(input).hash;
  }

  /** The same object with its keys in reverse order at every depth. */
  function reverseKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reverseKeys);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).reverse()) out[key] = reverseKeys((value as Record<string, unknown>)[key]);
    return out;
  }

  const base = passwordResetJourney();
  const baseHash = hashOf(base);

  test('is the same when compiled twice', () => {
    expect(hashOf(passwordResetJourney())).toBe(baseHash);
  });

  test('ignores node positions and measured sizes', () => {
    const moved = passwordResetJourney();
    moved.nodes.forEach((node, index) => {
      node.position = { x: node.position.x * 3 + index, y: -node.position.y - 7 };
      node.width = 180 + index;
      node.height = 40;
    });
    expect(hashOf(moved)).toBe(baseHash);
  });

  test('ignores key order at every depth', () => {
    const reordered = reverseKeys(passwordResetJourney());
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(base));
    expect(hashOf(reordered)).toBe(baseHash);
  });

  test('ignores the order of the nodes and edges arrays, edge ids and the published version', () => {
    const shuffled = passwordResetJourney();
    shuffled.nodes.reverse();
    shuffled.edges.reverse();
    shuffled.edges.forEach((e, index) => (e.id = `edge${index}`));
    shuffled.version = 7;
    expect(hashOf(shuffled)).toBe(baseHash);
  });

  test('changes when the logic changes', () => {
    const variants: ((j: RawJourney) => void)[] = [
      (j) => (dataOf(j, 'greet').text = 'Hello {{customer.name}}!'),
      (j) => ((j.edges.find((e) => e.id === 'e_need_timeout') as { target: string }).target = 'escalate'),
      (j) => (dataOf(j, 'triage').minConfidence = 0.31),
      (j) => ((j.variables as Record<string, { default?: unknown }>).attempts!.default = 1),
      (j) => dataOf(j, 'mood').rules.reverse(),
      (j) => (j.name = 'Password reset v2'),
    ];
    const hashes = new Set([baseHash]);
    for (const change of variants) {
      const changed = passwordResetJourney();
      change(changed);
      hashes.add(hashOf(changed));
    }
    expect(hashes.size).toBe(variants.length + 1);
  });

  test('a default spelled out gives the same hash as the default left out', () => {
    const explicit = passwordResetJourney();
    dataOf(explicit, 'escalate').timeoutSeconds = 86400;
    dataOf(explicit, 'escalate').message = "I'm bringing in a specialist who can dive deeper into this for you.";
    dataOf(explicit, 'ask_need').label = 'Asked what the customer needs';
    dataOf(explicit, 'triage').input = '{{lastMessage}}';
    expect(hashOf(explicit)).toBe(baseHash);
  });
});
