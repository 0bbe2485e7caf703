import type { JsonValue } from '@baton/schemas';
import type { ContextPath } from './paths';
import { RuleBuilder } from './RuleBuilder';

interface ConditionRule {
  id: string;
  label?: string;
  when: JsonValue;
}

/** The rules of a condition node (one output handle per rule id, then `else`), each in the rule builder. */
export function ConditionRules({
  value,
  onChange,
  paths,
}: {
  value: unknown;
  onChange: (rules: ConditionRule[]) => void;
  paths: readonly ContextPath[];
}) {
  const rules = Array.isArray(value) ? (value as ConditionRule[]) : [];
  const set = (index: number, patch: Partial<ConditionRule>) =>
    onChange(rules.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const freeId = () => {
    let n = rules.length + 1;
    while (rules.some((r) => r.id === `rule${n}`)) n += 1;
    return `rule${n}`;
  };
  return (
    <fieldset className="field rules" data-testid="condition-rules">
      <legend>
        Rules <small className="muted">checked in order; the first that holds picks its handle, else “else”</small>
      </legend>
      {rules.map((rule, index) => (
        <div key={index} className="cond-rule">
          <div className="rule-head">
            <input
              aria-label={`rule ${index + 1} id`}
              value={rule.id}
              onChange={(e) => set(index, { id: e.target.value })}
              title="the output handle's name"
            />
            <input
              aria-label={`rule ${index + 1} label`}
              placeholder="label"
              value={rule.label ?? ''}
              onChange={(e) => {
                const { label: _old, ...rest } = rule;
                onChange(
                  rules.map((r, i) => (i === index ? (e.target.value ? { ...rest, label: e.target.value } : rest) : r)),
                );
              }}
            />
            <button
              type="button"
              aria-label={`remove rule ${index + 1}`}
              onClick={() => onChange(rules.filter((_, i) => i !== index))}
            >
              ×
            </button>
          </div>
          <RuleBuilder name={rule.id} value={rule.when} paths={paths} onChange={(when) => set(index, { when })} />
        </div>
      ))}
      <button
        type="button"
        onClick={() => onChange([...rules, { id: freeId(), when: { '>=': [{ var: 'counters.failures' }, 2] } }])}
      >
        + rule
      </button>
    </fieldset>
  );
}
