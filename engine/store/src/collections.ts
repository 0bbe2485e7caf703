/**
 * The names of Baton's own collections. Fixed: other tools (exports, metrics, the inbox) read them
 * too, and custom activities are refused them (see `reservedCollectionProblem`).
 */
import { authCollections } from './auth';
import { typingCollection } from './typing';
import { cannedResponsesCollection } from './canned-responses';
import { inboxCollections } from './inbox';
import { kbCollection } from './kb';
import { keyedInboxPrefix, readModelCollections } from './read-model-shapes';
import { routingCollections } from './routing';
import { triageModelCollections } from './triage-models';

/** The collections of the records in this package's core stores (journeys, conversations, tickets …). */
export const collections = {
  journeys: 'journeys',
  versions: 'journey_versions',
  conversations: 'conversations',
  tickets: 'tickets',
  surveys: 'surveys',
  outbox: 'outbox',
  activities: 'activities',
  aliases: 'aliases',
  aliasHistory: 'alias_history',
  ticketClaims: 'ticket_claims',
} as const;

/** The retention setting (retention.ts): one document, written by admins, read by each retention run. */
export const retentionSettingsCollection = 'retention_settings';

/**
 * Every collection Baton itself writes, whichever module owns it: the core stores above, auth
 * (users, sessions, API keys), knowledge base, routing, inbox, the read models, retention, and the
 * API's audit log and migrations. Custom activities keep their own data elsewhere.
 */
export const batonCollectionNames: ReadonlySet<string> = new Set([
  ...Object.values(collections),
  ...Object.values(authCollections),
  kbCollection,
  ...Object.values(routingCollections),
  ...Object.values(inboxCollections),
  ...Object.values(triageModelCollections),
  cannedResponsesCollection,
  typingCollection,
  ...Object.values(readModelCollections),
  retentionSettingsCollection,
  // The API's own (engine/server): its audit log and the record of migrations run.
  'audit',
  'migrations',
]);

/** Why a custom activity may not use this collection, or undefined when it may. */
export function reservedCollectionProblem(name: string): string | undefined {
  if (batonCollectionNames.has(name))
    return `collection "${name}" belongs to Baton; a custom activity keeps its own data in collections of its own`;
  if (name.startsWith(keyedInboxPrefix))
    return `collection "${name}" belongs to Baton (the inbox's items per status, queue and assignee)`;
  if (name.startsWith('system.')) return `collection "${name}" is a system collection of the database`;
  return undefined;
}
