/** Which server is behind the MongoDB wire protocol, and what that changes in how the store writes. */
import type { Document, MongoClient } from 'mongodb';

/** What Baton needs to know of the server behind the wire protocol. */
export interface WireServer {
  /** "MongoDB 7.0.12", "FerretDB v1.24.0 (MongoDB 7.0.42 wire)": said in the logs and /api/ready. */
  readonly description: string;
  /**
   * Whether a filter of `_id` plus other fields is served from the `_id` index. MongoDB: yes.
   * FerretDB 1.x on SQLite pushes down only a filter that is exactly `{ _id: <string or ObjectId> }`
   * and otherwise decodes the whole collection.
   */
  readonly compoundFiltersUseIndexes: boolean;
}

export const mongoServer: WireServer = { description: 'MongoDB', compoundFiltersUseIndexes: true };

/** Asks the server who it is (buildInfo): FerretDB says so in `ferretdbVersion`. */
export async function wireServerOf(client: MongoClient): Promise<WireServer> {
  let info: Document;
  try {
    info = await client.db('admin').command({ buildInfo: 1 });
  } catch {
    // A server that does not say (a restricted proxy): MongoDB's behaviour, the guarded writes.
    return { description: 'a MongoDB-wire server that did not answer buildInfo', compoundFiltersUseIndexes: true };
  }
  const version = typeof info.version === 'string' ? info.version : 'unknown';
  if (typeof info.ferretdbVersion === 'string') {
    // A FerretDB embedded in another program (scripts/bootstrap.sh builds one) reports "unknown".
    const ferret = info.ferretdbVersion === 'unknown' ? 'FerretDB' : `FerretDB ${info.ferretdbVersion}`;
    return { description: `${ferret} (MongoDB ${version} wire)`, compoundFiltersUseIndexes: false };
  }
  return { description: `MongoDB ${version}`, compoundFiltersUseIndexes: true };
}
