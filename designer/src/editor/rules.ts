import { formatQuery, type Field, type RuleGroupType } from 'react-querybuilder';
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';
import { canonicalJson } from '@baton/core/compiler';
import type { JsonValue } from '@baton/schemas';
import type { ContextPath } from './paths';

/**
 * The rule builder edits rules as react-querybuilder queries and saves them as the JSONLogic the
 * engine evaluates (schemas/src/rules.ts). Only operators whose JSONLogic the engine allows are
 * offered (no `startsWith`/`endsWith`, which are not JSONLogic).
 */
export const builderOperators = [
  { name: '=', label: '=' },
  { name: '!=', label: '≠' },
  { name: '<', label: '<' },
  { name: '<=', label: '≤' },
  { name: '>', label: '>' },
  { name: '>=', label: '≥' },
  { name: 'contains', label: 'contains' },
  { name: 'doesNotContain', label: 'does not contain' },
  { name: 'in', label: 'is one of' },
  { name: 'notIn', label: 'is not one of' },
  { name: 'between', label: 'between' },
  { name: 'notBetween', label: 'not between' },
  { name: 'null', label: 'is empty' },
  { name: 'notNull', label: 'is set' },
];

/** A path as people read it: "customer email", "request (variable)", "lookup → status (activity result)". */
export function pathLabel(p: ContextPath): string {
  const words = p.path
    .replace(/\./g, ' ')
    .replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);
  if (p.group === 'variable') return `${p.path} (variable)`;
  if (p.group === 'activity result') return `${p.path.replace(/\./g, ' → ')} (activity result)`;
  return words;
}

export function fieldsOf(paths: readonly ContextPath[]): Field[] {
  return paths.map((p) => ({
    name: p.path,
    label: pathLabel(p),
    ...(p.description && { title: p.description }),
    ...(p.type === 'number' && { inputType: 'number' }),
    ...(p.values?.length && { valueEditorType: 'select', values: p.values.map((v) => ({ name: v, label: v })) }),
  }));
}

/** The query as JSONLogic; a group of one condition is saved as that condition alone. */
export function queryToRule(query: RuleGroupType, fields: Field[] = []): JsonValue {
  const rule = formatQuery(query, {
    format: 'jsonlogic',
    parseNumbers: 'strict-limited',
    fields,
  }) as unknown as JsonValue;
  if (
    rule &&
    typeof rule === 'object' &&
    !Array.isArray(rule) &&
    Array.isArray((rule as { and?: unknown }).and) &&
    Object.keys(rule).length === 1
  ) {
    const items = (rule as { and: JsonValue[] }).and;
    if (items.length === 1) return items[0]!;
  }
  return rule;
}

/**
 * A rule as a query, when the builder can show it exactly: parsed, written back, and compared with
 * the original. Anything the builder would change (arithmetic, `if`, `===`, nested `var` defaults …)
 * is not offered for visual editing, so a rule is never silently rewritten.
 */
export function ruleToQuery(
  rule: JsonValue,
  fields: Field[] = [],
): { ok: true; query: RuleGroupType } | { ok: false; reason: string } {
  let query: RuleGroupType;
  try {
    query = parseJsonLogic(rule as never) as RuleGroupType;
  } catch (error) {
    return { ok: false, reason: `the rule builder cannot read this rule (${(error as Error).message})` };
  }
  if (query.rules.length === 0) return { ok: false, reason: 'the rule builder cannot show this rule' };
  let back: JsonValue;
  try {
    back = queryToRule(query, fields);
  } catch (error) {
    return { ok: false, reason: `the rule builder cannot write this rule back (${(error as Error).message})` };
  }
  if (canonicalJson(back) !== canonicalJson(rule))
    return { ok: false, reason: 'this rule uses JSONLogic the rule builder cannot show without changing it' };
  return { ok: true, query };
}
