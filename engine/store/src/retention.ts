/**
 * Retention of ended conversations (issue 16): the setting (a global number of days and per-journey
 * overrides, `null` for "keep"), which conversations are past it, and their redaction.
 *
 * A conversation past retention loses its details: transcript, customer, variables, path notes,
 * handoff reasons, survey comment; its tickets lose transcript, variables, customer, summary,
 * steps tried, notes and the agent's comment; its survey its comment; agents' verdicts their comment;
 * intent corrections the customer's words; typing records and ticket claims go. What the dashboard's
 * measures read (metrics-rows.ts: ids, journey and version, times, status, outcome, path node types and
 * handles, handoff count, scores, verdicts) stays, so a retention run leaves every figure of every
 * period as it was. Only an `ended` conversation is ever touched (the filter of every write says so).
 */
import type { Db, Document, Filter } from 'mongodb';
import { collections, retentionSettingsCollection } from './collections';
import { inboxCollections } from './inbox';
import { forgetConversations } from './read-models';
import { typingCollection } from './typing';

const settingsId = 'retention';

export interface RetentionSettings {
  /** Days an ended conversation is kept in full; null keeps it forever. */
  defaultDays: number | null;
  /** Per-journey overrides: days, or null to keep that journey's conversations forever. */
  journeys: Record<string, number | null>;
}

export interface StoredRetentionSettings extends RetentionSettings {
  updatedAt: string | null;
  updatedBy: string | null;
}

export const defaultRetentionSettings: RetentionSettings = { defaultDays: null, journeys: {} };

export async function readRetentionSettings(db: Db): Promise<StoredRetentionSettings> {
  const doc = await db
    .collection<{ _id: string } & Partial<StoredRetentionSettings>>(retentionSettingsCollection)
    .findOne({ _id: settingsId });
  return {
    defaultDays: typeof doc?.defaultDays === 'number' ? doc.defaultDays : null,
    journeys: doc?.journeys && typeof doc.journeys === 'object' ? doc.journeys : {},
    updatedAt: doc?.updatedAt ?? null,
    updatedBy: doc?.updatedBy ?? null,
  };
}

export async function saveRetentionSettings(
  db: Db,
  settings: RetentionSettings,
  by: string,
  at: Date = new Date(),
): Promise<StoredRetentionSettings> {
  const stored: StoredRetentionSettings = { ...settings, updatedAt: at.toISOString(), updatedBy: by };
  await db
    .collection<{ _id: string } & StoredRetentionSettings>(retentionSettingsCollection)
    .replaceOne({ _id: settingsId }, stored, { upsert: true });
  return stored;
}

const dayMs = 86_400_000;

/** One rule of a retention run: conversations of these journeys (or of every other) ended before `cutoff`. */
export interface RetentionRule {
  /** A journey id, or null for every journey without an override. */
  journeyId: string | null;
  days: number;
  /** Epoch ms: ended strictly before this. */
  cutoff: number;
}

/** The rules in force at `now` (journeys kept forever have none). */
export function retentionRules(settings: RetentionSettings, now: number): RetentionRule[] {
  const rules: RetentionRule[] = [];
  for (const [journeyId, days] of Object.entries(settings.journeys))
    if (days !== null) rules.push({ journeyId, days, cutoff: now - days * dayMs });
  if (settings.defaultDays !== null)
    rules.push({ journeyId: null, days: settings.defaultDays, cutoff: now - settings.defaultDays * dayMs });
  return rules;
}

/** The conversations a rule selects that still hold details: ended before the cut-off, never open. */
function ruleFilter(rule: RetentionRule, settings: RetentionSettings): Filter<{ _id: string }> {
  const overridden = Object.keys(settings.journeys);
  return {
    status: 'ended',
    endedAt: { $lt: rule.cutoff },
    retainedAt: { $exists: false },
    ...(rule.journeyId !== null
      ? { journeyId: rule.journeyId }
      : overridden.length > 0 && { journeyId: { $nin: overridden } }),
  };
}

export interface RetentionPreview {
  rules: (RetentionRule & { count: number; conversations: string[] })[];
  total: number;
}

/** What a run would redact now: per rule the count and the first `limit` conversation ids. */
export async function previewRetention(
  db: Db,
  settings: RetentionSettings,
  now: number,
  limit = 100,
): Promise<RetentionPreview> {
  const conversations = db.collection<{ _id: string }>(collections.conversations);
  const rules = await Promise.all(
    retentionRules(settings, now).map(async (rule) => {
      const filter = ruleFilter(rule, settings);
      const [count, docs] = await Promise.all([
        conversations.countDocuments(filter),
        conversations
          .find(filter, { projection: { _id: 1 } })
          .limit(limit)
          .toArray(),
      ]);
      return { ...rule, count, conversations: docs.map((doc) => String(doc._id)) };
    }),
  );
  return { rules, total: rules.reduce((sum, rule) => sum + rule.count, 0) };
}

/** Up to `limit` conversation ids past retention (for one bounded batch). */
export async function retentionBatch(
  db: Db,
  settings: RetentionSettings,
  now: number,
  limit: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (const rule of retentionRules(settings, now)) {
    if (ids.length >= limit) break;
    const docs = await db
      .collection<{ _id: string }>(collections.conversations)
      .find(ruleFilter(rule, settings), { projection: { _id: 1 } })
      .limit(limit - ids.length)
      .toArray();
    ids.push(...docs.map((doc) => String(doc._id)));
  }
  return ids;
}

export type RedactedCounts = Record<
  'conversations' | 'tickets' | 'surveys' | 'ticketFeedback' | 'corrections' | 'typing' | 'ticketClaims',
  number
>;

/** A customer that names nobody: what a redacted record holds instead. */
export const retainedCustomer = { id: 'retained' } as const;

type Step = { note?: unknown } & Record<string, unknown>;
type Handoff = { reason?: unknown; events?: { detail?: unknown }[] } & Record<string, unknown>;

/**
 * Redacts the given conversations (ended ones only) and their records; idempotent (a redacted one is
 * skipped, a repeat changes nothing). Returns the counts changed or deleted.
 */
export async function redactConversations(
  db: Db,
  conversationIds: readonly string[],
  at = Date.now(),
): Promise<RedactedCounts> {
  const counts: RedactedCounts = {
    conversations: 0,
    tickets: 0,
    surveys: 0,
    ticketFeedback: 0,
    corrections: 0,
    typing: 0,
    ticketClaims: 0,
  };
  const conversations = db.collection<{ _id: string } & Document>(collections.conversations);
  const docs = await conversations
    .find(
      { _id: { $in: [...conversationIds] }, status: 'ended', retainedAt: { $exists: false } },
      { projection: { _id: 1, path: 1, handoffs: 1, survey: 1 } },
    )
    .toArray();
  if (docs.length === 0) return counts;
  const ids = docs.map((doc) => doc._id);
  // Their inbox items (which show the customer) go; the read models' counters and aggregates stay.
  await forgetConversations(db, ids);
  for (const doc of docs) {
    const path = Array.isArray(doc.path) ? (doc.path as Step[]).map(({ note: _note, ...step }) => step) : [];
    const handoffs = Array.isArray(doc.handoffs)
      ? (doc.handoffs as Handoff[]).map((handoff) => ({
          ...handoff,
          reason: '',
          ...(Array.isArray(handoff.events) && { events: handoff.events.map((event) => ({ ...event, detail: '' })) }),
        }))
      : [];
    const survey = doc.survey as { comment?: unknown } | null | undefined;
    const { comment: _comment, ...scores } = survey ?? {};
    // By _id alone (FerretDB serves only a bare _id filter from its index; a compound one scans the
    // collection per write): the selection above is ended and unredacted, and an ended conversation
    // stays ended (conversations.ts, projectionRule), so the write cannot reach an open one.
    const result = await conversations.updateOne(
      { _id: doc._id },
      {
        $set: {
          transcript: [],
          customer: retainedCustomer,
          vars: {},
          lastMessage: '',
          buffered: [],
          articles: [],
          path,
          handoffs,
          survey: survey ? scores : null,
          retainedAt: at,
        },
      },
    );
    counts.conversations += result.modifiedCount;
  }
  const byConversation = { conversationId: { $in: ids } };
  const tickets = await db
    .collection<{ _id: string }>(collections.tickets)
    .find(byConversation, { projection: { _id: 1 } })
    .toArray();
  const ticketIds = tickets.map((ticket) => String(ticket._id));
  const [ticketResult, surveys, feedback, corrections, typing] = await Promise.all([
    db.collection(collections.tickets).updateMany(
      { ...byConversation, retainedAt: { $exists: false } },
      {
        $set: {
          transcript: [],
          variables: {},
          customer: retainedCustomer,
          summary: '',
          reason: '',
          stepsTried: [],
          notes: [],
          retainedAt: at,
        },
        $unset: { summaryFallback: '', 'feedback.comment': '' },
      },
    ),
    db
      .collection(collections.surveys)
      .updateMany(
        { ...byConversation, retainedAt: { $exists: false } },
        { $set: { customerId: retainedCustomer.id, retainedAt: at }, $unset: { comment: '' } },
      ),
    db
      .collection(inboxCollections.feedback)
      .updateMany({ ...byConversation, retainedAt: { $exists: false } }, { $set: { comment: null, retainedAt: at } }),
    db
      .collection(inboxCollections.intentCorrections)
      .updateMany({ ...byConversation, retainedAt: { $exists: false } }, { $set: { text: '', retainedAt: at } }),
    db.collection<{ _id: string }>(typingCollection).deleteMany({ _id: { $in: ids } }),
  ]);
  const claims =
    ticketIds.length === 0
      ? { deletedCount: 0 }
      : await db.collection<{ _id: string }>(collections.ticketClaims).deleteMany({
          $or: ticketIds.map((id) => ({ _id: { $regex: `^${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` } })),
        });
  counts.tickets = ticketResult.modifiedCount;
  counts.surveys = surveys.modifiedCount;
  counts.ticketFeedback = feedback.modifiedCount;
  counts.corrections = corrections.modifiedCount;
  counts.typing = typing.deletedCount;
  counts.ticketClaims = claims.deletedCount;
  return counts;
}
