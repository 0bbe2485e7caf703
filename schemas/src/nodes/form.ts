/**
 * How a node kind's data is edited and read, field by field (no zod here: plain data the designer
 * renders and the compiler walks). The inspector draws one control per field in this order; the
 * compiler checks the `template` and `rule` fields and counts `variable` fields marked `writes` as
 * variables the node writes.
 */

interface FieldBase {
  /** Key in the node's data (or in the list item / object it belongs to). */
  key: string;
  label: string;
  help?: string;
}

/** A control for one field; each names what the field holds, the designer picks the widget. */
export type FormControl =
  | { control: 'text'; placeholder?: string }
  | {
      control: 'template';
      multiline?: boolean;
      /** `false`: the compiler does not check the variables it reads (e.g. `agent`, known only once claimed). */
      check?: false;
    }
  | { control: 'number'; min?: number; max?: number; step?: number }
  | { control: 'seconds' }
  | { control: 'boolean' }
  /** One of a fixed set; `optional`: may be left out (offers "—"). */
  | { control: 'enum'; options: readonly string[]; optional?: boolean }
  /** Several of a fixed set (e.g. the triage model's intents). */
  | { control: 'enums'; options: readonly string[] }
  /** A list of short strings, one per line (example phrases, skills). */
  | { control: 'strings'; placeholder?: string }
  /** A journey variable's name; `writes`: the node writes it (the compiler declares it known). */
  | { control: 'variable'; writes?: boolean }
  /** A JSONLogic condition, edited in the rule builder. `check: false`: not checked by the compiler. */
  | { control: 'rule'; check?: false }
  /** A JSONLogic value (literal or expression), e.g. `attempts + 1`. */
  | { control: 'expression' }
  /** The activity to run, picked from the catalog. */
  | { control: 'activity' }
  /** The activity's input, one JSONLogic value per field, drawn from the activity's input schema. */
  | { control: 'activityInput' }
  /** Ordered list of objects, each edited with `fields`; `newItem` is what "+" adds. */
  | { control: 'list'; fields: readonly FormField[]; newItem: Readonly<Record<string, unknown>>; itemLabel: string }
  /** A nested object; when `optional`, a checkbox turns it on (with `newValue`) and off. */
  | {
      control: 'object';
      fields: readonly FormField[];
      optional?: boolean;
      newValue?: Readonly<Record<string, unknown>>;
    };

export type FormField = FieldBase & FormControl;
export type FormControlName = FormControl['control'];

/** A kind's form: its fields in order and the data a new node starts with (examples, not defaults). */
export interface NodeForm {
  fields: readonly FormField[];
  /**
   * Data of a node dropped from the palette: example content for the required fields only. Defaults
   * come from the schema (`.default()`), never from here.
   */
  starter: Readonly<Record<string, unknown>>;
}

/** Every kind has a label first. */
export const labelField: FormField = {
  key: 'label',
  label: 'Label',
  help: 'Shown on the canvas and in the steps the agent reads.',
  control: 'text',
};

export function defineForm(form: NodeForm): NodeForm {
  return form;
}

/** One value found in a node's data by walking its form. */
export interface FormValue {
  field: FormField;
  /** Path inside the node's data, e.g. ['rules', 0, 'when']. */
  path: (string | number)[];
  value: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every present value of the form's fields in `data`, nested lists and objects included, in form order. */
export function formValues(fields: readonly FormField[], data: unknown, at: (string | number)[] = []): FormValue[] {
  if (!isRecord(data)) return [];
  const found: FormValue[] = [];
  for (const field of fields) {
    if (!Object.hasOwn(data, field.key)) continue;
    const value = data[field.key];
    const path = [...at, field.key];
    if (value === undefined) continue;
    found.push({ field, path, value });
    if (field.control === 'list' && Array.isArray(value))
      value.forEach((item, index) => found.push(...formValues(field.fields, item, [...path, index])));
    if (field.control === 'object') found.push(...formValues(field.fields, value, path));
  }
  return found;
}

/** The variables a node writes: the values of its `variable` fields marked `writes`. */
export function writtenVariables(fields: readonly FormField[], data: unknown): string[] {
  return formValues(fields, data)
    .filter(({ field, value }) => field.control === 'variable' && field.writes === true && typeof value === 'string')
    .map(({ value }) => value as string);
}
