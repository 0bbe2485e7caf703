/**
 * Who reads which view of a conversation: its customer the customer view (core's `customerView`:
 * the transcript as they saw it, status, what it waits for, the `customerVisible` variables); staff
 * the whole view with the secrets of its activities' outputs hidden ("[secret]").
 */
import { customerView, customerVisibleVariables, withoutSecrets } from '@baton/core/interpreter';

import { secretVariablePaths, type ActivityManifest, type CustomerView, type SecretPath } from '@baton/schemas';
import type { Store } from '@baton/store';
import type { ConversationView } from '../client';
import { hasRole, type Identity } from './access';

/** How long the activity catalog is trusted before it is read again (workers register at start). */
const catalogTtlMs = 5_000;

interface Disclosure {
  secrets: SecretPath[];
  visibleVariables: string[];
}

export class ConversationAudience {
  /** A published version never changes: what it discloses is kept per `journey@version`. */
  private readonly byVersion = new Map<string, Promise<Disclosure>>();
  private catalog: { at: number; manifests: Promise<ReadonlyMap<string, ActivityManifest>> } | undefined;

  constructor(
    private readonly store: Pick<Store, 'getVersion'>,
    private readonly listActivities: () => Promise<ActivityManifest[]> | ActivityManifest[],
  ) {}

  private manifests(): Promise<ReadonlyMap<string, ActivityManifest>> {
    const now = Date.now();
    if (!this.catalog || now - this.catalog.at > catalogTtlMs) {
      const manifests = Promise.resolve(this.listActivities()).then(
        (list) => new Map(list.map((manifest) => [manifest.name, manifest])),
      );
      this.catalog = { at: now, manifests };
      manifests.catch(() => {
        if (this.catalog?.manifests === manifests) this.catalog = undefined;
      });
    }
    return this.catalog.manifests;
  }

  private async disclosure(journey: ConversationView['journey']): Promise<Disclosure> {
    const key = `${journey.id}@${journey.version}`;
    let known = this.byVersion.get(key);
    if (!known) {
      known = (async () => {
        const version = await this.store.getVersion(journey.id, journey.version);
        if (!version) return { secrets: [], visibleVariables: [] };
        return {
          secrets: secretVariablePaths(version.compiled, await this.manifests()),
          visibleVariables: customerVisibleVariables(version.compiled),
        };
      })();
      this.byVersion.set(key, known);
      // A failed read is tried again next time; and a catalog that later learns of a secret is heard after its TTL.
      known.catch(() => this.byVersion.delete(key));
      setTimeout(() => this.byVersion.delete(key), catalogTtlMs).unref();
    }
    return known;
  }

  /** The whole conversation, its secrets hidden: what staff read. */
  async staffView(view: ConversationView): Promise<ConversationView> {
    const { secrets } = await this.disclosure(view.journey);
    return withoutSecrets(view, secrets);
  }

  /** What the conversation's customer reads. */
  async customerView(view: ConversationView): Promise<CustomerView> {
    const { secrets, visibleVariables } = await this.disclosure(view.journey);
    return customerView(view, { secrets, visibleVariables });
  }
}

/** True for a signed-in person or API key with a staff role: they read the whole conversation (secrets hidden). */
export function readsStaffView(identity: Identity | undefined): boolean {
  return hasRole(identity, 'agent') || hasRole(identity, 'designer');
}

/** True when the caller is the conversation's customer (their token), who reads the customer view. */
export function readsCustomerView(identity: Identity | undefined): boolean {
  return identity?.kind === 'customer';
}
