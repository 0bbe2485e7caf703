import { formatJourney } from '@baton/core/compiler';
import { currentSchemaVersion, type ActivityManifest } from '@baton/schemas';
import { exportJourneyText, jsonErrorOffset, lineColumn, parseJson, readJourneyText } from '../src/editor/io';
import { draftOf, fromJourney } from '../src/model';
import { exampleNames, exampleText } from './support/examples';

describe('export writes exactly the bytes of baton fmt', () => {
  test.each(exampleNames)('%s: read, put on the canvas, exported = the canonical file', (name) => {
    const text = exampleText(name);
    const read = readJourneyText(text);
    if (!read.ok) throw new Error(read.message);
    const { nodes, edges } = fromJourney(read.journey);
    const exported = exportJourneyText(draftOf(read.journey), nodes, edges);
    expect(exported).toBe(formatJourney(JSON.parse(text)));
    expect(exported).toBe(text);
  });

  test('after moving a node, only its position line differs', () => {
    const text = exampleText('complaint');
    const read = readJourneyText(text);
    if (!read.ok) throw new Error(read.message);
    const { nodes, edges } = fromJourney(read.journey);
    nodes[1]!.position = { x: 1234, y: 567 };
    const exported = exportJourneyText(draftOf(read.journey), nodes, edges);
    const before = text.split('\n');
    const after = exported.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    expect(changed).toEqual(['      "position": { "x": 1234, "y": 567 },']);
    expect(exported).toBe(formatJourney(JSON.parse(exported)));
  });
});

describe('bad input gets a clear message', () => {
  test('malformed JSON: located by line and column', () => {
    const read = readJourneyText('{\n  "id": "x",\n  "nodes": [,]\n}');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.message).toMatch(/^This file is not valid JSON: .*\(line 3, column 13\)\.$/s);
    expect(read.line).toBe(3);
    expect(read.column).toBe(13);
  });

  test('a foreign JSON file (package.json) is not taken for a journey', () => {
    const read = readJourneyText(JSON.stringify({ name: '@baton/designer', version: '0.1.0', dependencies: {} }));
    expect(read).toEqual({ ok: false, message: expect.stringContaining('not a Baton journey') });
    expect(readJourneyText('[1, 2, 3]').ok).toBe(false);
  });

  test('a journey from a newer schemaVersion is refused, naming both versions', () => {
    const doc = { ...JSON.parse(exampleText('complaint')), schemaVersion: currentSchemaVersion + 1 };
    const read = readJourneyText(JSON.stringify(doc));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.message).toContain(`schemaVersion ${currentSchemaVersion + 1}`);
    expect(read.message).toContain(`knows schemaVersion ${currentSchemaVersion} at most`);
  });

  test('an older file (schemaVersion 0) is upgraded, and says so', () => {
    const doc = JSON.parse(exampleText('complaint'));
    delete doc.schemaVersion;
    delete doc.$schema;
    doc.nodes[0].selected = true;
    const read = readJourneyText(JSON.stringify(doc));
    if (!read.ok) throw new Error(read.message);
    expect(read.notices[0]).toMatch(/Upgraded from schemaVersion 0 to 1/);
    expect(read.journey.schemaVersion).toBe(1);
    expect((read.journey.nodes[0] as Record<string, unknown>).selected).toBeUndefined();
  });

  test('an activity that is no longer in the catalog is kept, with a notice naming the node', () => {
    const catalog = new Map<string, ActivityManifest>([
      ['kb.search', { name: 'kb.search', description: '', input: {}, output: {}, builtin: true }],
    ]);
    const read = readJourneyText(exampleText('password-reset'), catalog);
    if (!read.ok) throw new Error(read.message);
    expect(read.notices).toEqual([
      expect.stringMatching(
        /Node "send_link" calls the activity "accounts.sendResetLink", which no longer exists in the catalog/,
      ),
    ]);
    expect(read.journey.nodes.some((n) => (n as { id: string }).id === 'send_link')).toBe(true);
  });

  test('a damaged node list is refused', () => {
    const read = readJourneyText(JSON.stringify({ id: 'j', nodes: [{ id: 'a' }], edges: [] }));
    expect(read).toEqual({ ok: false, message: expect.stringContaining('node 1 has no string "id" and "type"') });
  });
});

test('lineColumn and parseJson locate errors', () => {
  expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  const parsed = parseJson('{"a": tru}');
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) expect(parsed.line).toBe(1);
});

test('jsonErrorOffset finds the first bad character where JSON.parse does not say', () => {
  for (const bad of ['{"a": 1,}', '[1 2]', '{"a" 1}', '{"a": tru}', '"open', '{"a": 1} x', '[01]']) {
    expect(() => JSON.parse(bad)).toThrow();
    const offset = jsonErrorOffset(bad);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(bad.length);
  }
  expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
  expect(jsonErrorOffset('[1 2]')).toBe(3);
  expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
});
