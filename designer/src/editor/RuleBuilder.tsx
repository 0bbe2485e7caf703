import { useMemo, useState } from 'react';
import { QueryBuilder, type RuleGroupType } from 'react-querybuilder';
import 'react-querybuilder/dist/query-builder.css';
import type { JsonValue } from '@baton/schemas';
import type { ContextPath } from './paths';
import { builderOperators, fieldsOf, queryToRule, ruleToQuery } from './rules';

/**
 * The builder's own buttons and boxes, named for what they do: "+ Condition" adds a test to this rule
 * (the form's "+ rule" adds another branch), and each box says what it holds.
 */
const translations = {
  addRule: { label: '+ Condition', title: 'Add a condition to this rule' },
  addGroup: { label: '+ Group', title: 'Add a group of conditions' },
  removeRule: { label: '×', title: 'Remove this condition' },
  removeGroup: { label: '×', title: 'Remove this group' },
  fields: { title: 'What to test' },
  operators: { title: 'How to compare' },
  value: { title: 'Value to compare with' },
  combinators: { title: 'All (and) or any (or) of the conditions' },
};
const controlClassnames = { queryBuilder: 'rqb-compact' };

const emptyQuery = (field: string): RuleGroupType => ({
  combinator: 'and',
  rules: [{ field, operator: '=', value: '' }],
});

/**
 * One condition edited visually over the conversation's fields; saved as JSONLogic on every change.
 * A rule the builder cannot show exactly is shown read-only (never rewritten behind the author's
 * back); "Replace with a new condition" starts over in the builder.
 */
export function RuleBuilder({
  value,
  onChange,
  paths,
  name,
}: {
  value: JsonValue | undefined;
  onChange: (rule: JsonValue) => void;
  paths: readonly ContextPath[];
  name: string;
}) {
  const fields = useMemo(() => {
    const known = fieldsOf(paths);
    // Fields the rule reads that the picker does not list (an undeclared variable) stay selectable.
    const seen = new Set(known.map((f) => f.name));
    const extra: string[] = [];
    JSON.stringify(value ?? null, (key, v: unknown) => {
      if (key === 'var' && typeof v === 'string' && !seen.has(v)) extra.push(v);
      return v;
    });
    return [...known, ...Array.from(new Set(extra), (n) => ({ name: n, label: `${n} (undeclared)` }))];
  }, [paths, value]);
  const parsed = useMemo(() => (value === undefined ? null : ruleToQuery(value, fields)), [value, fields]);
  const [query, setQuery] = useState<RuleGroupType>(() =>
    parsed?.ok ? parsed.query : emptyQuery(fields[0]?.name ?? 'lastMessage'),
  );
  const [forced, setForced] = useState(false);

  if (parsed && !parsed.ok && !forced) {
    return (
      <div className="rule-readonly" data-testid={`rule-readonly-${name}`}>
        <p className="warning">
          This rule is shown as JSON, read-only: {parsed.reason}. Edit it in the code view, or start over.
        </p>
        <pre>{JSON.stringify(value, null, 2)}</pre>
        <button
          type="button"
          onClick={() => {
            const fresh = emptyQuery(fields[0]?.name ?? 'lastMessage');
            setQuery(fresh);
            setForced(true);
            onChange(queryToRule(fresh, fields));
          }}
        >
          Replace with a new condition
        </button>
      </div>
    );
  }
  return (
    <div className="rule-builder" data-testid={`rule-builder-${name}`}>
      <QueryBuilder
        fields={fields}
        operators={builderOperators}
        query={query}
        onQueryChange={(q) => {
          setQuery(q);
          onChange(queryToRule(q, fields));
        }}
        controlClassnames={controlClassnames}
        translations={translations}
        resetOnFieldChange={false}
        enableMountQueryChange={false}
      />
    </div>
  );
}
