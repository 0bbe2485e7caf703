/**
 * Writes the report's ticket, survey and verdict measures (read-model-measures.ts): every writer of a
 * ticket, a verdict, an intent correction or a survey answer calls `refreshTicket` / `refreshSurvey`
 * after its write. A refresh reads the record (and what it depends on) by `_id`, computes its share,
 * and applies the difference from the share last applied (kept in `read_applied`): a retried or
 * repeated refresh changes nothing. `rebuildMeasures` recomputes them all (the read models' rebuild).
 *
 * Collection names are literal here (not collections.ts): routing.ts and tickets.ts import this file,
 * and collections.ts imports routing.ts.
 */
import type { AnyBulkWriteOperation, Db, Document } from 'mongodb';
import { decodeValue } from './codec';
import { duplicateKeyIndex, isDuplicateKeyError } from './errors';
import { addShares, sharesDiff, type CounterMeta, type Shares } from './read-model-shapes';
import {
  measureCollections,
  needsPath,
  surveyShare,
  ticketShare,
  type FailedRow,
  type TicketSources,
} from './read-model-measures';

/** Where the records are: a database, or anything that hands out its collections (routing.ts's source). */
type Source = Pick<Db, 'collection'>;

const sources = {
  tickets: 'tickets',
  surveys: 'surveys',
  conversations: 'conversations',
  feedback: 'ticket_feedback',
  corrections: 'intent_corrections',
} as const;

interface AppliedDoc extends Document {
  _id: string;
  /** The share applied, as JSON (`[[collection, [[id, { inc, set }]]]]`), and the failed row written. */
  j: string;
}

/** A figures document: its key and its counts. */
interface FigureDoc extends Document {
  _id: string;
}

interface Applied {
  shares: Shares;
  failed: FailedRow | null;
}

const serialise = (applied: Applied): string =>
  JSON.stringify({
    shares: [...applied.shares].map(([name, docs]) => [name, [...docs]]),
    failed: applied.failed,
  });

function parse(json: string | undefined): Applied {
  if (!json) return { shares: new Map(), failed: null };
  const raw = JSON.parse(json) as {
    shares: [string, [string, { inc: Record<string, number>; set: CounterMeta }][]][];
    failed: FailedRow | null;
  };
  return { shares: new Map(raw.shares.map(([name, docs]) => [name, new Map(docs)])), failed: raw.failed };
}

const plain = (doc: Document | null): Record<string, unknown> | null =>
  doc ? (decodeValue(doc) as Record<string, unknown>) : null;

/**
 * One refresh at a time per process: FerretDB applies `$inc` as a read then a write, and two refreshes
 * of one ticket must not both apply the same difference.
 */
let turn: Promise<unknown> = Promise.resolve();
function serially<T>(task: () => Promise<T>): Promise<T> {
  const next = turn.then(task);
  turn = next.catch(() => undefined);
  return next;
}

/** The sources of one ticket's share, read by `_id` (its verdicts by ticket id). */
async function ticketSources(db: Source, ticket: Record<string, unknown>): Promise<TicketSources> {
  const ticketId = typeof ticket.ticketId === 'string' ? ticket.ticketId : String(ticket._id);
  const [correction, verdicts, conversation] = await Promise.all([
    db.collection<{ _id: string }>(sources.corrections).findOne({ _id: ticketId }),
    db.collection(sources.feedback).find({ ticketId }).toArray(),
    needsPath(ticket) && typeof ticket.conversationId === 'string'
      ? db
          .collection<{ _id: string }>(sources.conversations)
          .findOne({ _id: ticket.conversationId }, { projection: { path: 1 } })
      : null,
  ]);
  const path = plain(conversation)?.path;
  return {
    ticket,
    correction: plain(correction),
    verdicts: verdicts.map((doc) => plain(doc) as Record<string, unknown>),
    path: Array.isArray(path) ? path : [],
  };
}

/** Adds each figure's difference (`$inc`, upserted), one collection after another: every read model's write. */
export async function applyShares(db: Source, diff: Shares): Promise<void> {
  for (const [name, docs] of diff) {
    let operations: AnyBulkWriteOperation<FigureDoc>[] = [...docs].map(([id, { inc, set }]) => ({
      updateOne: { filter: { _id: id }, update: { $inc: inc, $set: set }, upsert: true },
    }));
    // Two first writes of one figure may both insert it: the loser, sent again from there, updates it.
    for (let attempt = 1; operations.length > 0; attempt += 1) {
      try {
        await db.collection<FigureDoc>(name).bulkWrite(operations, { ordered: true });
        break;
      } catch (error) {
        const failedAt = duplicateKeyIndex(error);
        if (failedAt === undefined || attempt >= 5) throw error;
        operations = operations.slice(failedAt);
      }
    }
  }
}

/** Applies `now` in place of what was applied under `key` (the difference only), then records it. */
async function replaceApplied(db: Source, key: string, now: Applied): Promise<void> {
  const appliedDocs = db.collection<AppliedDoc>(measureCollections.applied);
  const before = parse((await appliedDocs.findOne({ _id: key }))?.j);
  await applyShares(db, sharesDiff(before.shares, now.shares));
  const failed = db.collection<FailedRow>(measureCollections.failed);
  if (now.failed) await failed.replaceOne({ _id: now.failed._id }, now.failed, { upsert: true });
  else if (before.failed) await failed.deleteOne({ _id: before.failed._id });
  await appliedDocs.replaceOne({ _id: key }, { j: serialise(now) }, { upsert: true });
}

/**
 * Brings one ticket's measures in line with what is stored about it (its document, verdicts and intent
 * correction; its conversation's path when it was reopened). A ticket no longer stored (erased) keeps
 * the figures it added: see docs/data-lifecycle.md.
 */
export function refreshTicket(db: Source, ticketId: string): Promise<void> {
  return serially(async () => {
    const ticket = plain(await db.collection<{ _id: string }>(sources.tickets).findOne({ _id: ticketId }));
    if (!ticket) return;
    await replaceApplied(db, `t:${ticketId}`, ticketShare(await ticketSources(db, ticket)));
  });
}

/** Brings one survey answer's measures in line with the stored answer (one per conversation). */
export function refreshSurvey(db: Source, conversationId: string): Promise<void> {
  return serially(async () => {
    const survey = plain(await db.collection<{ _id: string }>(sources.surveys).findOne({ _id: conversationId }));
    if (!survey) return;
    await replaceApplied(db, `s:${conversationId}`, { shares: surveyShare(survey), failed: null });
  });
}

/** Erasure: the tickets' failed-handoff rows and applied shares go; their figures stay in the sums. */
export async function forgetTicketMeasures(db: Source, ticketIds: readonly string[]): Promise<void> {
  if (ticketIds.length === 0) return;
  await db.collection<{ _id: string }>(measureCollections.failed).deleteMany({ _id: { $in: [...ticketIds] } });
  await db
    .collection<{ _id: string }>(measureCollections.applied)
    .deleteMany({ _id: { $in: ticketIds.map((id) => `t:${id}`) } });
}

/** Flat dotted figures (`t.ht.b.812`, `nodes.ask.entered`) as the nested document an insert writes. */
export function nested(inc: Record<string, number>): Document {
  const out: Document = {};
  for (const [path, n] of Object.entries(inc)) {
    const parts = path.split('.');
    let at: Document = out;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Document;
    at[parts[parts.length - 1] as string] = n;
  }
  return out;
}

async function insertAll(db: Db, name: string, rows: Document[], batch: number): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    try {
      await db.collection(name).insertMany(rows.slice(i, i + batch), { ordered: false });
    } catch (error) {
      // A refresh meanwhile wrote that document first; anything else is an error.
      const entries = (error as { writeErrors?: unknown }).writeErrors;
      if (!(Array.isArray(entries) ? entries.every((entry) => isDuplicateKeyError(entry)) : isDuplicateKeyError(error)))
        throw error;
    }
  }
}

/**
 * Recomputes the ticket, survey and verdict measures from `tickets`, `surveys`, `ticket_feedback` and
 * `intent_corrections` (drops them first). Exact while nothing writes those, like the read models' rebuild.
 */
export async function rebuildMeasures(db: Db, batch = 1_000): Promise<{ tickets: number; surveys: number }> {
  for (const name of Object.values(measureCollections))
    await db
      .collection(name)
      .drop()
      .catch(() => false);
  const corrections = new Map<string, Record<string, unknown>>();
  for (const raw of await db.collection(sources.corrections).find({}).toArray()) {
    const doc = plain(raw) as Record<string, unknown>;
    corrections.set(typeof doc.ticketId === 'string' ? doc.ticketId : String(raw._id), doc);
  }
  const verdicts = new Map<string, Record<string, unknown>[]>();
  for (const raw of await db.collection(sources.feedback).find({}).toArray()) {
    const doc = plain(raw) as Record<string, unknown>;
    if (typeof doc.ticketId !== 'string') continue;
    verdicts.set(doc.ticketId, [...(verdicts.get(doc.ticketId) ?? []), doc]);
  }
  const total: Shares = new Map();
  const failed: FailedRow[] = [];
  const applied: AppliedDoc[] = [];
  let tickets = 0;
  let surveys = 0;
  const ticketCursor = db
    .collection(sources.tickets)
    .find({}, { batchSize: batch, projection: { transcript: 0, variables: 0, notes: 0, customer: 0 } });
  for await (const raw of ticketCursor) {
    const ticket = plain(raw) as Record<string, unknown>;
    const ticketId = typeof ticket.ticketId === 'string' ? ticket.ticketId : String(raw._id);
    let path: unknown = [];
    if (needsPath(ticket) && typeof ticket.conversationId === 'string')
      path = plain(
        await db
          .collection<{ _id: string }>(sources.conversations)
          .findOne({ _id: ticket.conversationId }, { projection: { path: 1 } }),
      )?.path;
    const share = ticketShare({
      ticket,
      correction: corrections.get(ticketId) ?? null,
      verdicts: verdicts.get(ticketId) ?? [],
      path: Array.isArray(path) ? path : [],
    });
    tickets += 1;
    addShares(total, share.shares);
    if (share.failed) failed.push(share.failed);
    applied.push({ _id: `t:${ticketId}`, j: serialise(share) });
  }
  for await (const raw of db.collection(sources.surveys).find({}, { batchSize: batch })) {
    const survey = plain(raw) as Record<string, unknown>;
    const share = { shares: surveyShare(survey), failed: null };
    surveys += 1;
    addShares(total, share.shares);
    applied.push({ _id: `s:${String(raw._id)}`, j: serialise(share) });
  }
  for (const [name, rows] of total)
    await insertAll(
      db,
      name,
      [...rows].map(([id, { inc, set }]) => ({ _id: id, ...set, ...nested(inc) })),
      batch,
    );
  await insertAll(db, measureCollections.failed, failed, batch);
  await insertAll(db, measureCollections.applied, applied, batch);
  return { tickets, surveys };
}
