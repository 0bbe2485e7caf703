/**
 * Which agent takes a ticket: pure ordering of the candidates, so that the store only has to take
 * a slot for the first one that still has room.
 */

/** How a queue spreads its tickets between agents. */
export type AssignmentPolicy = 'least_loaded' | 'round_robin';

/** What the choice looks at in an agent. */
export interface AssignmentCandidate {
  id: string;
  /** Tickets held now. */
  load: number;
  capacity: number;
  /** When the agent was last given a ticket (ms since epoch; 0 for never). */
  lastAssignedAt: number;
}

/**
 * The candidates with room (load below capacity), best first. least_loaded: fewest tickets held
 * first; round_robin: longest since the last assignment first. Ties: longest since the last
 * assignment, then by id, so the order is the same in every process.
 */
export function agentsInAssignmentOrder<A extends AssignmentCandidate>(
  candidates: readonly A[],
  policy: AssignmentPolicy,
): A[] {
  const order = (a: A, b: A) =>
    (policy === 'least_loaded' ? a.load - b.load : 0) ||
    a.lastAssignedAt - b.lastAssignedAt ||
    a.id.localeCompare(b.id);
  return candidates.filter((candidate) => candidate.load < candidate.capacity).sort(order);
}
