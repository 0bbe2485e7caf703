import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { applyCompletion, completionAt, matchingPaths, type ContextPath } from './paths';

/**
 * A text field for templates (`Hi {{customer.name}}`): typing `{{` opens a list of what the node can
 * read (variables, customer fields, earlier activity results); ↑/↓ choose, Enter or Tab inserts and
 * closes the placeholder, Escape closes the list.
 */
export function TemplateField({
  label,
  name,
  value,
  onChange,
  paths,
  multiline,
}: {
  label: string;
  name: string;
  value: unknown;
  onChange: (v: string | undefined) => void;
  paths: readonly ContextPath[];
  multiline?: boolean;
}) {
  const text = typeof value === 'string' ? value : '';
  const ref = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [closed, setClosed] = useState(false);
  const listId = useId();
  const at = caret === null || closed ? null : completionAt(text, caret);
  const options = at ? matchingPaths(paths, at.prefix) : [];
  const open = options.length > 0;

  const change = (next: string, nextCaret: number) => {
    onChange(next === '' && !multiline ? undefined : next);
    setCaret(nextCaret);
    setClosed(false);
    setActive(0);
  };
  const accept = (path: string) => {
    if (caret === null) return;
    const result = applyCompletion(text, caret, path);
    change(result.text, result.caret);
    setClosed(true);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(result.caret, result.caret);
    });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (!open) return;
    if (e.key === 'ArrowDown') setActive((i) => (i + 1) % options.length);
    else if (e.key === 'ArrowUp') setActive((i) => (i - 1 + options.length) % options.length);
    else if (e.key === 'Enter' || e.key === 'Tab') accept(options[Math.min(active, options.length - 1)]!.path);
    else if (e.key === 'Escape') setClosed(true);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  const common = {
    ref,
    name,
    value: text,
    'aria-label': label,
    // A text box with a list of completions (aria-expanded belongs to comboboxes, which a textarea cannot be).
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': open ? `${listId}-${Math.min(active, options.length - 1)}` : undefined,
    onKeyDown,
    onChange: (e: { target: { value: string; selectionStart: number | null } }) =>
      change(e.target.value, e.target.selectionStart ?? e.target.value.length),
    onSelect: (e: { currentTarget: { selectionStart: number | null } }) => setCaret(e.currentTarget.selectionStart),
    onBlur: () => setTimeout(() => setClosed(true), 150),
    onFocus: () => setClosed(false),
  };
  return (
    <label className="field template-field">
      <span>
        {label} <small className="muted">type {'{{'} for variables</small>
      </span>
      {multiline ? <textarea rows={3} {...common} /> : <input {...common} />}
      {open && (
        <ul id={listId} className="completions" role="listbox" aria-label={`${label} completions`}>
          {options.map((p, i) => (
            <li
              key={p.path}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(p.path);
              }}
            >
              <code>{p.path}</code>{' '}
              <small className="muted">
                {p.group}
                {p.description ? ` · ${p.description}` : ''}
              </small>
            </li>
          ))}
        </ul>
      )}
    </label>
  );
}
