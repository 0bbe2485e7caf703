import { useState } from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { SchemaForm, type JsonSchema } from '../src/editor/SchemaForm';
import type { ContextPath } from '../src/editor/paths';

// The shape zod's toJSONSchema gives an activity input (as GET /api/activities serves it).
const schema: JsonSchema = {
  type: 'object',
  properties: {
    email: { type: 'string', format: 'email', description: 'where the link goes' },
    priority: { type: 'string', enum: ['low', 'normal', 'high'] },
    amount: { type: 'number', minimum: 0 },
    notify: { type: 'boolean' },
    address: { type: 'object', properties: { street: { type: 'string' }, zip: { type: 'string' } }, required: ['zip'] },
  },
  required: ['email', 'amount'],
};
const paths: ContextPath[] = [
  { path: 'customer.email', group: 'customer', type: 'string' },
  { path: 'order', group: 'activity result', type: 'object' },
  { path: 'order.total', group: 'activity result', type: 'number' },
  { path: 'request', group: 'variable', type: 'string' },
];

function Harness({ initial, onValue }: { initial: Record<string, never>; onValue: (v: unknown) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <SchemaForm
      schema={schema}
      value={value}
      paths={paths}
      onChange={(v) => {
        setValue(v as Record<string, never>);
        onValue(v);
      }}
    />
  );
}

test('one field per property, typed by the schema, required ones marked', () => {
  render(<Harness initial={{}} onValue={() => undefined} />);
  const form = screen.getByTestId('schema-form');
  const field = (name: string) => form.querySelector(`[data-field="${name}"]`) as HTMLElement;
  expect(within(field('email')).getByLabelText('email')).toHaveAttribute('type', 'email');
  expect(within(field('amount')).getByLabelText('amount')).toHaveAttribute('type', 'number');
  expect(within(field('notify')).getByLabelText('notify')).toHaveAttribute('type', 'checkbox');
  const options = within(field('priority')).getByLabelText('priority').querySelectorAll('option');
  expect(Array.from(options, (o) => o.textContent)).toEqual(['—', 'low', 'normal', 'high']);
  // Required: email and amount (and zip inside address), each marked and flagged while missing.
  expect(within(field('email')).getByLabelText('required')).toBeInTheDocument();
  expect(within(field('amount')).getByLabelText('required')).toBeInTheDocument();
  expect(within(field('priority')).queryByLabelText('required')).toBeNull();
  expect(field('email')).toHaveClass('missing');
  expect(field('priority')).not.toHaveClass('missing');
  // Nested object: its own fieldset with its own fields and required mark.
  const nested = screen.getByTestId('nested-address');
  expect(within(nested).getByLabelText('address.street')).toBeInTheDocument();
  expect(
    within(nested.querySelector('[data-field="address.zip"]') as HTMLElement).getByLabelText('required'),
  ).toBeInTheDocument();
  expect(screen.getByText('where the link goes')).toBeInTheDocument();
});

test('literals are typed values; the picker maps a field from the conversation', () => {
  const values: unknown[] = [];
  render(<Harness initial={{}} onValue={(v) => values.push(v)} />);
  fireEvent.change(screen.getByLabelText('amount'), { target: { value: '12.5' } });
  fireEvent.change(screen.getByLabelText('priority'), { target: { value: 'high' } });
  fireEvent.click(screen.getByLabelText('notify'));
  fireEvent.change(screen.getByLabelText('address.zip'), { target: { value: '75001' } });
  fireEvent.change(screen.getByLabelText('email source'), { target: { value: 'customer.email' } });
  expect(values.at(-1)).toEqual({
    amount: 12.5,
    priority: 'high',
    notify: true,
    address: { zip: '75001' },
    email: { var: 'customer.email' },
  });
  expect(screen.getByTestId('mapped-email')).toHaveTextContent('{{customer.email}}');
  // The picker lists variables, activity results and customer fields, grouped.
  const groups = Array.from(screen.getByLabelText('amount source').querySelectorAll('optgroup'), (g) =>
    g.getAttribute('label'),
  );
  expect(groups).toEqual(['variable', 'activity result', 'customer']);
  // Back to a literal: the mapping is removed (the field is required again).
  fireEvent.change(screen.getByLabelText('email source'), { target: { value: '' } });
  expect(values.at(-1)).not.toHaveProperty('email');
});

test('a mapping the schema does not know is listed and can be removed', () => {
  const values: unknown[] = [];
  render(<Harness initial={{ legacy: 1 } as never} onValue={(v) => values.push(v)} />);
  expect(screen.getByText(/not in the activity's input schema/)).toBeInTheDocument();
  fireEvent.click(screen.getByRole('button', { name: 'remove' }));
  expect(values.at(-1)).toEqual({});
});
