import type { Edge } from '@xyflow/react';
import { copySelection, loadClip, pasteClip, storeClip } from '../src/editor/clipboard';
import type { FlowNode } from '../src/model';

const nodes: FlowNode[] = [
  { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {}, selected: true },
  {
    id: 'ask',
    type: 'ask',
    position: { x: 100, y: 0 },
    data: { prompt: 'Order number?', variable: 'order', problems: ['x'], hasError: true },
    selected: true,
  },
  { id: 'bye', type: 'end', position: { x: 300, y: 0 }, data: { outcome: 'resolved_by_bot' }, selected: true },
  { id: 'other', type: 'end', position: { x: 300, y: 200 }, data: { outcome: 'abandoned' } },
];
const edges: Edge[] = [
  { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
  { id: 'e2', source: 'ask', sourceHandle: 'reply', target: 'bye' },
  { id: 'e3', source: 'ask', sourceHandle: 'timeout', target: 'other' },
];

test('copy keeps the selected nodes (not start) and only the edges between them', () => {
  const clip = copySelection(nodes, edges)!;
  expect(clip.nodes.map((n) => n.id)).toEqual(['ask', 'bye']);
  expect(clip.edges).toEqual([{ source: 'ask', sourceHandle: 'reply', target: 'bye' }]);
  // Editor-only state (problem badges) is not copied.
  expect(clip.nodes[0]!.data).toEqual({ prompt: 'Order number?', variable: 'order' });
});

test('paste gives every node and edge a new id, rewires internal edges to the copies, shifts and selects them', () => {
  const clip = copySelection(nodes, edges)!;
  const pasted = pasteClip(clip, { x: 40, y: 40 });
  const existing = new Set([...nodes.map((n) => n.id), ...edges.map((e) => e.id)]);
  for (const item of [...pasted.nodes, ...pasted.edges]) expect(existing.has(item.id)).toBe(false);
  expect(new Set(pasted.nodes.map((n) => n.id)).size).toBe(2);
  const [ask, bye] = pasted.nodes;
  expect(ask!.id).toMatch(/^ask-/);
  expect(bye!.id).toMatch(/^end-/);
  expect(ask!.position).toEqual({ x: 140, y: 40 });
  expect(pasted.nodes.every((n) => n.selected)).toBe(true);
  expect(pasted.edges).toHaveLength(1);
  expect(pasted.edges[0]).toMatchObject({ source: ask!.id, sourceHandle: 'reply', target: bye!.id });
  // A second paste makes yet other ids.
  const again = pasteClip(clip, { x: 80, y: 80 });
  expect(again.nodes.map((n) => n.id)).not.toEqual(pasted.nodes.map((n) => n.id));
  // The copies do not share data with the originals.
  (ask!.data as { prompt: string }).prompt = 'changed';
  expect(clip.nodes[0]!.data.prompt).toBe('Order number?');
});

test('nothing selected (or only start) copies nothing', () => {
  expect(
    copySelection(
      nodes.map((n) => ({ ...n, selected: n.type === 'start' })),
      edges,
    ),
  ).toBeNull();
});

test('the clipboard survives in localStorage for another journey', () => {
  const clip = copySelection(nodes, edges)!;
  storeClip(clip);
  expect(loadClip()).toEqual(clip);
  localStorage.setItem('baton.designer.clipboard', '{"not":"a clip"}');
  expect(loadClip()).toBeNull();
});
