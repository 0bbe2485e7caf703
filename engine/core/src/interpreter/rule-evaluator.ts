/**
 * JSONLogic evaluation with a budget. A faithful port of json-logic-js 2.0.5's `apply` and operations
 * (same results, same truthiness, same errors), so that recorded histories replay unchanged; it differs
 * only in counting: every step costs one operation and a `cat` or `merge` result may not grow past a
 * length, so a runaway rule (nested maps, a doubling reduce) stops with `RuleBudgetExceeded` in
 * milliseconds instead of holding a workflow task. Not json-logic-js itself with a counter patched in:
 * the workflow sandbox freezes what it shares, and the library calls itself through its exported object.
 * Only the allowed operators (schemas/src/rule-operators.ts) are here: json-logic-js's `log` and dotted
 * custom operations are not, so a hand-made compiled journey that uses them reads `undefined`.
 * Derived from json-logic-js (MIT, © 2015 Jeremy Wadhams): its licence is in LICENSE-json-logic-js.txt
 * beside this file.
 */

export const ruleBudget = {
  /** Steps of one evaluation (each operation, each collection element it visits, each literal). */
  maxOperations: 100_000,
  /** Characters of a `cat` result, elements of a `merge` result. */
  maxValueLength: 1_000_000,
} as const;

export class RuleBudgetExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleBudgetExceeded';
  }
}

export function truthy(value: unknown): boolean {
  if (Array.isArray(value) && value.length === 0) return false;
  return !!value;
}

function isLogic(logic: unknown): logic is Record<string, unknown> {
  return typeof logic === 'object' && logic !== null && !Array.isArray(logic) && Object.keys(logic).length === 1;
}

// JSONLogic's "==" and "!=" are JavaScript's loose comparisons.
type Operation = (data: unknown, ...args: unknown[]) => unknown;
const lenient = (value: unknown) => value as number;

function readVar(data: unknown, path: unknown, fallback: unknown): unknown {
  const notFound = fallback === undefined ? null : fallback;
  if (typeof path === 'undefined' || path === '' || path === null) return data;
  let current = data;
  for (const part of String(path).split('.')) {
    if (current === null || current === undefined) return notFound;
    current = (current as Record<string, unknown>)[part];
    if (current === undefined) return notFound;
  }
  return current;
}

const operations: Record<string, Operation> = {
  '==': (_, a, b) => a == b,
  '===': (_, a, b) => a === b,
  '!=': (_, a, b) => a != b,
  '!==': (_, a, b) => a !== b,
  '>': (_, a, b) => lenient(a) > lenient(b),
  '>=': (_, a, b) => lenient(a) >= lenient(b),
  '<': (_, a, b, c) => (c === undefined ? lenient(a) < lenient(b) : lenient(a) < lenient(b) && lenient(b) < lenient(c)),
  '<=': (_, a, b, c) =>
    c === undefined ? lenient(a) <= lenient(b) : lenient(a) <= lenient(b) && lenient(b) <= lenient(c),
  '!!': (_, a) => truthy(a),
  '!': (_, a) => !truthy(a),
  '%': (_, a, b) => lenient(a) % lenient(b),
  in: (_, a, b) => {
    if (!b || typeof (b as { indexOf?: unknown }).indexOf === 'undefined') return false;
    return (b as { indexOf(item: unknown): number }).indexOf(a) !== -1;
  },
  cat: (_, ...args) => args.join(''),
  substr: (_, source, start, end) => {
    if (lenient(end) < 0) {
      const rest = String(source).substr(lenient(start));
      return rest.substr(0, rest.length + lenient(end));
    }
    return String(source).substr(lenient(start), end as number | undefined);
  },
  '+': (_, ...args) => args.reduce<number>((a, b) => parseFloat(a as unknown as string) + parseFloat(b as string), 0),
  '*': (_, ...args) => args.reduce((a, b) => parseFloat(a as string) * parseFloat(b as string)),
  '-': (_, a, b) => (b === undefined ? -lenient(a) : lenient(a) - lenient(b)),
  '/': (_, a, b) => lenient(a) / lenient(b),
  min: (_, ...args) => Math.min(...(args as number[])),
  max: (_, ...args) => Math.max(...(args as number[])),
  merge: (_, ...args) => args.reduce<unknown[]>((a, b) => a.concat(b), []),
  var: (data, path, fallback) => readVar(data, path, fallback),
};

/** Evaluates `logic` over `data` as json-logic-js would, within `ruleBudget`. */
export function applyRule(logic: unknown, data: unknown): unknown {
  let operations_ = 0;
  const count = () => {
    operations_ += 1;
    if (operations_ > ruleBudget.maxOperations)
      throw new RuleBudgetExceeded(`the rule ran past ${ruleBudget.maxOperations} operations`);
  };
  const capped = (op: string, value: unknown): unknown => {
    const length = typeof value === 'string' || Array.isArray(value) ? value.length : 0;
    if (length > ruleBudget.maxValueLength)
      throw new RuleBudgetExceeded(`a "${op}" result grew past ${ruleBudget.maxValueLength} items`);
    return value;
  };
  const apply = (node: unknown, scope: unknown): unknown => {
    count();
    if (Array.isArray(node)) return node.map((item) => apply(item, scope));
    if (!isLogic(node)) return node;
    const op = Object.keys(node)[0] as string;
    const raw = node[op];
    const values: unknown[] = Array.isArray(raw) ? raw : [raw];
    switch (op) {
      case 'if':
      case '?:': {
        let i = 0;
        for (; i < values.length - 1; i += 2) {
          if (truthy(apply(values[i], scope))) return apply(values[i + 1], scope);
        }
        return values.length === i + 1 ? apply(values[i], scope) : null;
      }
      case 'and':
      case 'or': {
        let current: unknown;
        for (const value of values) {
          current = apply(value, scope);
          if (truthy(current) === (op === 'or')) return current;
        }
        return current;
      }
      case 'filter':
      case 'map':
      case 'all':
      case 'none':
      case 'some':
        return collection(op, values, scope);
      case 'reduce': {
        const items = apply(values[0], scope);
        const initial = typeof values[2] !== 'undefined' ? apply(values[2], scope) : null;
        if (!Array.isArray(items)) return initial;
        return items.reduce(
          (accumulator: unknown, current: unknown) => apply(values[1], { current, accumulator }),
          initial,
        );
      }
      default: {
        const args = values.map((value) => apply(value, scope));
        // As the library does: each key read through a "var" operation, the options through "missing".
        if (op === 'missing') {
          const keys = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
          return keys.filter((key) => {
            const value = apply({ var: key }, scope);
            return value === null || value === '';
          });
        }
        if (op === 'missing_some') {
          const [needCount, options] = args as [number, unknown[]];
          const absent = apply({ missing: options }, scope) as unknown[];
          return options.length - absent.length >= needCount ? [] : absent;
        }
        if (!Object.hasOwn(operations, op)) throw new Error(`Unrecognized operation ${op}`);
        return capped(op, (operations[op] as Operation)(scope, ...args));
      }
    }
  };
  const collection = (op: string, values: unknown[], scope: unknown): unknown => {
    const items = apply(values[0], scope);
    const body = values[1];
    if (op === 'filter' || op === 'map') {
      if (!Array.isArray(items)) return [];
      return op === 'map' ? items.map((item) => apply(body, item)) : items.filter((item) => truthy(apply(body, item)));
    }
    if (!Array.isArray(items) || !items.length) return op === 'none';
    for (const item of items) {
      const holds = truthy(apply(body, item));
      if (op === 'all' && !holds) return false;
      if (op !== 'all' && holds) return op === 'some';
    }
    return op !== 'some';
  };
  return apply(logic, data);
}
