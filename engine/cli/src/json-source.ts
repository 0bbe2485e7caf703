import { toPointer } from '@baton/schemas';

/** Where a JSON value starts in its text (1-based line and column). */
export interface SourcePosition {
  line: number;
  column: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition,
  ) {
    super(`${message} at line ${position.line}, column ${position.column}`);
    this.name = 'JsonSyntaxError';
  }
}

export interface JsonSource {
  value: unknown;
  /** The position of the value at a JSON pointer, or of its nearest ancestor that exists. */
  locate(pointer: string): SourcePosition;
}

/**
 * Parses JSON (RFC 8259) and remembers where each value starts, so that a diagnostic's JSON pointer
 * can name a line (GitHub annotations, editors). Syntax errors name a line and column, which
 * `JSON.parse` in Node 20 does not.
 */
export function parseJsonSource(text: string): JsonSource {
  const positions = new Map<string, SourcePosition>();
  let index = 0;
  let line = 1;
  let lineStart = 0;
  const here = (): SourcePosition => ({ line, column: index - lineStart + 1 });
  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, here());
  };
  const skipSpace = () => {
    for (;;) {
      const char = text[index];
      if (char === '\n') {
        index += 1;
        line += 1;
        lineStart = index;
      } else if (char === ' ' || char === '\t' || char === '\r') {
        index += 1;
      } else {
        return;
      }
    }
  };
  const describe = (char: string | undefined) => (char === undefined ? 'end of input' : `"${char}"`);

  const parseString = (): string => {
    const start = index;
    index += 1;
    for (;;) {
      const char = text[index];
      if (char === undefined) fail('unterminated string');
      if (char === '"') break;
      if (char === '\n') fail('line break inside a string');
      index += char === '\\' ? 2 : 1;
    }
    index += 1;
    try {
      return JSON.parse(text.slice(start, index)) as string;
    } catch {
      index = start;
      return fail('invalid string escape');
    }
  };

  const parseValue = (path: (string | number)[]): unknown => {
    skipSpace();
    positions.set(toPointer(path), here());
    const char = text[index];
    if (char === '{') {
      index += 1;
      const object: Record<string, unknown> = {};
      skipSpace();
      if (text[index] === '}') {
        index += 1;
        return object;
      }
      for (;;) {
        skipSpace();
        if (text[index] !== '"') fail(`expected a property name in double quotes, found ${describe(text[index])}`);
        const key = parseString();
        skipSpace();
        if (text[index] !== ':') fail(`expected ":" after property name "${key}", found ${describe(text[index])}`);
        index += 1;
        // defineProperty, so that a "__proto__" key is data (as with JSON.parse), never a prototype.
        Object.defineProperty(object, key, {
          value: parseValue([...path, key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        skipSpace();
        const after = text[index];
        if (after === ',') {
          index += 1;
          continue;
        }
        if (after === '}') {
          index += 1;
          return object;
        }
        fail(`expected "," or "}" after a property value, found ${describe(after)}`);
      }
    }
    if (char === '[') {
      index += 1;
      const array: unknown[] = [];
      skipSpace();
      if (text[index] === ']') {
        index += 1;
        return array;
      }
      for (;;) {
        array.push(parseValue([...path, array.length]));
        skipSpace();
        const after = text[index];
        if (after === ',') {
          index += 1;
          continue;
        }
        if (after === ']') {
          index += 1;
          return array;
        }
        fail(`expected "," or "]" after an array element, found ${describe(after)}`);
      }
    }
    if (char === '"') return parseString();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(index, index + 400),
    );
    if (!literal) return fail(`unexpected ${describe(char)}`);
    index += literal[0].length;
    return JSON.parse(literal[0]) as unknown;
  };

  // A byte order mark is not JSON, but editors on some systems write one.
  if (text.charCodeAt(0) === 0xfeff) {
    index = 1;
    lineStart = 1;
  }
  const value = parseValue([]);
  skipSpace();
  if (index < text.length) fail(`unexpected ${describe(text[index])} after the end of the JSON value`);

  return {
    value,
    locate(pointer: string): SourcePosition {
      let current = pointer;
      for (;;) {
        const found = positions.get(current);
        if (found) return found;
        if (current === '') return { line: 1, column: 1 };
        current = current.slice(0, current.lastIndexOf('/'));
      }
    },
  };
}
