import type { Edge } from '@xyflow/react';
import { formatJourney, upgradeJourney } from '@baton/core/compiler';
import { currentSchemaVersion, journeySchemaUrl, type ActivityManifest } from '@baton/schemas';
import { toJourney, type Draft, type FlowNode } from '../model';

export type JourneyDocument = { [key: string]: unknown } & { nodes: unknown[]; edges: unknown[] };

export type ReadResult =
  | { ok: true; journey: JourneyDocument; notices: string[] }
  | { ok: false; message: string; line?: number; column?: number };

/** Line and column (1-based) of a character offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** JSON.parse with the failure located (engines say "at position N" or "line L column C"). */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const lc = /line (\d+) column (\d+)/.exec(message);
    if (lc) return { ok: false, message, line: Number(lc[1]), column: Number(lc[2]) };
    const position = /position (\d+)/.exec(message);
    const at = lineColumn(text, position ? Number(position[1]) : jsonErrorOffset(text));
    return { ok: false, message, ...at };
  }
}

/**
 * Where JSON text first goes wrong, for engines whose JSON.parse message has no position (V8 in
 * Node 20 says only "Unexpected token"). A small recursive-descent scan; the offset of the first
 * character that cannot continue a JSON value.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match || match[0] === '' || match[0] === '-') fail();
    i += match![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (offset) {
    return typeof offset === 'number' ? offset : text.length;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks a journey file before the editor takes it: JSON, the shape of a Baton journey (not some
 * other JSON file), a schemaVersion this designer knows (older ones are upgraded), and activities
 * that the catalog still has (kept, with a notice: the compiler marks the node until another is picked).
 */
export function readJourneyText(text: string, catalog?: ReadonlyMap<string, ActivityManifest>): ReadResult {
  const parsed = parseJson(text);
  if (!parsed.ok)
    return {
      ok: false,
      message: `This file is not valid JSON: ${parsed.message} (line ${parsed.line}, column ${parsed.column}).`,
      line: parsed.line,
      column: parsed.column,
    };
  const raw = parsed.value;
  const looksLikeJourney =
    isObject(raw) &&
    Array.isArray(raw.nodes) &&
    (raw.edges === undefined || Array.isArray(raw.edges)) &&
    typeof raw.id === 'string';
  if (!looksLikeJourney) {
    return {
      ok: false,
      message:
        'This JSON file is not a Baton journey: a journey file is an object with an "id", a "nodes" list and an "edges" list (like the examples/*/journey.json files).',
    };
  }
  const version = raw.schemaVersion;
  if (typeof version === 'number' && version > currentSchemaVersion) {
    return {
      ok: false,
      message: `This journey was written by a newer Baton (schemaVersion ${version}); this designer knows schemaVersion ${currentSchemaVersion} at most. Open it with an up-to-date Baton, or export it from there in version ${currentSchemaVersion}.`,
    };
  }
  const upgraded = upgradeJourney(raw);
  if ('error' in upgraded)
    return {
      ok: false,
      message: `This journey file cannot be read: ${upgraded.error}${upgraded.path ? ` (at ${upgraded.path})` : ''}.`,
    };
  const journey = upgraded.journey as JourneyDocument;
  if (!Array.isArray(journey.edges)) journey.edges = [];
  const notices: string[] = [];
  if (upgraded.applied.length) notices.push(`Upgraded from schemaVersion ${upgraded.from} to ${upgraded.to}.`);
  for (const [index, node] of journey.nodes.entries()) {
    if (!isObject(node) || typeof node.id !== 'string' || typeof node.type !== 'string') {
      return { ok: false, message: `This journey file is damaged: node ${index + 1} has no string "id" and "type".` };
    }
  }
  for (const [index, edge] of journey.edges.entries()) {
    if (!isObject(edge) || typeof edge.source !== 'string' || typeof edge.target !== 'string') {
      return {
        ok: false,
        message: `This journey file is damaged: edge ${index + 1} has no string "source" and "target".`,
      };
    }
  }
  if (catalog && catalog.size > 0) {
    for (const node of journey.nodes as { id: string; type: string; data?: { activity?: unknown } }[]) {
      const activity = node.data?.activity;
      if (node.type === 'activity' && typeof activity === 'string' && !catalog.has(activity)) {
        notices.push(
          `Node "${node.id}" calls the activity "${activity}", which no longer exists in the catalog: the node is kept and marked as an error until you choose another activity.`,
        );
      }
    }
  }
  return { ok: true, journey, notices };
}

/** The journey file the editor holds, in canonical form: exactly the bytes `baton fmt` writes. */
export function exportJourneyText(meta: Draft, nodes: readonly FlowNode[], edges: readonly Edge[]): string {
  const journey = toJourney({ ...meta, $schema: meta.$schema ?? journeySchemaUrl }, [...nodes], [...edges]);
  return formatJourney(journey);
}

/** A file name for the download: the journey id, as `baton pull` names the folder. */
export function exportFileName(meta: Draft): string {
  return `${meta.id.replace(/[^A-Za-z0-9_.-]/g, '_') || 'journey'}.journey.json`;
}

export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
