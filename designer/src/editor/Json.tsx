import { useEffect, useState } from 'react';

/** JSON edited as text; applied when it parses, the parse error shown otherwise. */
export function Json({
  label,
  value,
  onChange,
  name,
  hint,
}: {
  label: string;
  value: unknown;
  onChange: (v: unknown) => void;
  name: string;
  hint?: string;
}) {
  const [text, setText] = useState(() => JSON.stringify(value ?? null, null, 2));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText((current) => {
      try {
        if (JSON.stringify(JSON.parse(current)) === JSON.stringify(value ?? null)) return current;
      } catch {
        /* keep the user's broken text */ return current;
      }
      return JSON.stringify(value ?? null, null, 2);
    });
  }, [value]);
  return (
    <label className="field">
      <span>{label}</span>
      <textarea
        name={name}
        className="json"
        rows={6}
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onChange(JSON.parse(e.target.value));
            setError(null);
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
      />
      {hint && <small className="muted">{hint}</small>}
      {error && <small className="error">JSON: {error}</small>}
    </label>
  );
}
