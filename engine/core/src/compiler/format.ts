import { z } from 'zod';
import { JourneyEdge, VariableDeclaration, isNodeKind, nodeKinds } from '@baton/schemas';

/**
 * Canonical formatting of journey files, for clean diffs in git. The CLI (`baton fmt`) and the
 * designer (when it saves) both use it, so a file saved by either is already canonical.
 *
 * - Keys come in a fixed, readable order: the envelope as `journeyKeyOrder`, nodes as
 *   `nodeKeyOrder`, edges as `edgeKeyOrder`, and node data in the order its kind's schema declares
 *   (label first). Keys the schema does not know are kept, after the known ones, sorted.
 * - Arrays keep their order (node and edge order is the author's), and so do maps such as
 *   `variables` or an activity's `input`; rules (JSONLogic) and literal values are left as written.
 * - 2-space indentation and a trailing newline. The envelope, its `variables`, `nodes` and `edges`
 *   and every node are always expanded (a node moved on the canvas changes only its `position`
 *   line); any other object or array is printed on one line when that line fits in `width` columns
 *   (indentation and key included), and expanded otherwise. So an edge is one line.
 */

export const journeyKeyOrder = [
  '$schema',
  'schemaVersion',
  'id',
  'name',
  'description',
  'version',
  'variables',
  'nodes',
  'edges',
] as const;
export const nodeKeyOrder = ['id', 'type', 'position', 'data', 'width', 'height'] as const;
export const edgeKeyOrder = ['id', 'source', 'sourceHandle', 'target', 'targetHandle'] as const;
export const positionKeyOrder = ['x', 'y'] as const;

export const defaultFormatWidth = 120;

export interface FormatOptions {
  /** Longest line that an object or array is collapsed onto. */
  width?: number;
}

type Plain = { [key: string]: unknown };

function isPlainObject(value: unknown): value is Plain {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sets a key as data, so that a "__proto__" key (which JSON.parse keeps) stays a key, never a prototype. */
function setKey(target: Plain, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `order` first (those present), then the remaining keys sorted. */
function orderKeys(value: Plain, order: readonly string[]): string[] {
  const known = order.filter((key) => Object.prototype.hasOwnProperty.call(value, key));
  const rest = Object.keys(value)
    .filter((key) => !order.includes(key))
    .sort();
  return [...known, ...rest];
}

function reorder(value: Plain, order: readonly string[], child: (key: string, item: unknown) => unknown): Plain {
  const out: Plain = {};
  for (const key of orderKeys(value, order)) {
    const item = value[key];
    if (item !== undefined) setKey(out, key, child(key, item));
  }
  return out;
}

/** Strips optional/default/nullable/pipe wrappers to reach the schema that describes the shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let depth = 0; depth < 20; depth += 1) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
  return current;
}

/** Orders object keys as the schema declares them, recursing through objects, arrays and records. */
function orderBySchema(schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return value;
  const shape = unwrap(schema);
  if (shape instanceof z.ZodObject && isPlainObject(value)) {
    const fields = shape.shape as Record<string, z.ZodType>;
    return reorder(value, Object.keys(fields), (key, item) => orderBySchema(fields[key], item));
  }
  if (shape instanceof z.ZodArray && Array.isArray(value)) {
    const element = shape.element as z.ZodType;
    return value.map((item) => orderBySchema(element, item));
  }
  if (shape instanceof z.ZodRecord && isPlainObject(value)) {
    const valueType = shape.valueType as z.ZodType;
    const out: Plain = {};
    for (const [key, item] of Object.entries(value))
      if (item !== undefined) setKey(out, key, orderBySchema(valueType, item));
    return out;
  }
  return value;
}

function orderNode(node: unknown): unknown {
  if (!isPlainObject(node)) return node;
  const type = typeof node.type === 'string' && isNodeKind(node.type) ? node.type : undefined;
  return reorder(node, nodeKeyOrder, (key, item) => {
    if (key === 'position' && isPlainObject(item)) return reorder(item, positionKeyOrder, (_k, v) => v);
    if (key === 'data' && type) return orderBySchema(nodeKinds[type].data as z.ZodType, item);
    return item;
  });
}

/** The journey with its keys in canonical order (a new value; the input is not modified). */
export function orderJourney(journey: unknown): unknown {
  if (!isPlainObject(journey)) return journey;
  return reorder(journey, journeyKeyOrder, (key, item) => {
    if (key === 'variables' && isPlainObject(item)) {
      const out: Plain = {};
      for (const [name, declaration] of Object.entries(item)) {
        if (declaration !== undefined) setKey(out, name, orderBySchema(VariableDeclaration, declaration));
      }
      return out;
    }
    if (key === 'nodes' && Array.isArray(item)) return item.map(orderNode);
    if (key === 'edges' && Array.isArray(item)) return item.map((edge) => orderBySchema(JourneyEdge, edge));
    return item;
  });
}

function oneLine(value: unknown): string {
  if (Array.isArray(value)) {
    const items = value.map((item) => oneLine(item === undefined ? null : item));
    return items.length ? `[${items.join(', ')}]` : '[]';
  }
  if (isPlainObject(value)) {
    const members = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => `${JSON.stringify(key)}: ${oneLine(item)}`);
    return members.length ? `{ ${members.join(', ')} }` : '{}';
  }
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
}

/**
 * Prints JSON with 2-space indentation. A container is expanded when `expand(path)` says so, or when
 * its one-line form does not fit in `width`; otherwise it is printed on one line.
 */
export function printJson(
  value: unknown,
  options: { width?: number; expand?: (path: readonly (string | number)[]) => boolean } = {},
): string {
  const width = options.width ?? defaultFormatWidth;
  const expand = options.expand ?? (() => false);
  const print = (item: unknown, indent: string, prefixLength: number, path: (string | number)[]): string => {
    const container = Array.isArray(item) || isPlainObject(item);
    if (!container) return oneLine(item);
    const compact = oneLine(item);
    // The +1 leaves room for a trailing comma, so whether a member is last never changes its layout.
    if (compact.length <= 2 || (!expand(path) && indent.length + prefixLength + compact.length + 1 <= width))
      return compact;
    const inner = indent + '  ';
    if (Array.isArray(item)) {
      const lines = item.map(
        (element, index) => inner + print(element === undefined ? null : element, inner, 0, [...path, index]),
      );
      return `[\n${lines.join(',\n')}\n${indent}]`;
    }
    const lines = Object.entries(item as Plain)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => {
        const prefix = `${JSON.stringify(key)}: `;
        return inner + prefix + print(member, inner, prefix.length, [...path, key]);
      });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  };
  return print(value, '', 0, []);
}

/**
 * Containers a journey file always expands: the envelope, its `variables`, `nodes` and `edges`
 * lists, and each node (so that moving a node on the canvas changes only its `position` line).
 */
function journeyExpands(path: readonly (string | number)[]): boolean {
  if (path.length <= 1) return true;
  return path.length === 2 && path[0] === 'nodes';
}

/** The canonical text of a journey file (parsed JSON in, text with a trailing newline out). */
export function formatJourney(journey: unknown, options: FormatOptions = {}): string {
  return (
    printJson(orderJourney(journey), { width: options.width ?? defaultFormatWidth, expand: journeyExpands }) + '\n'
  );
}

/** Whether a journey file's text is already canonical. Throws a SyntaxError on invalid JSON. */
export function isCanonicalJourney(text: string, options: FormatOptions = {}): boolean {
  return formatJourney(JSON.parse(text) as unknown, options) === text;
}
