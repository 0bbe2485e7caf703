/**
 * The store keeps exporting the alias rules it used to own; they are @baton/core's now, and the
 * store's versions agree with them (with the store's own error for an alias without routes).
 */
import * as core from '@baton/core/versions';
import { agentsInAssignmentOrder } from '@baton/core/routing';
import { AliasRoutesError, aliasBucket, aliasRoutesProblem, liveAlias, routeForConversation } from '../src';

describe('alias rules, from @baton/core', () => {
  test('the store re-exports the same rules', () => {
    expect(aliasBucket).toBe(core.aliasBucket);
    expect(aliasRoutesProblem).toBe(core.aliasRoutesProblem);
    expect(liveAlias).toBe(core.liveAlias);
    const canary = [
      { version: 2, percent: 90 },
      { version: 3, percent: 10 },
    ];
    for (let i = 0; i < 200; i += 1)
      expect(routeForConversation(canary, `conv-${i}`)).toEqual(core.routeForConversation(canary, `conv-${i}`));
  });

  test('an alias without routes is the store error (HTTP 400)', () => {
    expect(() => routeForConversation([], 'conv-1')).toThrow(AliasRoutesError);
    expect(() => core.routeForConversation([], 'conv-1')).toThrow(RangeError);
  });
});

describe('agent assignment order, from @baton/core', () => {
  const agents = [
    { id: 'b', load: 1, capacity: 3, lastAssignedAt: 10 },
    { id: 'a', load: 2, capacity: 3, lastAssignedAt: 5 },
    { id: 'c', load: 3, capacity: 3, lastAssignedAt: 1 },
    { id: 'd', load: 1, capacity: 2, lastAssignedAt: 10 },
  ];

  test('least_loaded: fewest tickets first, then longest since the last assignment, then id; full agents left out', () => {
    expect(agentsInAssignmentOrder(agents, 'least_loaded').map((agent) => agent.id)).toEqual(['b', 'd', 'a']);
  });

  test('round_robin: longest since the last assignment first', () => {
    expect(agentsInAssignmentOrder(agents, 'round_robin').map((agent) => agent.id)).toEqual(['a', 'b', 'd']);
  });
});
