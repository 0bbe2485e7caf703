import { useState } from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { JsonValue } from '@baton/schemas';
import { RuleBuilder } from '../src/editor/RuleBuilder';
import { conversationPaths, type ContextPath } from '../src/editor/paths';
import { fieldsOf, queryToRule, ruleToQuery } from '../src/editor/rules';
import { exampleNames, exampleText } from './support/examples';

const paths: ContextPath[] = [{ path: 'attempts', group: 'variable', type: 'number' }, ...conversationPaths];
const fields = fieldsOf(paths);

describe('rule data ⇄ query', () => {
  const exampleRules: JsonValue[] = exampleNames.flatMap((name) =>
    (JSON.parse(exampleText(name)) as { nodes: { type: string; data: { rules?: { when: JsonValue }[] } }[] }).nodes
      .filter((n) => n.type === 'condition')
      .flatMap((n) => n.data.rules!.map((r) => r.when)),
  );

  test('every condition rule of the examples round-trips exactly', () => {
    expect(exampleRules.length).toBeGreaterThan(5);
    for (const rule of exampleRules) {
      const parsed = ruleToQuery(rule, fields);
      if (!parsed.ok) throw new Error(`${JSON.stringify(rule)}: ${parsed.reason}`);
      expect(queryToRule(parsed.query, fields)).toEqual(rule);
    }
  });

  test('groups, "or", numbers and "is one of" are saved as the JSONLogic the engine evaluates', () => {
    const query = {
      combinator: 'or',
      rules: [
        { field: 'sentiment.score', operator: '<', value: '-0.4' },
        {
          combinator: 'and',
          rules: [
            { field: 'time.hour', operator: '>=', value: '18' },
            { field: 'customer.tier', operator: 'in', value: 'gold,vip' },
          ],
        },
      ],
    };
    const rule = queryToRule(query, fields);
    expect(rule).toEqual({
      or: [
        { '<': [{ var: 'sentiment.score' }, -0.4] },
        { and: [{ '>=': [{ var: 'time.hour' }, 18] }, { in: [{ var: 'customer.tier' }, ['gold', 'vip']] }] },
      ],
    });
    const back = ruleToQuery(rule, fields);
    expect(back.ok && queryToRule(back.query, fields)).toEqual(rule);
  });

  test('shapes the builder would change are refused, not rewritten', () => {
    for (const rule of [
      { '+': [1, 2] },
      { '===': [{ var: 'attempts' }, 2] },
      true,
      { if: [{ var: 'a' }, 1, 2] },
      { '>=': [{ '+': [{ var: 'attempts' }, 1] }, 3] },
    ] as JsonValue[]) {
      expect(ruleToQuery(rule, fields)).toEqual({ ok: false, reason: expect.any(String) });
    }
  });
});

function Harness({ initial, onRule }: { initial: JsonValue; onRule: (r: JsonValue) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <RuleBuilder
      name="r"
      value={value}
      paths={paths}
      onChange={(r) => {
        setValue(r);
        onRule(r);
      }}
    />
  );
}

test('editing in the builder saves JSONLogic', () => {
  const rules: JsonValue[] = [];
  render(<Harness initial={{ '>=': [{ var: 'attempts' }, 2] }} onRule={(r) => rules.push(r)} />);
  const builder = screen.getByTestId('rule-builder-r');
  const value = within(builder).getByDisplayValue('2');
  fireEvent.change(value, { target: { value: '3' } });
  expect(rules.at(-1)).toEqual({ '>=': [{ var: 'attempts' }, 3] });
  const field = within(builder).getByDisplayValue('attempts (variable)'); // fields are named for people, not raw paths
  fireEvent.change(field, { target: { value: 'counters.failures' } });
  expect(rules.at(-1)).toEqual({ '>=': [{ var: 'counters.failures' }, 3] });
});

test('an unsupported rule is shown read-only with a message', () => {
  const rules: JsonValue[] = [];
  render(<Harness initial={{ '>=': [{ '+': [{ var: 'attempts' }, 1] }, 3] }} onRule={(r) => rules.push(r)} />);
  const box = screen.getByTestId('rule-readonly-r');
  expect(box).toHaveTextContent('read-only');
  expect(box.querySelector('pre')).toHaveTextContent('"+"');
  expect(screen.queryByTestId('rule-builder-r')).toBeNull();
  expect(rules).toEqual([]);
  fireEvent.click(within(box).getByRole('button', { name: 'Replace with a new condition' }));
  expect(screen.getByTestId('rule-builder-r')).toBeInTheDocument();
  expect(rules).toHaveLength(1);
});

test("the builder names its boxes and buttons, and intent.name is a choice among the journey's intents", () => {
  const rules: JsonValue[] = [];
  const intentPaths = conversationPaths.map((p) =>
    p.path === 'intent.name' ? { ...p, values: ['reset_password', 'human'] } : p,
  );
  function IntentHarness() {
    const [value, setValue] = useState<JsonValue>({ '==': [{ var: 'intent.name' }, 'human'] });
    return (
      <RuleBuilder
        name="i"
        value={value}
        paths={intentPaths}
        onChange={(r) => {
          setValue(r);
          rules.push(r);
        }}
      />
    );
  }
  render(<IntentHarness />);
  const builder = screen.getByTestId('rule-builder-i');
  expect(within(builder).getByRole('button', { name: '+ Condition' })).toHaveAttribute(
    'title',
    'Add a condition to this rule',
  );
  expect(within(builder).getByDisplayValue('intent name')).toHaveAttribute('title', 'What to test');
  const value = within(builder).getByTitle('Value to compare with');
  expect(value.tagName).toBe('SELECT');
  expect(Array.from((value as HTMLSelectElement).options, (o) => o.value)).toEqual(['reset_password', 'human']);
  fireEvent.change(value, { target: { value: 'reset_password' } });
  expect(rules.at(-1)).toEqual({ '==': [{ var: 'intent.name' }, 'reset_password'] });
});
