// The list's order: pending first and the oldest wait at the top, then kept as it is between refreshes
// so a row the agent acts on (claiming moves it from pending to open) never jumps under the cursor.
import type { InboxItem } from './api';

const statusRank: Record<string, number> = { pending: 0, open: 1, bot: 2, resolved: 3, closed: 4 };

/** Since when the customer has been waiting for a person: a pending ticket since it opened, else their unanswered message. */
export function waitingSince(item: InboxItem): number | null {
  if (item.status === 'pending') return item.openedAt ?? item.updatedAt;
  if (item.status === 'open' && item.lastMessage?.from === 'customer') return item.lastMessage.at;
  return null;
}

export function compareItems(a: InboxItem, b: InboxItem): number {
  const rank = (statusRank[a.status] ?? 9) - (statusRank[b.status] ?? 9);
  if (rank !== 0) return rank;
  const waitA = waitingSince(a);
  const waitB = waitingSince(b);
  if (waitA !== null && waitB !== null && waitA !== waitB) return waitA - waitB;
  if (waitA !== null && waitB === null) return -1;
  if (waitA === null && waitB !== null) return 1;
  return b.updatedAt - a.updatedAt || a.id.localeCompare(b.id);
}

/**
 * The items in the order they were shown before (rows that stay keep their place), with rows new since
 * then put where `compareItems` would put them among the others.
 */
export function keepOrder(previous: readonly string[], items: readonly InboxItem[]): InboxItem[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const kept = previous.map((id) => byId.get(id)).filter((item): item is InboxItem => item !== undefined);
  const known = new Set(kept.map((item) => item.id));
  const fresh = items.filter((item) => !known.has(item.id)).sort(compareItems);
  const result = [...kept];
  for (const item of fresh) {
    const at = result.findIndex((other) => compareItems(item, other) < 0);
    result.splice(at === -1 ? result.length : at, 0, item);
  }
  return result;
}
