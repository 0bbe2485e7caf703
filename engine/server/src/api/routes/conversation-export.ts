/**
 * The conversations export: every stored conversation that started in a time range (of one journey
 * when asked), as JSON lines, for analytics and training data. Admins only; each line is what staff
 * read of the conversation (its activities' secret outputs "[secret]"), from the read model, streamed
 * with backpressure so memory stays bounded whatever the range. The audit log records who exported
 * which range and how many lines, never the data.
 */
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { Id } from '@baton/schemas';
import { exportConversations, type ConversationRecord, type Store } from '@baton/store';
import type { Audit } from '../audit';
import { ConversationAudience } from '../conversation-audience';
import { parseOrThrow } from '../problem';
import { register, route } from './route';
import type { Log } from './shared';

/** The widest range one export may ask for: a year and a day (a longer one is several exports). */
export const maxExportDays = 366;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * An ISO 8601 date (midnight UTC) or date-time with its offset (`Z`, `+02:00`), on a calendar day that
 * exists (`Date.parse` rolls 2026-02-30 over to March); NaN otherwise.
 */
export function isoInstant(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(text);
  if (!match) return NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return NaN;
  return Date.parse(text);
}

const instant = (field: string) =>
  z
    .string()
    .refine(
      (text) => Number.isFinite(isoInstant(text)),
      `${field} must be a real ISO 8601 date or a date-time with its offset (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`,
    );

export const ExportQuery = z
  .object({
    from: instant('from'),
    to: instant('to'),
    journeyId: Id.optional(),
  })
  .strict()
  .superRefine((query, ctx) => {
    const from = isoInstant(query.from);
    const to = isoInstant(query.to);
    if (!(from < to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    else if (to - from > maxExportDays * dayMs)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the range may span at most ${maxExportDays} days; export a longer period in parts`,
      });
  });

export const conversationExportTable = {
  export: route({
    method: 'get',
    path: '/api/conversations/export',
    audience: ['admin'],
    tag: 'conversations',
    summary:
      'JSON lines, one per stored conversation started in [from, to) (of journeyId when given), as staff read it (secrets hidden); streamed',
    query: ExportQuery,
    produces: 'application/x-ndjson',
  }),
};

export interface ConversationExportOptions {
  store: Store;
  audit: Audit;
  log: Log;
  /** What staff see of a conversation (made from the store when not given). */
  audience?: ConversationAudience;
  /** Conversations read from the store per page. */
  pageSize?: number;
}

/** One line of the export: the read model's record as staff read it, its times also in ISO 8601. */
export async function exportLine(audience: ConversationAudience, record: ConversationRecord) {
  const staff = await audience.staffView(record);
  return {
    ...record,
    ...staff,
    startedAtIso: new Date(record.startedAt).toISOString(),
    endedAtIso: record.endedAt === null ? null : new Date(record.endedAt).toISOString(),
  };
}

/** Writes, waiting for the client to drain when its buffer is full; false when the client went away. */
function write(res: Response, text: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (res.write(text)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

export function conversationExportRoutes(options: ConversationExportOptions): Router {
  const { store, audit, log } = options;
  const audience = options.audience ?? new ConversationAudience(store, () => store.listActivities());
  const router = express.Router();
  register(router, conversationExportTable.export, async (req, res) => {
    const query = parseOrThrow(conversationExportTable.export.query, req.query, 'query');
    const from = isoInstant(query.from);
    const to = isoInstant(query.to);
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    res.status(200).type('application/x-ndjson');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    res.flushHeaders();
    let lines = 0;
    let complete = false;
    try {
      for await (const record of exportConversations(store, {
        from,
        to,
        ...(query.journeyId !== undefined && { journeyId: query.journeyId }),
        ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
        signal: aborted.signal,
      })) {
        if (!(await write(res, `${JSON.stringify(await exportLine(audience, record))}\n`))) break;
        lines += 1;
      }
      complete = !aborted.signal.aborted;
      res.end();
    } catch (error) {
      // The answer has begun: a failure cuts the stream, so the client never takes a part for the whole.
      log(`conversation export ${query.from}..${query.to} failed after ${lines} lines`, error);
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      await audit.record(res, {
        action: 'conversations.export',
        ...(query.journeyId !== undefined && { journeyId: query.journeyId }),
        details: {
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          lines,
          complete,
        },
      });
    }
  });
  return router;
}
