import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { Store } from '@baton/store';
import { requestIdOf } from './middleware/logger';
import { identityOf } from './access';

export const auditCollection = 'audit';

export type AuditAction =
  | 'publish'
  | 'journey.archive'
  | 'journey.restore'
  | 'alias.set'
  | 'alias.rollback'
  | 'migration.apply'
  | 'user.create'
  | 'user.update'
  | 'apiKey.create'
  | 'apiKey.delete'
  | 'ticket.takeover'
  | 'triageModel.publish'
  | 'conversations.export'
  | 'customer.erase'
  | 'retention.update';

export interface AuditEntry {
  action: AuditAction;
  /** The journey changed; absent for changes of users and API keys. */
  journeyId?: string;
  /** The user, API key or ticket changed (user.*, apiKey.* and ticket.* actions). */
  subject?: string;
  version?: number;
  versions?: number[];
  alias?: string;
  /** Who the request says did it (e.g. a publish's `author`). */
  actor?: string;
  /** Who was signed in, as the API verified it: the user's email, `apiKey:<id> (<name>)`; absent when access control is off. */
  by?: string;
  /** What happened, e.g. whether a publish created a version. */
  details?: Record<string, string | number | boolean | null>;
  at: string;
  requestId?: string;
}

interface AuditDoc extends AuditEntry {
  _id: string;
}

export interface Audit {
  /** Records one change; never fails the request (the change already happened): a failure is logged. */
  record(res: Response, entry: Omit<AuditEntry, 'at' | 'requestId'>): Promise<void>;
  list(limit: number): Promise<AuditEntry[]>;
}

export function createAudit(store: Store, log: (message: string, error?: unknown) => void = () => undefined): Audit {
  const collection = () => store.collection<AuditDoc>(auditCollection);
  return {
    async record(res, entry) {
      const requestId = requestIdOf(res);
      const identity = identityOf(res);
      // `actor` comes from the request body; `by` is the verified caller, which a body cannot claim.
      const by =
        identity?.kind === 'user'
          ? identity.via === 'apiKey'
            ? `${identity.userId} (${identity.name})`
            : identity.email
          : undefined;
      const doc: AuditDoc = {
        _id: randomUUID(),
        ...stripUndefined(entry),
        at: new Date().toISOString(),
        ...(requestId && { requestId }),
        ...(by && { by }),
      };
      try {
        await collection().insertOne(doc);
      } catch (error) {
        log(`could not write the audit entry for ${entry.action} on ${entry.journeyId ?? entry.subject ?? '?'}`, error);
      }
    },
    async list(limit) {
      const docs = await collection().find({}).sort({ at: -1 }).limit(limit).toArray();
      return docs.map(({ _id: _ignored, ...entry }) => entry);
    },
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
