/**
 * Retention rules from the setting: an override gives a journey its own cut-off, null keeps forever
 * (no rule), the global days cover every other journey, and no setting means no rule at all.
 */
import { retentionRules } from '../src/retention';

const dayMs = 86_400_000;
const now = Date.UTC(2026, 11, 6);

it('keeps everything when nothing is set', () => {
  expect(retentionRules({ defaultDays: null, journeys: {} }, now)).toEqual([]);
});

it('has one rule per journey override with days, and the global one last', () => {
  expect(retentionRules({ defaultDays: 365, journeys: { billing: 30, vip: null } }, now)).toEqual([
    { journeyId: 'billing', days: 30, cutoff: now - 30 * dayMs },
    { journeyId: null, days: 365, cutoff: now - 365 * dayMs },
  ]);
});

it('applies overrides even without a global value', () => {
  expect(retentionRules({ defaultDays: null, journeys: { billing: 7 } }, now)).toEqual([
    { journeyId: 'billing', days: 7, cutoff: now - 7 * dayMs },
  ]);
});
