/**
 * What the read models hold for one conversation, derived from its projection alone (pure): its inbox
 * item, the counters it adds to, its share of the overlay of its journey version and of the measures of
 * its version and start day. The projection (conversations.ts) applies the difference between the
 * stored projection's share and the new one's, so a write that changes nothing changes no counter.
 * See docs/performance.md "## Scaling".
 */
import type { InboxItem } from '@baton/schemas';
import { confirmedByCustomer, measureCollections } from './read-model-measures';

/** The collections of the read models (kept apart from the conversations they are derived from). */
export const readModelCollections = {
  /** The report's ticket, survey and verdict measures (read-model-measures.ts). */
  ...measureCollections,
  /** Tickets pending or open and conversations the bot still handles: few, read newest first. */
  inboxOpen: 'inbox_open',
  /** Resolved tickets and ended conversations changed in the last `inboxClosedDays` days. */
  inboxClosed: 'inbox_closed',
  /** Counters per inbox status, queue, assignee, and conversations per state. */
  counts: 'read_counts',
  /** Per journey version: per node, waiting, entered, ended, dropped off. */
  overlay: 'read_overlay',
  /** Per journey version and UTC month (`<journey>@<version>@<yyyy-mm>`), per start day: the conversations' measures. */
  days: 'read_days',
  /**
   * Conversations whose move to ended was applied, by id: on a server without isolation (FerretDB) two
   * processes may both take a conversation from the same projection to ended, and only the one that
   * marks it applies that move's figures.
   */
  ended: 'read_ended',
  /** The read models' version marker (a rebuild runs when it is missing or older). */
  meta: 'read_models',
} as const;

/**
 * Open tickets kept again per status, queue and assignee, one collection each (read-model-items.ts):
 * `inbox_by_<s|q|a>_<hash of the value>`.
 */
export const keyedInboxPrefix = 'inbox_by_';

/** Bumped when a shape below changes: stores with an older marker are rebuilt on startup. */
export const readModelVersion = 4;

/** The fields of a stored projection the read models are derived from. */
export interface ProjectionFields {
  _id: string;
  conversationId?: string;
  journeyId?: string;
  version?: number;
  status?: string;
  nodeId?: string | null;
  outcome?: string | null;
  updatedAt?: number;
  startedAt?: number;
  channel?: string;
  customer?: InboxItem['customer'];
  journey?: { id: string; version: number };
  intent?: InboxItem['intent'];
  sentiment?: { score: number; label: string };
  transcript?: { from: string; text: string; at: number }[];
  path?: { nodeId?: string; type?: string; handle?: string }[];
  handoffs?: HandoffFields[];
  survey?: { ces?: number; csat?: number } | null;
}

interface HandoffFields {
  ticketId: string;
  queue: string;
  priority: string;
  openedAt: number;
  claimedBy?: { id: string; name: string };
  claimedAt?: number;
  resolvedAt?: number;
  reopened?: number;
  sla?: { firstResponse?: Timer; resolution?: Timer };
}
interface Timer {
  dueAt: number;
  met?: boolean;
}

/** The projection of the fields above, for reads of the stored projection before a write. */
export const projectionFieldsProjection = {
  conversationId: 1,
  journeyId: 1,
  version: 1,
  status: 1,
  nodeId: 1,
  outcome: 1,
  updatedAt: 1,
  startedAt: 1,
  transcriptLength: 1,
  path: 1,
  handoffs: 1,
  survey: 1,
} as const;

/** The inbox item's key: time-ordered (`_id` order is change order) and unique per conversation. */
export function inboxKey(updatedAt: number, conversationId: string): string {
  return `${String(Math.max(0, Math.floor(updatedAt))).padStart(15, '0')}:${conversationId}`;
}

/** Where a conversation's item lives and under which key, derived from the stored fields alone. */
export function inboxPlace(doc: ProjectionFields): { open: boolean; key: string } {
  return { open: isOpen(doc), key: inboxKey(doc.updatedAt ?? 0, doc._id) };
}

function latestHandoff(doc: ProjectionFields): HandoffFields | undefined {
  const handoffs = Array.isArray(doc.handoffs) ? doc.handoffs : [];
  return handoffs[handoffs.length - 1];
}

function ticketStatus(handoff: HandoffFields): 'pending' | 'open' | 'resolved' {
  if (handoff.resolvedAt !== undefined && handoff.resolvedAt !== null) return 'resolved';
  return handoff.claimedAt !== undefined && handoff.claimedAt !== null ? 'open' : 'pending';
}

/** The inbox status of a conversation: its latest ticket's, or bot / closed. */
export function inboxStatus(doc: ProjectionFields): string {
  const handoff = latestHandoff(doc);
  if (handoff) return ticketStatus(handoff);
  return doc.status === 'active' ? 'bot' : 'closed';
}

function isOpen(doc: ProjectionFields): boolean {
  const status = inboxStatus(doc);
  return status === 'pending' || status === 'open' || status === 'bot';
}

/** The inbox row of a conversation (the same row the inbox built from tickets and conversations before). */
export function inboxItemOf(doc: ProjectionFields): InboxItem {
  const conversationId = doc.conversationId ?? doc._id;
  const transcript = Array.isArray(doc.transcript) ? doc.transcript : [];
  const last = transcript[transcript.length - 1];
  const common = {
    conversationId,
    customer: doc.customer ?? { id: 'unknown' },
    journey: { id: doc.journey?.id ?? doc.journeyId ?? '', version: doc.journey?.version ?? doc.version ?? 0 },
    channel: doc.channel ?? 'web',
    intent: doc.intent ?? null,
    sentiment: { score: doc.sentiment?.score ?? 0, label: doc.sentiment?.label ?? 'neutral' },
    lastMessage: last ? { from: last.from, text: last.text, at: last.at } : null,
    updatedAt: doc.updatedAt ?? 0,
  };
  const handoff = latestHandoff(doc);
  if (!handoff)
    return {
      id: conversationId,
      kind: 'conversation',
      status: doc.status === 'active' ? 'bot' : 'closed',
      ticketId: null,
      queue: null,
      priority: null,
      reopened: false,
      assignee: null,
      ...common,
    };
  const status = ticketStatus(handoff);
  const timer =
    status === 'resolved'
      ? undefined
      : status === 'pending'
        ? (handoff.sla?.firstResponse ?? handoff.sla?.resolution)
        : handoff.sla?.resolution;
  return {
    id: handoff.ticketId,
    kind: 'ticket',
    status,
    ticketId: handoff.ticketId,
    queue: handoff.queue,
    priority: handoff.priority,
    reopened: Boolean(handoff.reopened),
    assignee: handoff.claimedBy ? { id: handoff.claimedBy.id, name: handoff.claimedBy.name } : null,
    ...common,
    openedAt: handoff.openedAt,
    ...(timer && !timer.met && { dueAt: timer.dueAt }),
  };
}

/** A counter document's identity fields, set on every write to it. */
export type CounterMeta = Record<string, string | number | { id: string; name: string }>;
/** Per read-model collection, per document `_id`: the numbers this conversation adds, and the document's identity. */
export type Shares = Map<string, Map<string, { inc: Record<string, number>; set: CounterMeta }>>;

function add(shares: Shares, collection: string, id: string, field: string, set: CounterMeta): void {
  const docs = shares.get(collection) ?? new Map<string, { inc: Record<string, number>; set: CounterMeta }>();
  shares.set(collection, docs);
  const doc = docs.get(id) ?? { inc: {}, set };
  docs.set(id, doc);
  doc.inc[field] = (doc.inc[field] ?? 0) + 1;
}

const dayMs = 86_400_000;

/** The share of one stored projection in the counters, the overlay and the per-day measures. */
export function sharesOf(doc: ProjectionFields | null): Shares {
  const shares: Shares = new Map();
  if (!doc) return shares;
  const status = inboxStatus(doc);
  const handoff = latestHandoff(doc);
  add(shares, readModelCollections.counts, `s:${status}`, 'n', { kind: 'status', status });
  add(shares, readModelCollections.counts, `c:${doc.status ?? 'unknown'}`, 'n', {
    kind: 'conversations',
    state: doc.status ?? 'unknown',
  });
  if (handoff) {
    add(shares, readModelCollections.counts, `q:${handoff.queue}:${status}`, 'n', {
      kind: 'queue',
      queue: handoff.queue,
      status,
    });
    if (handoff.claimedBy)
      add(shares, readModelCollections.counts, `a:${handoff.claimedBy.id}:${status}`, 'n', {
        kind: 'assignee',
        agent: { id: handoff.claimedBy.id, name: handoff.claimedBy.name },
        status,
      });
  }
  const journeyId = doc.journeyId ?? doc.journey?.id ?? '';
  const version = doc.version ?? doc.journey?.version ?? 0;
  const versionId = `${journeyId}@${version}`;
  const versionMeta = { journeyId, version };
  const overlay = (field: string) => add(shares, readModelCollections.overlay, versionId, field, versionMeta);
  overlay('conversations');
  for (const [nodeId, figures] of Object.entries(nodeShares(doc)))
    for (const figure of figures) overlay(`nodes.${nodeId}.${figure}`);
  if (doc.status === 'active') overlay('active');
  const startedAt = doc.startedAt ?? 0;
  const day = new Date(Math.floor(startedAt / dayMs) * dayMs).toISOString().slice(0, 10);
  // One document per version and month, a day's figures under `d<dd>.` (engine/store/src/metrics.ts).
  const month = day.slice(0, 7);
  const measure = (field: string) =>
    add(shares, readModelCollections.days, `${versionId}@${month}`, `d${day.slice(8)}.${field}`, {
      ...versionMeta,
      month,
    });
  for (const field of dayFields(doc)) measure(field);
  return shares;
}

/** The overlay's figures this conversation adds to, per node (the rule of the overlay route). */
function nodeShares(doc: ProjectionFields): Record<string, string[]> {
  const nodes: Record<string, string[]> = {};
  const at = (id: string, figure: string) => (nodes[id] ??= []).push(figure);
  const path = Array.isArray(doc.path) ? doc.path : [];
  const ids = path.map((step) => (typeof step.nodeId === 'string' ? step.nodeId : null));
  for (const id of new Set(ids)) if (id) at(id, 'entered');
  if (doc.status === 'active') {
    if (typeof doc.nodeId === 'string') at(doc.nodeId, 'waiting');
    return nodes;
  }
  if (doc.status !== 'ended') return nodes;
  const last = ids[ids.length - 1];
  if (last) at(last, 'ended');
  if (doc.outcome === 'abandoned') {
    let where: string | null = null;
    for (let i = path.length - 1; i >= 0 && !where; i -= 1) if (path[i]?.handle === 'timeout') where = ids[i] ?? null;
    where ??= last ?? null;
    if (where) at(where, 'droppedOff');
  }
  return nodes;
}

/** The per-day measures one conversation adds to (by its start day). */
function dayFields(doc: ProjectionFields): string[] {
  const fields = ['started'];
  const handedOff = Array.isArray(doc.handoffs) && doc.handoffs.length > 0;
  if (handedOff) fields.push('handedOff');
  if (doc.status === 'ended') {
    fields.push('ended', `outcome.${doc.outcome ?? 'none'}`);
    if (!handedOff) fields.push('resolvedByBot');
    if (!handedOff && doc.outcome === 'resolved_by_bot' && confirmedByCustomer(doc)) fields.push('confirmed');
  }
  for (const step of Array.isArray(doc.path) ? doc.path : []) {
    if (step.type !== 'answer' || typeof step.handle !== 'string') continue;
    fields.push(`answers.${step.handle}`);
  }
  const survey = doc.survey;
  if (survey && typeof survey.csat === 'number') fields.push('csat.count', `csat.d${survey.csat}`);
  if (survey && typeof survey.ces === 'number') fields.push('ces.count', `ces.d${survey.ces}`);
  return fields;
}

/** after − before, per document, without the zeros: what a projection write changes in the read models. */
export function sharesDiff(before: Shares, after: Shares): Shares {
  const diff: Shares = new Map();
  for (const collection of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(collection) ?? new Map();
    const now = after.get(collection) ?? new Map();
    for (const id of new Set([...was.keys(), ...now.keys()])) {
      const a = was.get(id);
      const b = now.get(id);
      const inc: Record<string, number> = {};
      for (const field of new Set([...Object.keys(a?.inc ?? {}), ...Object.keys(b?.inc ?? {})])) {
        const delta = (b?.inc[field] ?? 0) - (a?.inc[field] ?? 0);
        if (delta !== 0) inc[field] = delta;
      }
      if (Object.keys(inc).length === 0) continue;
      const docs = diff.get(collection) ?? new Map();
      diff.set(collection, docs);
      docs.set(id, { inc, set: (b ?? a)?.set ?? {} });
    }
  }
  return diff;
}

/** Adds `more` into `total` (for a rebuild, which sums every conversation's share). */
export function addShares(total: Shares, more: Shares): void {
  for (const [collection, docs] of more) {
    const into = total.get(collection) ?? new Map();
    total.set(collection, into);
    for (const [id, doc] of docs) {
      const target = into.get(id) ?? { inc: {}, set: doc.set };
      into.set(id, target);
      for (const [field, n] of Object.entries(doc.inc)) target.inc[field] = (target.inc[field] ?? 0) + n;
    }
  }
}
