import { useEffect, useState } from 'react';
import { nodeKinds, type ActivityManifest, type NodeKind } from '@baton/schemas';
import type { FlowNode } from './model';
import type { ContextPath } from './editor/paths';
import { TemplateField } from './editor/TemplateField';
import { SchemaForm, type JsonSchema } from './editor/SchemaForm';
import { ConditionRules } from './editor/ConditionRules';

type Data = Record<string, unknown>;
type Patch = (patch: Data) => void;

function Text({
  label,
  value,
  onChange,
  multiline,
  name,
}: {
  label: string;
  value: unknown;
  onChange: (v: string | undefined) => void;
  multiline?: boolean;
  name: string;
}) {
  const v = typeof value === 'string' ? value : '';
  return (
    <label className="field">
      <span>{label}</span>
      {multiline ? (
        <textarea name={name} value={v} rows={3} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input name={name} value={v} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      )}
    </label>
  );
}

function Num({
  label,
  value,
  onChange,
  name,
}: {
  label: string;
  value: unknown;
  onChange: (v: number | undefined) => void;
  name: string;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        name={name}
        type="number"
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    </label>
  );
}

function Select({
  label,
  value,
  options,
  onChange,
  name,
}: {
  label: string;
  value: unknown;
  options: string[];
  onChange: (v: string) => void;
  name: string;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <select
        name={name}
        value={typeof value === 'string' ? value : options[0]}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

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

interface Intent {
  name: string;
  description?: string;
  examples: string[];
}

function Intents({ value, onChange }: { value: unknown; onChange: (v: Intent[]) => void }) {
  const intents = Array.isArray(value) ? (value as Intent[]) : [];
  const set = (i: number, patch: Partial<Intent>) =>
    onChange(intents.map((it, j) => (j === i ? { ...it, ...patch } : it)));
  return (
    <fieldset className="field">
      <legend>Intents (one output handle each, plus fallback)</legend>
      {intents.map((it, i) => (
        <div key={i} className="intent">
          <div className="row">
            <input aria-label="intent name" value={it.name} onChange={(e) => set(i, { name: e.target.value })} />
            <button type="button" onClick={() => onChange(intents.filter((_, j) => j !== i))} title="remove intent">
              ✕
            </button>
          </div>
          <textarea
            aria-label="example phrases"
            rows={2}
            placeholder="one example phrase per line"
            value={(it.examples ?? []).join('\n')}
            onChange={(e) =>
              set(i, {
                examples: e.target.value.split('\n').filter((s, k, all) => s.trim() !== '' || k === all.length - 1),
              })
            }
            onBlur={(e) =>
              set(i, {
                examples: e.target.value
                  .split('\n')
                  .map((s) => s.trim())
                  .filter(Boolean),
              })
            }
          />
        </div>
      ))}
      <button
        type="button"
        onClick={() => onChange([...intents, { name: `intent${intents.length + 1}`, examples: [] }])}
      >
        + intent
      </button>
    </fieldset>
  );
}

export function Inspector({
  node,
  activities,
  onChange,
  onDelete,
  paths = [],
}: {
  node: FlowNode;
  activities: ActivityManifest[];
  onChange: Patch;
  onDelete: () => void;
  paths?: readonly ContextPath[];
}) {
  const kind = node.type as NodeKind;
  const d = node.data;
  const f = (key: string) => (v: unknown) => onChange({ [key]: v });
  const activity = activities.find((a) => a.name === d.activity);
  return (
    <div className="inspector" data-testid="inspector">
      <h2>
        {nodeKinds[kind]?.title ?? kind} <small className="muted">{node.id}</small>
      </h2>
      <p className="muted">{nodeKinds[kind]?.description}</p>
      <Text name="label" label="Label" value={d.label} onChange={f('label')} />
      {kind === 'message' && (
        <TemplateField name="text" label="Text" multiline value={d.text} onChange={f('text')} paths={paths} />
      )}
      {kind === 'ask' && (
        <>
          <TemplateField name="prompt" label="Prompt" multiline value={d.prompt} onChange={f('prompt')} paths={paths} />
          <Text name="variable" label="Reply goes into variable" value={d.variable} onChange={f('variable')} />
          <Num
            name="timeoutSeconds"
            label="Timeout (seconds)"
            value={d.timeoutSeconds}
            onChange={f('timeoutSeconds')}
          />
        </>
      )}
      {kind === 'classify' && (
        <>
          <TemplateField name="input" label="Input (template)" value={d.input} onChange={f('input')} paths={paths} />
          <Intents value={d.intents} onChange={f('intents')} />
          <Num
            name="minConfidence"
            label="Minimum confidence (0–1)"
            value={d.minConfidence}
            onChange={f('minConfidence')}
          />
          <Text name="variable" label="Result variable" value={d.variable} onChange={f('variable')} />
          <Num
            name="timeoutSeconds"
            label="Timeout (seconds)"
            value={d.timeoutSeconds}
            onChange={f('timeoutSeconds')}
          />
        </>
      )}
      {kind === 'condition' && <ConditionRules value={d.rules} onChange={f('rules')} paths={paths} />}
      {kind === 'activity' && (
        <>
          <Select
            name="activity"
            label="Activity"
            value={d.activity}
            options={Array.from(
              new Set([...(typeof d.activity === 'string' ? [d.activity] : []), ...activities.map((a) => a.name)]),
            )}
            onChange={f('activity')}
          />
          {activity?.description && <p className="muted">{activity.description}</p>}
          {activity ? (
            <fieldset className="field">
              <legend>Input</legend>
              <SchemaForm
                schema={activity.input as JsonSchema}
                value={
                  (d.input && typeof d.input === 'object' && !Array.isArray(d.input) ? d.input : {}) as Record<
                    string,
                    never
                  >
                }
                onChange={f('input')}
                paths={paths}
              />
            </fieldset>
          ) : (
            <>
              {activities.length > 0 && typeof d.activity === 'string' && (
                <p className="error" data-testid="missing-activity">
                  The activity “{d.activity}” no longer exists in the catalog: choose another one (the input below is
                  kept).
                </p>
              )}
              <Json name="input" label="Input mapping (JSON)" value={d.input} onChange={f('input')} />
            </>
          )}
          <Text name="output" label="Output variable" value={d.output} onChange={f('output')} />
          <Num
            name="timeoutSeconds"
            label="Timeout (seconds)"
            value={d.timeoutSeconds}
            onChange={f('timeoutSeconds')}
          />
        </>
      )}
      {kind === 'handoff' && (
        <>
          <Text name="queue" label="Queue" value={d.queue} onChange={f('queue')} />
          <Select
            name="priority"
            label="Priority"
            value={d.priority}
            options={['low', 'normal', 'high', 'urgent']}
            onChange={f('priority')}
          />
          <TemplateField name="reason" label="Reason" multiline value={d.reason} onChange={f('reason')} paths={paths} />
          <TemplateField
            name="message"
            label="Transition message"
            multiline
            value={d.message}
            onChange={f('message')}
            paths={paths}
          />
          <Num
            name="timeoutSeconds"
            label="Claim timeout (seconds)"
            value={d.timeoutSeconds}
            onChange={f('timeoutSeconds')}
          />
        </>
      )}
      {kind === 'wait' && <Num name="seconds" label="Seconds" value={d.seconds} onChange={f('seconds')} />}
      {kind === 'set' && (
        <Json
          name="assign"
          label="Assignments (JSON)"
          value={d.assign}
          onChange={f('assign')}
          hint='[{ "variable": "attempts", "value": { "+": [{ "var": "attempts" }, 1] } }]'
        />
      )}
      {kind === 'followup' && (
        <>
          <TemplateField
            name="message"
            label="Message"
            multiline
            value={d.message}
            onChange={f('message')}
            paths={paths}
          />
          <Num
            name="responseTimeoutSeconds"
            label="Response timeout (seconds)"
            value={d.responseTimeoutSeconds}
            onChange={f('responseTimeoutSeconds')}
          />
        </>
      )}
      {kind === 'end' && (
        <>
          <Select
            name="outcome"
            label="Outcome"
            value={d.outcome}
            options={['resolved_by_bot', 'resolved_by_agent', 'abandoned']}
            onChange={f('outcome')}
          />
          <TemplateField
            name="message"
            label="Closing message"
            multiline
            value={d.message}
            onChange={f('message')}
            paths={paths}
          />
        </>
      )}
      <button type="button" className="danger" onClick={onDelete}>
        Delete node
      </button>
    </div>
  );
}
