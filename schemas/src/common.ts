import { z } from 'zod';

/** Ids are stable handles chosen once (never derived from a name), safe in URLs, JSON pointers and Temporal ids. */
export const idPattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const Id = z
  .string()
  .regex(idPattern, 'must start with a letter and contain only letters, digits, "_" or "-" (at most 64)');

/** Variable names double as template and rule paths, so they are plain identifiers. */
export const VariableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be an identifier: letters, digits and "_", not starting with a digit');

/** Names the interpreter puts in every rule/template context; a journey variable may not shadow them. */
export const reservedContextNames = [
  'customer',
  'intent',
  'sentiment',
  'counters',
  'lastMessage',
  'time',
  'agent',
  'conversation',
  'journey',
] as const;

export const Position = z.object({ x: z.number(), y: z.number() });

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValueSchema: z.ZodType<JsonValue> = z.json() as z.ZodType<JsonValue>;
export type JsonObject = { [key: string]: JsonValue };

/** Mustache-like template: `Hi {{customer.name}}`. Rendered by the interpreter, never evaluated as code. */
export const Template = z.string().max(4000);

export const Seconds = z
  .number()
  .int()
  .positive()
  .max(60 * 60 * 24 * 365);
