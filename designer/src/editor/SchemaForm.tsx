import { useState } from 'react';
import type { JsonValue } from '@baton/schemas';
import type { ContextPath } from './paths';

/** The part of JSON Schema that activity manifests use (zod's toJSONSchema output). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: JsonValue[];
  const?: JsonValue;
  description?: string;
  title?: string;
  format?: string;
  default?: JsonValue;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

type Mapping = Record<string, JsonValue>;

const isVar = (v: unknown): v is { var: string } =>
  v !== null &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  Object.keys(v).length === 1 &&
  typeof (v as { var?: unknown }).var === 'string';

/** The schema's main type; `["string","null"]` is a string, an enum is an enum. */
export function kindOf(schema: JsonSchema): 'enum' | 'string' | 'number' | 'boolean' | 'object' | 'json' {
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string' || typeof v === 'number'))
    return 'enum';
  if (schema.const !== undefined) return 'enum';
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'string') return 'string';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'object' && schema.properties) return 'object';
  return 'json';
}

function LiteralEditor({
  schema,
  value,
  onChange,
  name,
}: {
  schema: JsonSchema;
  value: JsonValue | undefined;
  onChange: (v: JsonValue | undefined) => void;
  name: string;
}) {
  const kind = kindOf(schema);
  if (kind === 'enum') {
    const options = schema.enum ?? (schema.const !== undefined ? [schema.const] : []);
    return (
      <select
        name={name}
        aria-label={name}
        value={value === undefined ? '' : String(value)}
        onChange={(e) =>
          onChange(e.target.value === '' ? undefined : options.find((o) => String(o) === e.target.value))
        }
      >
        <option value="">—</option>
        {options.map((o) => (
          <option key={String(o)} value={String(o)}>
            {String(o)}
          </option>
        ))}
      </select>
    );
  }
  if (kind === 'string') {
    return (
      <input
        name={name}
        aria-label={name}
        type={schema.format === 'email' ? 'email' : 'text'}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      />
    );
  }
  if (kind === 'number') {
    return (
      <input
        name={name}
        aria-label={name}
        type="number"
        min={schema.minimum}
        max={schema.maximum}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    );
  }
  if (kind === 'boolean') {
    return (
      <input
        name={name}
        aria-label={name}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  }
  if (kind === 'object') {
    const object = value && typeof value === 'object' && !Array.isArray(value) ? (value as Mapping) : {};
    return (
      <fieldset className="schema-nested" data-testid={`nested-${name}`}>
        {Object.entries(schema.properties ?? {}).map(([key, child]) => (
          <FieldRow
            key={key}
            name={`${name}.${key}`}
            label={key}
            schema={child}
            required={(schema.required ?? []).includes(key)}
            value={object[key]}
            onChange={(v) => {
              const next: Mapping = { ...object };
              if (v === undefined) delete next[key];
              else next[key] = v;
              onChange(Object.keys(next).length ? next : undefined);
            }}
          />
        ))}
      </fieldset>
    );
  }
  return <JsonLiteral name={name} value={value} onChange={onChange} />;
}

function JsonLiteral({
  name,
  value,
  onChange,
}: {
  name: string;
  value: JsonValue | undefined;
  onChange: (v: JsonValue | undefined) => void;
}) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value)));
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <input
        name={name}
        aria-label={name}
        className="json"
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') return onChange(undefined);
          try {
            onChange(JSON.parse(e.target.value) as JsonValue);
            setError(null);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      />
      {error && <small className="error">JSON: {error}</small>}
    </>
  );
}

/** One field: a literal (typed by the schema) or a value read from the conversation (`{ "var": path }`). */
function FieldRow({
  name,
  label,
  schema,
  required,
  value,
  onChange,
  paths,
}: {
  name: string;
  label: string;
  schema: JsonSchema;
  required: boolean;
  value: JsonValue | undefined;
  onChange: (v: JsonValue | undefined) => void;
  paths?: readonly ContextPath[];
}) {
  const mapped = isVar(value);
  const missing = required && value === undefined;
  return (
    <div className={`schema-field${missing ? ' missing' : ''}`} data-field={name}>
      <div className="schema-label">
        <span>
          {schema.title ?? label}
          {required && (
            <b className="required" title="required" aria-label="required">
              {' '}
              *
            </b>
          )}
        </span>
        {paths && (
          <select
            className="var-picker"
            aria-label={`${name} source`}
            value={mapped ? value.var : ''}
            onChange={(e) => onChange(e.target.value === '' ? undefined : { var: e.target.value })}
          >
            <option value="">{mapped ? 'type a value' : 'value ▾ or read from…'}</option>
            {mapped && !paths.some((p) => p.path === value.var) && (
              <option value={value.var}>{value.var} (unknown)</option>
            )}
            {(['variable', 'activity result', 'customer', 'conversation'] as const).map((group) => {
              const inGroup = paths.filter((p) => p.group === group);
              return inGroup.length ? (
                <optgroup key={group} label={group}>
                  {inGroup.map((p) => (
                    <option key={p.path} value={p.path}>
                      {p.path}
                    </option>
                  ))}
                </optgroup>
              ) : null;
            })}
          </select>
        )}
      </div>
      {mapped ? (
        <code className="mapped" data-testid={`mapped-${name}`}>{`{{${value.var}}}`}</code>
      ) : (
        <LiteralEditor schema={schema} value={value} onChange={onChange} name={name} />
      )}
      {schema.description && <small className="muted">{schema.description}</small>}
      {missing && <small className="error">required</small>}
    </div>
  );
}

/**
 * The input mapping of an activity node, as a form generated from the activity's input JSON Schema:
 * one row per property (required ones marked), typed editors for literals (text, number, checkbox,
 * enum list, nested object), and a picker that maps the field from a variable, a customer field or
 * an earlier activity's result instead. Fields in the mapping that the schema does not know are
 * listed so that they can be removed.
 */
export function SchemaForm({
  schema,
  value,
  onChange,
  paths,
}: {
  schema: JsonSchema;
  value: Mapping;
  onChange: (v: Mapping) => void;
  paths?: readonly ContextPath[];
}) {
  const properties = schema.properties ?? {};
  const extra = Object.keys(value).filter((k) => !(k in properties));
  const set = (key: string, v: JsonValue | undefined) => {
    const next: Mapping = { ...value };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange(next);
  };
  return (
    <div className="schema-form" data-testid="schema-form">
      {Object.keys(properties).length === 0 && <p className="muted">This activity takes no input.</p>}
      {Object.entries(properties).map(([key, child]) => (
        <FieldRow
          key={key}
          name={key}
          label={key}
          schema={child}
          required={(schema.required ?? []).includes(key)}
          value={value[key]}
          onChange={(v) => set(key, v)}
          paths={paths}
        />
      ))}
      {extra.map((key) => (
        <div key={key} className="schema-field extra">
          <span>
            {key} <small className="muted">(not in the activity's input schema)</small>
          </span>
          <button type="button" onClick={() => set(key, undefined)}>
            remove
          </button>
        </div>
      ))}
    </div>
  );
}
