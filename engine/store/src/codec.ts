/**
 * Stored-form codec for user JSON (journey sources, compiled journeys, customers, variables,
 * transcripts …) so that any JSON value round-trips through any MongoDB-wire server.
 *
 * MongoDB and FerretDB refuse some perfectly valid JSON: keys that start with "$" (a journey's
 * `$schema`), keys containing "." (customer attributes), keys containing NUL, and FerretDB v1 also
 * refuses arrays nested directly in arrays (JSONLogic's `{"in": [x, ["a", "b"]]}`). The codec
 * escapes those keys and wraps nested arrays, reversibly:
 *
 * - in keys, "~" → "~t", "." → "~d", NUL → "~0", a leading "$" → "~s", and the key "__proto__"
 *   (which a plain object cannot hold as an ordinary property) → "~p";
 * - an array directly inside an array becomes `{ "~a": [...] }` (an escaped user key can never be
 *   "~a", since every "~" of a user key is followed by "t", "d", "0" or "s").
 *
 * Plain objects and arrays are walked; every other value (string, number, boolean, null, Date) is
 * kept as it is. `undefined` object members are dropped, as JSON would.
 */

const arrayMarker = '~a';

export function encodeKey(key: string): string {
  if (key === '__proto__') return '~p';
  let out = key.replace(/~/g, '~t').replace(/\./g, '~d').replace(/\0/g, '~0');
  if (out.startsWith('$')) out = `~s${out.slice(1)}`;
  return out;
}

const unescapes: Record<string, string> = { t: '~', d: '.', '0': '\0', s: '$' };

export function decodeKey(key: string): string {
  if (key === '~p') return '__proto__';
  return key.replace(/~([tds0])/g, (_, code: string) => unescapes[code] ?? code);
}

/** Sets a member as an own, enumerable property (so "__proto__" is data, never the prototype). */
function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function encodeArray(items: readonly unknown[]): unknown[] {
  return items.map((item) => (Array.isArray(item) ? { [arrayMarker]: encodeArray(item) } : encodeValue(item)));
}

/** JSON value → the stored form. */
export function encodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return encodeArray(value);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      setMember(out, encodeKey(key), encodeValue(item));
    }
    return out;
  }
  if (typeof value === 'number' && Object.is(value, -0)) return 0;
  return value;
}

/** The stored form → the JSON value it was made from. */
export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => {
      if (isPlainObject(item)) {
        const keys = Object.keys(item);
        if (keys.length === 1 && keys[0] === arrayMarker && Array.isArray(item[arrayMarker]))
          return decodeValue(item[arrayMarker]);
      }
      return decodeValue(item);
    });
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setMember(out, decodeKey(key), decodeValue(item));
    return out;
  }
  return value;
}
