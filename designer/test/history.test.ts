import { changeSignature, SnapshotHistory } from '../src/editor/history';

const history = () => new SnapshotHistory<{ v: string }>((s) => s.v);

test('undo and redo walk the recorded states; a new edit clears the redo stack', () => {
  const h = history();
  h.reset({ v: 'a' });
  h.record({ v: 'b' });
  h.record({ v: 'c' });
  expect(h.undo()).toEqual({ v: 'b' });
  expect(h.undo()).toEqual({ v: 'a' });
  expect(h.canUndo).toBe(false);
  expect(h.undo()).toBeUndefined();
  expect(h.redo()).toEqual({ v: 'b' });
  h.record({ v: 'x' });
  expect(h.canRedo).toBe(false);
  expect(h.undo()).toEqual({ v: 'b' });
});

test('a state equal to the present one is not a step', () => {
  const h = history();
  h.reset({ v: 'a' });
  expect(h.record({ v: 'a' })).toBe(false);
  expect(h.canUndo).toBe(false);
});

test('consecutive records of one group are one step (typing), another group starts a new one', () => {
  const h = history();
  h.reset({ v: '' });
  for (const v of ['H', 'He', 'Hel', 'Hello']) h.record({ v }, 'node:greet:text');
  h.record({ v: 'Hello!' }, 'node:greet:label');
  expect(h.undo()).toEqual({ v: 'Hello' });
  expect(h.undo()).toEqual({ v: '' });
  expect(h.canUndo).toBe(false);
});

test('the history keeps at most `limit` steps', () => {
  const h = new SnapshotHistory<{ v: string }>((s) => s.v, 3);
  h.reset({ v: '0' });
  for (let i = 1; i <= 10; i++) h.record({ v: String(i) });
  let steps = 0;
  while (h.undo()) steps++;
  expect(steps).toBe(3);
  expect(h.present).toEqual({ v: '7' });
});

describe('changeSignature', () => {
  const node = (id: string, data: Record<string, unknown>, x = 0) => ({
    id,
    type: 'message',
    position: { x, y: 0 },
    data,
  });
  const journey = (nodes: ReturnType<typeof node>[], name = 'J') => ({ name, nodes, edges: [] as unknown[] });

  test('typing into one field of one node has a signature naming the node and field', () => {
    expect(changeSignature(journey([node('a', { text: 'H' })]), journey([node('a', { text: 'Hi' })]))).toBe(
      'node:a:text',
    );
  });
  test('the journey name is a setting of its own', () => {
    expect(changeSignature(journey([], 'A'), journey([], 'AB'))).toBe('journey:name');
  });
  test('moves, added nodes and edits of two nodes at once have none (each is its own step)', () => {
    expect(changeSignature(journey([node('a', {})]), journey([node('a', {}, 10)]))).toBeUndefined();
    expect(changeSignature(journey([]), journey([node('a', {})]))).toBeUndefined();
    expect(
      changeSignature(
        journey([node('a', { text: '1' }), node('b', { text: '1' })]),
        journey([node('a', { text: '2' }), node('b', { text: '2' })]),
      ),
    ).toBeUndefined();
  });
});
