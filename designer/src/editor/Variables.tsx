import { useState } from 'react';
import { VariableDeclaration, VariableName, nodeKinds, writtenVariables, type NodeKind } from '@baton/schemas';
import type { Draft } from '../model';
import { Json } from './Json';

type Variables = Record<string, unknown>;
const types = VariableDeclaration.shape.type.unwrap().options;

/** A declaration as the table edits it: unknown or broken entries are read as `{}` (the JSON view shows them as they are). */
function declarationOf(value: unknown): VariableDeclaration | Record<string, never> {
  const parsed = VariableDeclaration.safeParse(value);
  return parsed.success ? parsed.data : {};
}

/** A default as typed: text for a string variable, JSON otherwise; undefined when empty. */
function parseDefault(text: string, type: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  if (type === 'string') return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      message: `default: not JSON (a ${type} is written as JSON, e.g. ${type === 'number' ? '0' : type === 'boolean' ? 'false' : type === 'array' ? '[]' : '{}'})`,
    };
  }
}

function showDefault(value: unknown, type: string): string {
  if (value === undefined) return '';
  return type === 'string' && typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The journey's variables as a table: name, type, default, description, whether a start request may set
 * it and whether the customer sees it. A name is renamed when it is a valid, unused identifier (the
 * error names the row otherwise); the JSON view below edits the same object as text.
 */
export function VariablesTable({ value, onChange }: { value: Variables; onChange: (next: Variables) => void }) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const entries = Object.entries(value);
  const setRow = (name: string, patch: Partial<VariableDeclaration>) => {
    const next = { ...declarationOf(value[name]), ...patch } as Record<string, unknown>;
    for (const [k, v] of Object.entries(patch)) if (v === undefined || v === false || v === '') delete next[k];
    onChange({ ...value, [name]: next });
  };
  const rename = (from: string, to: string) => {
    const checked = VariableName.safeParse(to);
    const problem = !checked.success
      ? `name: ${checked.error.issues[0]?.message ?? 'not an identifier'}`
      : to !== from && to in value
        ? `name: "${to}" is declared already`
        : null;
    setErrors((e) => ({ ...e, [from]: problem ?? '' }));
    if (problem || to === from) return;
    onChange(Object.fromEntries(entries.map(([k, v]) => (k === from ? [to, v] : [k, v]))));
  };
  const add = () => {
    let n = entries.length + 1;
    while (`variable${n}` in value) n += 1;
    onChange({ ...value, [`variable${n}`]: { type: 'string' } });
  };
  return (
    <div className="field variables" data-testid="variables">
      <span>Variables</span>
      {entries.length === 0 && (
        <p className="muted">None yet: an Ask or a Set variables node declares what it stores.</p>
      )}
      {entries.map(([name, raw]) => {
        const d = declarationOf(raw);
        const type = d.type ?? 'any';
        return (
          <div key={name} className="variable-row" data-testid={`variable-${name}`}>
            <div className="row">
              <input
                aria-label={`name of ${name}`}
                defaultValue={name}
                onBlur={(e) => rename(name, e.target.value.trim())}
                onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
              />
              <select
                aria-label={`type of ${name}`}
                value={type}
                onChange={(e) => setRow(name, { type: e.target.value as VariableDeclaration['type'] })}
              >
                {types.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
              <button
                type="button"
                aria-label={`remove ${name}`}
                title="Remove"
                onClick={() => onChange(Object.fromEntries(entries.filter(([k]) => k !== name)))}
              >
                ×
              </button>
            </div>
            <input
              aria-label={`default of ${name}`}
              placeholder="default (none)"
              defaultValue={showDefault(d.default, type)}
              onBlur={(e) => {
                const parsed = parseDefault(e.target.value, type);
                setErrors((x) => ({ ...x, [`${name}.default`]: parsed.ok ? '' : parsed.message }));
                if (parsed.ok) setRow(name, { default: parsed.value as VariableDeclaration['default'] });
              }}
            />
            <input
              aria-label={`description of ${name}`}
              placeholder="description"
              value={d.description ?? ''}
              onChange={(e) => setRow(name, { description: e.target.value })}
            />
            <div className="row flags">
              <label>
                <input
                  type="checkbox"
                  checked={d.input === true}
                  onChange={(e) => setRow(name, { input: e.target.checked })}
                />{' '}
                set at start
              </label>
              <label>
                <input
                  type="checkbox"
                  checked={d.customerVisible === true}
                  onChange={(e) => setRow(name, { customerVisible: e.target.checked })}
                />{' '}
                customer sees it
              </label>
            </div>
            {[errors[name], errors[`${name}.default`]].filter(Boolean).map((m) => (
              <p key={m} className="error" role="alert">
                {name}: {m}
              </p>
            ))}
          </div>
        );
      })}
      <button type="button" onClick={add}>
        + Variable
      </button>
      <details>
        <summary>Edit as JSON</summary>
        <Json
          name="variables"
          label="Variables (JSON)"
          value={value}
          onChange={(v) => onChange((v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Variables)}
        />
      </details>
    </div>
  );
}

/**
 * The journey with the variables a new node writes declared (an Ask's answer…), so that dropping a node
 * does not raise an "undeclared variable" warning at once; the draft itself when they are declared already.
 */
export function withWrittenDeclared(meta: Draft, kind: NodeKind, data: Record<string, unknown>): Draft {
  const missing = writtenVariables(nodeKinds[kind].form.fields, data).filter((name) => !(name in meta.variables));
  if (missing.length === 0) return meta;
  const declared = Object.fromEntries(
    missing.map((name) => [name, { type: 'any', description: `written by a ${nodeKinds[kind].title} node` }]),
  );
  return { ...meta, variables: { ...meta.variables, ...declared } };
}
