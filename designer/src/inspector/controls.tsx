import { useEffect, useState } from 'react';
import type { JsonValue } from '@baton/schemas';
import type { ContextPath } from '../editor/paths';

/** The small controls the inspector's forms are made of; each names its input after the field's path. */

export function Labelled({ label, help, children }: { label: string; help?: string; children: React.ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
      {help && <small className="muted">{help}</small>}
    </label>
  );
}

export function TextInput({
  name,
  label,
  value,
  onChange,
  placeholder,
  list,
}: {
  name: string;
  label: string;
  value: unknown;
  onChange: (v: string | undefined) => void;
  placeholder?: string;
  list?: string;
}) {
  return (
    <input
      name={name}
      aria-label={label}
      placeholder={placeholder}
      list={list}
      value={typeof value === 'string' ? value : ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    />
  );
}

export function NumberInput({
  name,
  label,
  value,
  onChange,
  min,
  max,
  step,
}: {
  name: string;
  label: string;
  value: unknown;
  onChange: (v: number | undefined) => void;
  min?: number;
  max?: number;
  step?: number;
}) {
  return (
    <input
      name={name}
      aria-label={label}
      type="number"
      min={min}
      max={max}
      step={step}
      value={typeof value === 'number' ? value : ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
    />
  );
}

export function Checkbox({
  name,
  label,
  value,
  onChange,
}: {
  name: string;
  label: string;
  value: unknown;
  onChange: (v: boolean) => void;
}) {
  return (
    <input
      name={name}
      aria-label={label}
      type="checkbox"
      checked={value === true}
      onChange={(e) => onChange(e.target.checked)}
    />
  );
}

export function Select({
  name,
  label,
  value,
  options,
  onChange,
  optional,
}: {
  name: string;
  label: string;
  value: unknown;
  options: readonly string[];
  onChange: (v: string | undefined) => void;
  /** Offers "—" (the field left out). */
  optional?: boolean;
}) {
  const current = typeof value === 'string' ? value : optional ? '' : options[0];
  return (
    <select
      name={name}
      aria-label={label}
      value={current}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    >
      {optional && <option value="">—</option>}
      {typeof value === 'string' && !options.includes(value) && <option value={value}>{value} (unknown)</option>}
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

/** Several of a fixed set; none chosen leaves the field out. */
export function MultiSelect({
  name,
  label,
  value,
  options,
  onChange,
}: {
  name: string;
  label: string;
  value: unknown;
  options: readonly string[];
  onChange: (v: string[] | undefined) => void;
}) {
  const chosen = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return (
    <select
      name={name}
      aria-label={label}
      multiple
      size={Math.min(6, options.length)}
      value={chosen}
      onChange={(e) => {
        const picked = Array.from(e.target.selectedOptions, (o) => o.value);
        onChange(picked.length ? picked : undefined);
      }}
    >
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

/** A list of short strings, one per line; blank lines are dropped when the field is left. */
export function StringsInput({
  name,
  label,
  value,
  onChange,
  placeholder,
}: {
  name: string;
  label: string;
  value: unknown;
  onChange: (v: string[]) => void;
  placeholder?: string;
}) {
  const lines = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return (
    <textarea
      name={name}
      aria-label={label}
      rows={2}
      placeholder={placeholder ?? 'one per line'}
      value={lines.join('\n')}
      // While typing, the last line may be blank (a new line being started).
      onChange={(e) =>
        onChange(e.target.value.split('\n').filter((s, k, all) => s.trim() !== '' || k === all.length - 1))
      }
      onBlur={(e) =>
        onChange(
          e.target.value
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        )
      }
    />
  );
}

/** Text typed into an expression: JSON when it parses (1, true, {"var": "x"}), otherwise a string. */
export function parseExpression(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

function showExpression(value: unknown): string {
  return typeof value === 'string' && JSON.stringify(parseExpression(value)) !== JSON.stringify(value)
    ? value
    : JSON.stringify(value ?? null);
}

/**
 * A value: a literal typed as such (1, "text" or plain text, true) or read from the conversation
 * (picked from what the node can read), or any JSONLogic expression typed out.
 */
export function ExpressionInput({
  name,
  label,
  value,
  onChange,
  paths,
}: {
  name: string;
  label: string;
  value: unknown;
  onChange: (v: JsonValue) => void;
  paths: readonly ContextPath[];
}) {
  const [text, setText] = useState(() => showExpression(value));
  // A value changed elsewhere (undo, the code view) replaces the text; the text being typed stays.
  useEffect(() => {
    setText((current) =>
      JSON.stringify(parseExpression(current)) === JSON.stringify(value ?? null) ? current : showExpression(value),
    );
  }, [value]);
  const read =
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { var?: unknown }).var === 'string'
      ? (value as { var: string }).var
      : '';
  return (
    <span className="expression">
      <select
        aria-label={`${label} source`}
        value={read}
        onChange={(e) => {
          const next: JsonValue = e.target.value === '' ? '' : { var: e.target.value };
          setText(showExpression(next));
          onChange(next);
        }}
      >
        <option value="">{read ? 'type a value' : 'value ▾ or read from…'}</option>
        {read && !paths.some((p) => p.path === read) && <option value={read}>{read} (unknown)</option>}
        {paths.map((p) => (
          <option key={p.path} value={p.path}>
            {p.path}
          </option>
        ))}
      </select>
      <input
        name={name}
        aria-label={label}
        className="json"
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseExpression(e.target.value));
        }}
      />
    </span>
  );
}
