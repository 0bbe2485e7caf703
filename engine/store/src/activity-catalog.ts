/** The activity catalog (`activities`): what workers announce, so that the API can show the palette. */
import type { Collection, Db, Document } from 'mongodb';
import type { ActivityManifest } from '@baton/schemas';
import { decodeValue } from './codec';
import { collections } from './collections';
import { stored } from './documents';

export type RegisteredActivity = ActivityManifest & { registeredAt: Date };

/** The activities workers registered. */
export interface ActivityCatalog {
  /**
   * What a worker registers, so that the API (another process) can show the palette: upserts each
   * manifest by name with the time it was last announced.
   */
  registerActivities(manifests: readonly ActivityManifest[]): Promise<void>;
  /** The registered activities, by name. */
  listActivities(): Promise<RegisteredActivity[]>;
}

interface ActivityDoc extends Document {
  _id: string;
  manifest: Document;
  registeredAt: Date;
}

export class MongoActivityCatalog implements ActivityCatalog {
  private readonly activities: Collection<ActivityDoc>;

  constructor(db: Db) {
    this.activities = db.collection<ActivityDoc>(collections.activities);
  }

  async registerActivities(manifests: readonly ActivityManifest[]): Promise<void> {
    const now = new Date();
    for (const manifest of manifests) {
      await this.activities.replaceOne(
        { _id: manifest.name },
        { manifest: stored(manifest), registeredAt: now },
        { upsert: true },
      );
    }
  }

  async listActivities(): Promise<RegisteredActivity[]> {
    const docs = await this.activities.find({}).sort({ _id: 1 }).toArray();
    return docs.map((doc) => ({ ...(decodeValue(doc.manifest) as ActivityManifest), registeredAt: doc.registeredAt }));
  }
}
