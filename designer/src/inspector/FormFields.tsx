import { useRef } from 'react';
import type { ActivityManifest, FormField, JsonValue } from '@baton/schemas';
import type { ContextPath } from '../editor/paths';
import { TemplateField } from '../editor/TemplateField';
import { RuleBuilder } from '../editor/RuleBuilder';
import { SchemaForm, type JsonSchema } from '../editor/SchemaForm';
import { Json } from '../editor/Json';
import {
  Checkbox,
  ExpressionInput,
  Labelled,
  MultiSelect,
  NumberInput,
  Select,
  StringsInput,
  TextInput,
} from './controls';

type Data = Record<string, unknown>;

const cloneJson = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** What a field's control may need besides its value. */
export interface FormContext {
  paths: readonly ContextPath[];
  activities: readonly ActivityManifest[];
  /** The whole node's data (the activity's input form follows the chosen activity). */
  data: Data;
}

const isRecord = (value: unknown): value is Data =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `data` with `key` set, or left out when `value` is undefined. */
export function withField(data: Data, key: string, value: unknown): Data {
  const next = { ...data };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** A new list item; an id-like `name` or `id` gets a number that no other item has (one handle each). */
function freshItem(template: Readonly<Data>, items: readonly unknown[]): Data {
  const item: Data = cloneJson({ ...template });
  for (const key of ['id', 'name']) {
    const base = item[key];
    if (typeof base !== 'string') continue;
    const taken = new Set(items.map((other) => (isRecord(other) ? other[key] : undefined)));
    let n = items.length + 1;
    while (taken.has(`${base}${n}`)) n += 1;
    item[key] = `${base}${n}`;
  }
  return item;
}

function Fields({
  fields,
  value,
  onChange,
  prefix,
  context,
}: {
  fields: readonly FormField[];
  value: Data;
  onChange: (next: Data) => void;
  prefix: string;
  context: FormContext;
}) {
  return (
    <>
      {fields.map((field) => (
        <FieldControl
          key={field.key}
          field={field}
          name={`${prefix}.${field.key}`}
          value={value[field.key]}
          onChange={(v) => onChange(withField(value, field.key, v))}
          context={context}
        />
      ))}
    </>
  );
}

function ListControl({
  field,
  name,
  value,
  onChange,
  context,
}: {
  field: Extract<FormField, { control: 'list' }>;
  name: string;
  value: unknown;
  onChange: (v: unknown) => void;
  context: FormContext;
}) {
  const items = Array.isArray(value) ? value : [];
  // Stable React keys per item, so that removing one does not hand its neighbour's editor state (a
  // rule builder's query) to the next item; an id typed into an item does not remount it either.
  const keys = useRef<number[]>([]);
  const nextKey = useRef(0);
  while (keys.current.length < items.length) keys.current.push(nextKey.current++);
  if (keys.current.length > items.length) keys.current = keys.current.slice(0, items.length);
  const remove = (index: number) => {
    keys.current = keys.current.filter((_, other) => other !== index);
    onChange(items.filter((_, other) => other !== index));
  };
  return (
    <fieldset className="field form-list">
      <legend>{field.label}</legend>
      {field.help && <small className="muted">{field.help}</small>}
      {items.map((item, index) => (
        <div key={keys.current[index]} className="form-item" data-testid={`${name}-${index}`}>
          <div className="row">
            <span className="muted">
              {field.itemLabel} {index + 1}
            </span>
            <button
              type="button"
              aria-label={`remove ${field.itemLabel} ${index + 1}`}
              title={`remove ${field.itemLabel}`}
              onClick={() => remove(index)}
            >
              ✕
            </button>
          </div>
          <Fields
            fields={field.fields}
            value={isRecord(item) ? item : {}}
            prefix={`${name}.${index}`}
            onChange={(next) => onChange(items.map((other, at) => (at === index ? next : other)))}
            context={context}
          />
        </div>
      ))}
      <button type="button" onClick={() => onChange([...items, freshItem(field.newItem, items)])}>
        + {field.itemLabel}
      </button>
    </fieldset>
  );
}

function ObjectControl({
  field,
  name,
  value,
  onChange,
  context,
}: {
  field: Extract<FormField, { control: 'object' }>;
  name: string;
  value: unknown;
  onChange: (v: unknown) => void;
  context: FormContext;
}) {
  const on = isRecord(value);
  return (
    <fieldset className="field form-object">
      <legend>
        {field.optional ? (
          <label>
            <Checkbox
              name={name}
              label={`use ${field.label.toLowerCase()}`}
              value={on}
              onChange={(checked) => onChange(checked ? cloneJson({ ...(field.newValue ?? {}) }) : undefined)}
            />{' '}
            {field.label}
          </label>
        ) : (
          field.label
        )}
      </legend>
      {field.help && <small className="muted">{field.help}</small>}
      {on && <Fields fields={field.fields} value={value} prefix={name} onChange={onChange} context={context} />}
    </fieldset>
  );
}

function ActivityInput({ name, value, onChange, context }: ControlProps) {
  const manifest = context.activities.find((a) => a.name === context.data.activity);
  const mapping = (isRecord(value) ? value : {}) as Record<string, JsonValue>;
  if (manifest)
    return (
      <fieldset className="field">
        <legend>Input</legend>
        <SchemaForm schema={manifest.input as JsonSchema} value={mapping} onChange={onChange} paths={context.paths} />
      </fieldset>
    );
  return (
    <>
      {context.activities.length > 0 && typeof context.data.activity === 'string' && (
        <p className="error" data-testid="missing-activity">
          The activity “{context.data.activity}” no longer exists in the catalog: choose another one (the input below is
          kept).
        </p>
      )}
      {/* Without the activity's input schema there is no form to draw: the mapping is shown as it is. */}
      <Json name={name} label="Input mapping (JSON)" value={value} onChange={onChange} />
    </>
  );
}

interface ControlProps {
  name: string;
  value: unknown;
  onChange: (v: unknown) => void;
  context: FormContext;
}

function Control({ field, name, value, onChange, context }: ControlProps & { field: FormField }) {
  const { label } = field;
  switch (field.control) {
    case 'text':
      return (
        <Labelled label={label} help={field.help}>
          <TextInput name={name} label={label} value={value} onChange={onChange} placeholder={field.placeholder} />
        </Labelled>
      );
    case 'template':
      return (
        <>
          <TemplateField
            name={name}
            label={label}
            multiline={field.multiline}
            value={value}
            onChange={onChange}
            paths={context.paths}
          />
          {field.help && <small className="muted">{field.help}</small>}
        </>
      );
    case 'number':
    case 'seconds':
      return (
        <Labelled label={label} help={field.help}>
          <NumberInput
            name={name}
            label={label}
            value={value}
            onChange={onChange}
            {...(field.control === 'seconds'
              ? { min: 1, step: 1 }
              : { min: field.min, max: field.max, step: field.step })}
          />
        </Labelled>
      );
    case 'boolean':
      return (
        <Labelled label={label} help={field.help}>
          <Checkbox name={name} label={label} value={value} onChange={onChange} />
        </Labelled>
      );
    case 'enum':
      return (
        <Labelled label={label} help={field.help}>
          <Select
            name={name}
            label={label}
            value={value}
            options={field.options}
            onChange={onChange}
            optional={field.optional}
          />
        </Labelled>
      );
    case 'enums':
      return (
        <Labelled label={label} help={field.help}>
          <MultiSelect name={name} label={label} value={value} options={field.options} onChange={onChange} />
        </Labelled>
      );
    case 'strings':
      return (
        <Labelled label={label} help={field.help}>
          <StringsInput name={name} label={label} value={value} onChange={onChange} />
        </Labelled>
      );
    case 'variable': {
      const listId = `variables-${name}`;
      return (
        <Labelled label={label} help={field.help}>
          <TextInput name={name} label={label} value={value} onChange={onChange} list={listId} />
          <datalist id={listId}>
            {context.paths
              .filter((p) => p.group === 'variable')
              .map((p) => (
                <option key={p.path} value={p.path} />
              ))}
          </datalist>
        </Labelled>
      );
    }
    case 'rule':
      return (
        <div className="field">
          <span className="muted">{label}</span>
          <RuleBuilder name={name} value={value as JsonValue | undefined} paths={context.paths} onChange={onChange} />
        </div>
      );
    case 'expression':
      return (
        <Labelled label={label} help={field.help}>
          <ExpressionInput name={name} label={label} value={value} onChange={onChange} paths={context.paths} />
        </Labelled>
      );
    case 'activity': {
      const manifest = context.activities.find((a) => a.name === value);
      const names = Array.from(
        new Set([...(typeof value === 'string' ? [value] : []), ...context.activities.map((a) => a.name)]),
      );
      return (
        <>
          <Labelled label={label} help={field.help}>
            <Select name={name} label={label} value={value} options={names} onChange={onChange} />
          </Labelled>
          {manifest?.description && <p className="muted">{manifest.description}</p>}
        </>
      );
    }
    case 'activityInput':
      return <ActivityInput name={name} value={value} onChange={onChange} context={context} />;
    case 'list':
      return <ListControl field={field} name={name} value={value} onChange={onChange} context={context} />;
    case 'object':
      return <ObjectControl field={field} name={name} value={value} onChange={onChange} context={context} />;
  }
}

/** One field of a node kind's form, drawn with the control its description names. */
export function FieldControl(props: ControlProps & { field: FormField }) {
  return (
    <div className="form-field" data-form-field={props.name} data-control={props.field.control}>
      <Control {...props} />
    </div>
  );
}
