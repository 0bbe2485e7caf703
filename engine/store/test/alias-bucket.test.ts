/**
 * The choice between an alias's canary routes: a pure function of the conversation id, so a
 * conversation (and every retry of its start) always lands on the same version.
 */
import { randomUUID } from 'node:crypto';
import { aliasBucket, aliasRoutesProblem, routeForConversation } from '../src/store';

const canary = [
  { version: 2, percent: 90 },
  { version: 3, percent: 10 },
];

describe('alias buckets', () => {
  test('a bucket is a whole number from 0 to 99, the same for the same id every time', () => {
    for (let i = 0; i < 1000; i += 1) {
      const id = `conv-${i}`;
      const bucket = aliasBucket(id);
      expect(Number.isInteger(bucket)).toBe(true);
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(100);
      expect(aliasBucket(id)).toBe(bucket);
      expect(routeForConversation(canary, id)).toEqual(routeForConversation(canary, id));
    }
  });

  test('the bucket of a given id never changes (it is SHA-256, not a per-process seed)', () => {
    // Pinned values: a change here would move running canaries' traffic between versions.
    expect(['a', 'conv-1', 'conv-2', 'conv-00000000-0000-0000-0000-000000000000'].map(aliasBucket)).toEqual([
      10, 56, 12, 61,
    ]);
  });

  test('routes cover the buckets in their order: 90 % then 10 %', () => {
    for (let i = 0; i < 2000; i += 1) {
      const id = `conv-${i}`;
      expect(routeForConversation(canary, id).version).toBe(aliasBucket(id) < 90 ? 2 : 3);
    }
    expect(routeForConversation([{ version: 7, percent: 100 }], 'anything').version).toBe(7);
  });

  test('a 10 % canary gets 10 % ± 3 of 10,000 conversations, and every bucket is used', () => {
    let onCanary = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i += 1) {
      const id = `conv-${i.toString(36)}-${(i * 7919) % 10_007}`;
      seen.add(aliasBucket(id));
      if (routeForConversation(canary, id).version === 3) onCanary += 1;
    }
    expect(onCanary / 10_000).toBeGreaterThanOrEqual(0.07);
    expect(onCanary / 10_000).toBeLessThanOrEqual(0.13);
    expect(seen.size).toBe(100);
  });

  test('random UUID ids split the same way', () => {
    let onCanary = 0;
    for (let i = 0; i < 10_000; i += 1)
      if (routeForConversation(canary, `conv-${randomUUID()}`).version === 3) onCanary += 1;
    expect(Math.abs(onCanary - 1000)).toBeLessThanOrEqual(300);
  });

  test('valid and invalid splits', () => {
    expect(aliasRoutesProblem(canary)).toBeUndefined();
    expect(aliasRoutesProblem([{ version: 1, percent: 100 }])).toBeUndefined();
    expect(aliasRoutesProblem([])).toMatch(/one route, or two/);
    expect(aliasRoutesProblem([{ version: 1, percent: 90 }])).toMatch(/sum to 90/);
    expect(
      aliasRoutesProblem([
        { version: 1, percent: 50 },
        { version: 2, percent: 40 },
      ]),
    ).toMatch(/sum to 90/);
    expect(
      aliasRoutesProblem([
        { version: 1, percent: 50 },
        { version: 1, percent: 50 },
      ]),
    ).toMatch(/same version/);
    expect(
      aliasRoutesProblem([
        { version: 1, percent: 0 },
        { version: 2, percent: 100 },
      ]),
    ).toMatch(/percent 0/);
    expect(
      aliasRoutesProblem([
        { version: 1, percent: 33.5 },
        { version: 2, percent: 66.5 },
      ]),
    ).toMatch(/whole number/);
    expect(
      aliasRoutesProblem([
        { version: 1, percent: 20 },
        { version: 2, percent: 30 },
        { version: 3, percent: 50 },
      ]),
    ).toMatch(/one route, or two/);
  });
});
