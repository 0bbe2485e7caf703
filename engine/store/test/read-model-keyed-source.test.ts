/**
 * Which collection a filtered inbox read reads (read-model-items.ts `keyedSource`): the narrowest key
 * asked for, on the side asked for, and whether the read needs no filter of its own.
 */
import { keyedCollection, keyedSource } from '../src/read-model-items';

test.each([
  [{ assignee: 'a1' }, true, { name: keyedCollection('a', 'a1'), exact: true }],
  [{ queue: 'billing' }, true, { name: keyedCollection('q', 'billing'), exact: true }],
  [{ status: 'pending' }, true, { name: keyedCollection('s', 'pending'), exact: true }],
  [{ status: 'open', queue: 'billing', assignee: 'a1' }, true, { name: keyedCollection('a', 'a1'), exact: false }],
  [{ status: 'pending', queue: 'billing' }, true, { name: keyedCollection('q', 'billing'), exact: false }],
  [{ assignee: 'a1' }, false, { name: keyedCollection('ra', 'a1'), exact: true }],
  [{ status: 'resolved', queue: 'tech' }, false, { name: keyedCollection('rq', 'tech'), exact: false }],
  [{ status: 'resolved' }, false, { name: keyedCollection('rs', 'resolved'), exact: true }],
])('%j on the %s side reads %j', (filter, open, expected) => {
  expect(keyedSource(filter, open)).toEqual(expected);
});

test.each([
  [{}, true],
  [{ status: 'bot' }, true],
  [{ status: 'bot', queue: 'billing' }, true],
  [{}, false],
  [{ status: 'closed' }, false],
  [{ status: 'pending' }, false],
])('%j on the %s side reads the side itself', (filter, open) => {
  expect(keyedSource(filter, open)).toBeUndefined();
});

test('keys are collection names of their own, whatever the value', () => {
  expect(keyedCollection('a', 'agent.sam$1')).toMatch(/^inbox_by_a_[0-9a-f]{24}$/);
  expect(keyedCollection('q', 'x')).not.toBe(keyedCollection('a', 'x'));
  expect(keyedCollection('q', 'x')).not.toBe(keyedCollection('rq', 'x'));
});
