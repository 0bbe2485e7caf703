import { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { Edge } from '@xyflow/react';
import type { ActivityManifest } from '@baton/schemas';
import { TemplateField } from '../src/editor/TemplateField';
import { applyCompletion, completionAt, contextPaths, type ContextPath } from '../src/editor/paths';
import type { FlowNode } from '../src/model';

test('completion starts after {{ and inserts a closed placeholder', () => {
  expect(completionAt('Hi {{cust', 9)).toEqual({ start: 5, prefix: 'cust' });
  expect(completionAt('Hi {{ customer.na', 17)).toEqual({ start: 6, prefix: 'customer.na' });
  expect(completionAt('Hi {{customer.name}} ok', 23)).toBeNull();
  expect(applyCompletion('Hi {{cust!', 9, 'customer.name')).toEqual({ text: 'Hi {{customer.name}}!', caret: 20 });
  // Already closed: not closed twice.
  expect(applyCompletion('Hi {{cu}}', 7, 'customer.name').text).toBe('Hi {{customer.name}}');
});

describe('what a node can read', () => {
  const activities: ActivityManifest[] = [
    {
      name: 'orders.lookup',
      description: '',
      builtin: false,
      input: {},
      output: { type: 'object', properties: { status: { type: 'string' }, total: { type: 'number' } } },
    },
  ];
  const nodes: FlowNode[] = [
    { id: 'ask', type: 'ask', position: { x: 0, y: 0 }, data: { prompt: '?', variable: 'orderNumber' } },
    {
      id: 'lookup',
      type: 'activity',
      position: { x: 0, y: 0 },
      data: { activity: 'orders.lookup', output: 'order', input: {} },
    },
    { id: 'say', type: 'message', position: { x: 0, y: 0 }, data: { text: '' } },
    { id: 'other', type: 'message', position: { x: 0, y: 0 }, data: { text: '' } },
  ];
  const edges: Edge[] = [
    { id: 'e1', source: 'ask', sourceHandle: 'reply', target: 'lookup' },
    { id: 'e2', source: 'lookup', sourceHandle: 'ok', target: 'say' },
  ];
  const meta = { variables: { attempts: { type: 'number', description: 'tries' } } };

  test('variables, customer fields and the results (with fields) of activities that run before', () => {
    const paths = contextPaths(meta, nodes, edges, activities, 'say').map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'attempts',
        'orderNumber',
        'order',
        'order.status',
        'order.total',
        'customer.email',
        'sentiment.score',
        'time.hour',
      ]),
    );
  });
  test('a node that runs before the activity does not see its result', () => {
    const paths = contextPaths(meta, nodes, edges, activities, 'other').map((p) => p.path);
    expect(paths).not.toContain('order');
    expect(paths).toContain('attempts');
  });
});

const paths: ContextPath[] = [
  { path: 'request', group: 'variable' },
  { path: 'customer.name', group: 'customer' },
  { path: 'customer.email', group: 'customer' },
  { path: 'order.status', group: 'activity result' },
];

function Harness({ onText }: { onText: (t: string | undefined) => void }) {
  const [value, setValue] = useState('Hello ');
  return (
    <TemplateField
      name="text"
      label="Text"
      multiline
      value={value}
      paths={paths}
      onChange={(v) => {
        setValue(v ?? '');
        onText(v);
      }}
    />
  );
}

test('typing {{ lists matching fields; Enter inserts the chosen one', () => {
  const texts: (string | undefined)[] = [];
  render(<Harness onText={(t) => texts.push(t)} />);
  const box = screen.getByLabelText('Text') as HTMLTextAreaElement;
  fireEvent.change(box, { target: { value: 'Hello {{cus', selectionStart: 11 } });
  const list = screen.getByRole('listbox');
  expect(Array.from(list.querySelectorAll('[role=option] code'), (o) => o.textContent)).toEqual([
    'customer.name',
    'customer.email',
  ]);
  fireEvent.keyDown(box, { key: 'ArrowDown' });
  fireEvent.keyDown(box, { key: 'Enter' });
  expect(texts.at(-1)).toBe('Hello {{customer.email}}');
  expect(screen.queryByRole('listbox')).toBeNull();
});

test('a click on a suggestion inserts it; Escape closes the list', () => {
  const texts: (string | undefined)[] = [];
  render(<Harness onText={(t) => texts.push(t)} />);
  const box = screen.getByLabelText('Text');
  fireEvent.change(box, { target: { value: 'Status: {{', selectionStart: 10 } });
  fireEvent.mouseDown(screen.getByText('order.status'));
  expect(texts.at(-1)).toBe('Status: {{order.status}}');
  fireEvent.change(box, { target: { value: 'Status: {{order.status}} {{re', selectionStart: 29 } });
  expect(screen.getByRole('listbox')).toBeInTheDocument();
  fireEvent.keyDown(box, { key: 'Escape' });
  expect(screen.queryByRole('listbox')).toBeNull();
});
