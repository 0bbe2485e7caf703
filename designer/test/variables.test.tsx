import { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { nodeKinds, writtenVariables } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import { VariablesTable, withWrittenDeclared } from '../src/editor/Variables';
import { defaultData, toJourney } from '../src/model';

let latest: Record<string, unknown> = {};
function Harness({ initial }: { initial: Record<string, unknown> }) {
  const [value, setValue] = useState(initial);
  latest = value;
  return <VariablesTable value={value} onChange={setValue} />;
}

test('variables are a table: add, rename (checked), type, default as JSON, flags, remove', () => {
  render(<Harness initial={{ request: { type: 'string', description: 'What was asked' } }} />);
  expect(screen.getByLabelText('description of request')).toHaveValue('What was asked');

  fireEvent.click(screen.getByRole('button', { name: '+ Variable' }));
  expect(Object.keys(latest)).toEqual(['request', 'variable2']);

  // A name that is not an identifier is refused, and the error names the row and the field.
  const name = screen.getByLabelText('name of variable2');
  fireEvent.change(name, { target: { value: '2 tries' } });
  fireEvent.blur(name);
  expect(screen.getByRole('alert')).toHaveTextContent(/^variable2: name: must be an identifier/);
  expect(Object.keys(latest)).toEqual(['request', 'variable2']);
  fireEvent.change(name, { target: { value: 'request' } });
  fireEvent.blur(name);
  expect(screen.getByRole('alert')).toHaveTextContent('"request" is declared already');
  fireEvent.change(name, { target: { value: 'attempts' } });
  fireEvent.blur(name);
  expect(Object.keys(latest)).toEqual(['request', 'attempts']);

  fireEvent.change(screen.getByLabelText('type of attempts'), { target: { value: 'number' } });
  const dflt = screen.getByLabelText('default of attempts');
  fireEvent.change(dflt, { target: { value: 'zero' } });
  fireEvent.blur(dflt);
  expect(screen.getByRole('alert')).toHaveTextContent('attempts: default: not JSON');
  fireEvent.change(dflt, { target: { value: '0' } });
  fireEvent.blur(dflt);
  fireEvent.click(screen.getAllByRole('checkbox', { name: 'set at start' })[1]!);
  expect(latest.attempts).toEqual({ type: 'number', default: 0, input: true });

  fireEvent.click(screen.getByRole('button', { name: 'remove request' }));
  expect(Object.keys(latest)).toEqual(['attempts']);
});

test('a dropped node declares the variable it writes, so a fresh Ask has no undeclared-variable warning', () => {
  const meta = { id: 'j', name: 'J', description: '', version: 0, variables: {} };
  const data = defaultData('ask');
  const written = writtenVariables(nodeKinds.ask.form.fields, data);
  expect(written.length).toBeGreaterThan(0);
  const next = withWrittenDeclared(meta, 'ask', data);
  expect(Object.keys(next.variables)).toEqual(written);
  const journey = toJourney(
    next,
    [
      { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: defaultData('start') },
      { id: 'ask', type: 'ask', position: { x: 300, y: 0 }, data },
    ],
    [{ id: 'e', source: 'start', sourceHandle: 'next', target: 'ask' }],
  );
  const codes = compileJourney(journey).diagnostics.map((d) => d.code);
  expect(codes).not.toContain('undeclared_variable');
  // Declared already: the draft is left as it is.
  expect(withWrittenDeclared(next, 'ask', data)).toBe(next);
});

test('"customer sees it" edits customerVisible: shown as stored, set when ticked, removed when unticked, kept in the journey', () => {
  render(
    <Harness
      initial={{
        orderId: { type: 'string', customerVisible: true },
        riskScore: { type: 'number', description: 'staff only' },
      }}
    />,
  );
  const [orderId, riskScore] = screen.getAllByRole('checkbox', { name: 'customer sees it' });
  expect(orderId).toBeChecked();
  expect(riskScore).not.toBeChecked();

  fireEvent.click(riskScore!);
  expect(latest.riskScore).toEqual({ type: 'number', description: 'staff only', customerVisible: true });
  fireEvent.click(orderId!);
  expect(latest.orderId).toEqual({ type: 'string' });
  expect(
    screen.getAllByRole('checkbox', { name: 'customer sees it' }).map((box) => (box as HTMLInputElement).checked),
  ).toEqual([false, true]);

  const journey = toJourney({ id: 'j', name: 'J', description: '', version: 0, variables: latest }, [], []);
  expect(journey.variables).toEqual({
    orderId: { type: 'string' },
    riskScore: { type: 'number', description: 'staff only', customerVisible: true },
  });
});
