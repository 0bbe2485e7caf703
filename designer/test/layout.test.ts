import { inferDirection, layoutJourney } from '../src/editor/layout';

const nodes = [
  { id: 'start', type: 'start', data: {} },
  { id: 'hello', type: 'message', data: { text: 'hi' } },
  { id: 'bye', type: 'end', data: { outcome: 'resolved' } },
];
const edges = [
  { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hello' },
  { id: 'e2', source: 'hello', sourceHandle: 'next', target: 'bye' },
];

test('a journey laid out downwards reads as downwards, one laid out to the right as to the right', async () => {
  for (const direction of ['DOWN', 'RIGHT'] as const) {
    const positions = await layoutJourney(nodes, edges, direction);
    const placed = nodes.map((n) => ({ id: n.id, position: positions.get(n.id)! }));
    expect(inferDirection(placed, edges)).toBe(direction);
    // Each step follows the previous one in that direction, one card and a compact gap further.
    const [a, b] = [positions.get('start')!, positions.get('hello')!];
    const gap = direction === 'DOWN' ? b.y - a.y : b.x - a.x;
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThanOrEqual(direction === 'DOWN' ? 140 : 300);
  }
});

test('with no edges the direction is left to right', () => {
  expect(inferDirection([{ id: 'a', position: { x: 0, y: 0 } }], [])).toBe('RIGHT');
});
