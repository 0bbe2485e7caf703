import { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { z } from 'zod';
import { nodeKindNames, nodeKinds, type ActivityManifest, type FormField, type NodeKind } from '@baton/schemas';
import { Inspector } from '../src/Inspector';
import { defaultData, type FlowNode } from '../src/model';
import type { ContextPath } from '../src/editor/paths';

const activities: ActivityManifest[] = [
  {
    name: 'kb.search',
    description: 'Searches the knowledge base.',
    input: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    output: { type: 'object' },
    builtin: false,
  },
];
const paths: ContextPath[] = [
  { path: 'request', group: 'variable', type: 'string' },
  { path: 'customer.tier', group: 'customer', type: 'string' },
];

type Data = Record<string, unknown>;
const isRecord = (value: unknown): value is Data =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A node's data with every list holding one item and every optional object turned on (from the
 * form's own "+" and checkbox values), so that every nested field has a control to find.
 */
function fullSample(fields: readonly FormField[], data: Data): Data {
  const sample: Data = { ...data };
  for (const field of fields) {
    if (field.control === 'list') {
      const items = Array.isArray(sample[field.key]) ? (sample[field.key] as unknown[]) : [];
      const list = items.length ? items : [{ ...field.newItem }];
      sample[field.key] = list.map((item) => fullSample(field.fields, isRecord(item) ? item : {}));
    }
    if (field.control === 'object') {
      const value = isRecord(sample[field.key]) ? (sample[field.key] as Data) : { ...(field.newValue ?? {}) };
      sample[field.key] = fullSample(field.fields, value);
    }
  }
  return sample;
}

type Def = { type: string; innerType?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let def = defOf(current); def.innerType && ['optional', 'default', 'nullable', 'prefault'].includes(def.type);)
    def = defOf((current = def.innerType));
  return current;
}

/** Every property of a zod object, nested objects and the objects of arrays included (item 0), as dotted paths. */
function schemaPaths(schema: z.ZodType, prefix = ''): string[] {
  const inner = unwrap(schema);
  if (!(inner instanceof z.ZodObject)) return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
    const path = `${prefix}${key}`;
    found.push(path);
    const unwrapped = unwrap(child);
    if (unwrapped instanceof z.ZodObject) found.push(...schemaPaths(unwrapped, `${path}.`));
    if (unwrapped instanceof z.ZodArray) found.push(...schemaPaths(unwrapped.element as z.ZodType, `${path}.0.`));
  }
  return found;
}

function Harness({ kind, initial, onData }: { kind: NodeKind; initial: Data; onData?: (data: Data) => void }) {
  const [data, setData] = useState(initial);
  const node: FlowNode = { id: `${kind}-1`, type: kind, position: { x: 0, y: 0 }, data };
  return (
    <Inspector
      node={node}
      activities={activities}
      paths={paths}
      onDelete={() => {}}
      onChange={(patch) => {
        const next = { ...data, ...patch };
        setData(next);
        onData?.(next);
      }}
    />
  );
}

describe.each(nodeKindNames)('the inspector of a %s node', (kind) => {
  test('has a control for every field of the schema, nested ones included', () => {
    const definition = nodeKinds[kind];
    const data = fullSample(definition.form.fields, defaultData(kind));
    const { container } = render(<Harness kind={kind} initial={data} />);
    const expected = schemaPaths(definition.data);
    expect(expected.length).toBeGreaterThan(0);
    const missing = expected.filter((path) => container.querySelector(`[data-form-field="${path}"]`) === null);
    expect(missing).toEqual([]);
  });

  test('starts from data the schema accepts', () => {
    expect(nodeKinds[kind].data.safeParse(defaultData(kind)).success).toBe(true);
  });
});

test("followup's survey settings and handoff's claimed message are edited with controls, not JSON", () => {
  const seen: Data[] = [];
  render(<Harness kind="followup" initial={defaultData('followup')} onData={(d) => seen.push(d)} />);
  // A field left out shows the schema's default (sendTranscript runs as true).
  const transcript = screen.getByLabelText('Send the transcript') as HTMLInputElement;
  expect(transcript.checked).toBe(true);
  fireEvent.click(transcript);
  fireEvent.change(screen.getByLabelText('Survey delay (seconds)'), { target: { value: '120' } });
  fireEvent.click(screen.getByLabelText('Offer related articles'));
  expect(seen.at(-1)).toEqual({ sendTranscript: false, surveyDelaySeconds: 120, relatedArticles: true });
});

test("handoff routing: turned on, a route added with its rule's queue, and turned off again", () => {
  const seen: Data[] = [];
  render(<Harness kind="handoff" initial={defaultData('handoff')} onData={(d) => seen.push(d)} />);
  fireEvent.change(screen.getByLabelText('Claimed message'), { target: { value: 'Hi, {{agent.name}} here' } });
  fireEvent.click(screen.getByLabelText('use routing'));
  fireEvent.change(screen.getByLabelText('Skills'), { target: { value: 'billing\nfrench' } });
  fireEvent.click(screen.getByRole('button', { name: '+ route' }));
  fireEvent.change(screen.getByLabelText('queue'), { target: { value: 'vip' } });
  expect(seen.at(-1)).toMatchObject({
    claimedMessage: 'Hi, {{agent.name}} here',
    routing: { skills: ['billing', 'french'], rules: [{ queue: 'vip' }] },
  });
  fireEvent.click(screen.getByLabelText('use routing'));
  expect(seen.at(-1)?.routing).toBeUndefined();
});

test("classify's model intents are picked from the triage model's list", () => {
  const seen: Data[] = [];
  render(<Harness kind="classify" initial={defaultData('classify')} onData={(d) => seen.push(d)} />);
  const select = screen.getByLabelText('model intents') as HTMLSelectElement;
  for (const option of Array.from(select.options)) option.selected = option.value === 'get_invoice';
  fireEvent.change(select);
  expect(seen.at(-1)).toMatchObject({ intents: [{ name: 'billing', modelIntents: ['get_invoice'] }] });
  fireEvent.click(screen.getByRole('button', { name: '+ intent' }));
  expect((seen.at(-1)?.intents as { name: string }[]).map((i) => i.name)).toEqual(['billing', 'intent2']);
});

test("a set node's value is a literal or an expression", () => {
  const seen: Data[] = [];
  render(<Harness kind="set" initial={defaultData('set')} onData={(d) => seen.push(d)} />);
  const value = screen.getByLabelText('value');
  fireEvent.change(value, { target: { value: '{"+": [{"var": "attempts"}, 1]}' } });
  expect(seen.at(-1)).toEqual({ assign: [{ variable: 'attempts', value: { '+': [{ var: 'attempts' }, 1] } }] });
  fireEvent.change(value, { target: { value: 'plain words' } });
  expect(seen.at(-1)).toEqual({ assign: [{ variable: 'attempts', value: 'plain words' }] });
});

test('removing a rule keeps each remaining rule in its own builder', () => {
  const seen: Data[] = [];
  const rule = (id: string, tier: string) => ({ id, when: { '==': [{ var: 'customer.tier' }, tier] } });
  const { container } = render(
    <Harness
      kind="condition"
      initial={{ rules: [rule('gold', 'gold'), rule('silver', 'silver')] }}
      onData={(d) => seen.push(d)}
    />,
  );
  const shown = () => Array.from(container.querySelectorAll<HTMLInputElement>('.rule-value'), (input) => input.value);
  expect(shown()).toEqual(['gold', 'silver']);
  fireEvent.click(screen.getByRole('button', { name: 'remove rule 1' }));
  expect(seen.at(-1)).toEqual({ rules: [rule('silver', 'silver')] });
  expect(shown()).toEqual(['silver']);
});
