/**
 * Baton's custom Temporal search attributes: set on each conversation's workflow when it starts, so
 * staff can list a journey's (or a customer's) conversations in the Temporal UI with a visibility
 * query such as `BatonJourneyId="refunds"`; the workflow keeps BatonTicketId and BatonStatus as its
 * ticket moves (engine/workflow/src/ticket-search-attributes.ts). A server that lacks them still runs
 * every conversation: `searchAttributesAvailable` answers which to send, and they are left out (with
 * one warning) when not.
 */
import { Connection, type Client, type ConnectionLike, type WorkflowOptions } from '@temporalio/client';
import type { CompiledJourney, Customer } from '@baton/schemas';

type SearchAttributePairs = Extract<NonNullable<WorkflowOptions['typedSearchAttributes']>, unknown[]>;

// What defineSearchAttributeKey (@temporalio/common) makes; spelled out so the server needs only the client.
export const batonJourneyId = { name: 'BatonJourneyId', type: 'KEYWORD' } as const;
export const batonJourneyVersion = { name: 'BatonJourneyVersion', type: 'INT' } as const;
export const batonCustomerId = { name: 'BatonCustomerId', type: 'KEYWORD' } as const;
export const batonStatus = { name: 'BatonStatus', type: 'KEYWORD' } as const;

/** Name → type, as `temporal server start-dev --search-attribute Name=Type` and the docs spell them. */
export const batonSearchAttributes = {
  BatonJourneyId: 'Keyword',
  BatonJourneyVersion: 'Int',
  BatonCustomerId: 'Keyword',
  BatonTicketId: 'Keyword',
  BatonStatus: 'Keyword',
} as const;

/** The two the workflow sets as its ticket moves: a namespace without them still gets the first three. */
const ticketAttributes: readonly string[] = ['BatonTicketId', 'BatonStatus'];

/**
 * Which of Baton's attributes a start carries: all (`ticket`: BatonStatus "bot" at start, which tells the
 * workflow it may set the ticket's two), the journey's and customer's only (`conversation`), or `none`.
 */
export type SearchAttributeSupport = 'ticket' | 'conversation' | 'none';

/** temporal.api.enums.v1.IndexedValueType: INDEXED_VALUE_TYPE_KEYWORD = 2, INDEXED_VALUE_TYPE_INT = 3. */
const indexedType = { Keyword: 2, Int: 3 } as const;

/** `--search-attribute Name=Type` arguments for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  return Object.entries(batonSearchAttributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

/** The attributes a started conversation carries (with `ticket`, BatonStatus "bot" too). */
export function conversationSearchAttributes(
  input: { journey: Pick<CompiledJourney, 'id' | 'version'>; customer: Pick<Customer, 'id'> },
  support: Exclude<SearchAttributeSupport, 'none'> = 'ticket',
): SearchAttributePairs {
  return [
    { key: batonJourneyId, value: input.journey.id },
    { key: batonJourneyVersion, value: input.journey.version },
    { key: batonCustomerId, value: input.customer.id },
    ...(support === 'ticket' ? [{ key: batonStatus, value: 'bot' }] : []),
  ];
}

/** The server refused a start for its search attributes (one not defined in the namespace, a wrong type). */
export function refusesSearchAttributes(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) if (/search attribute/i.test(e.message)) return true;
  return false;
}

/** Which of Baton's attributes the namespace lacks (all of them when the server cannot be asked). */
export async function missingSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService'>,
  namespace: string,
): Promise<string[]> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const known = { ...listed.customAttributes, ...listed.systemAttributes };
  return Object.entries(batonSearchAttributes)
    .filter(([name, type]) => known[name] !== indexedType[type])
    .map(([name]) => name);
}

/**
 * Registers the attributes the namespace lacks (a dev server reusing a database made before they
 * existed, the production stack's PostgreSQL visibility). Answers the names it added.
 */
export async function ensureSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService'>,
  namespace: string,
): Promise<string[]> {
  const missing = await missingSearchAttributes(connection, namespace);
  if (missing.length === 0) return [];
  const searchAttributes = Object.fromEntries(
    missing.map((name) => [name, indexedType[batonSearchAttributes[name as keyof typeof batonSearchAttributes]]]),
  );
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  return missing;
}

/** ensureSearchAttributes on the server at `address` (plain gRPC, no TLS: the dev and production stacks). */
export async function ensureSearchAttributesAt(address: string, namespace: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    return await ensureSearchAttributes(connection, namespace);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * Which attributes conversations started through `client` may carry: `ticket` when the namespace has
 * them all, `conversation` (with a warning) when it lacks only the ticket's two, `none` (with a warning)
 * when it lacks one of the others, undefined (with a warning) when the server could not be asked. Never throws.
 */
export async function searchAttributesAvailable(
  client: Client,
  warn: (message: string) => void,
): Promise<SearchAttributeSupport | undefined> {
  try {
    const missing = await missingSearchAttributes(client.connection, client.options.namespace);
    if (missing.length === 0) return 'ticket';
    const lacks = `Temporal namespace "${client.options.namespace}" lacks the search attributes ${missing.join(', ')}`;
    const register = '(docs/deploy.md#temporal-search-attributes registers them)';
    if (missing.every((name) => ticketAttributes.includes(name))) {
      warn(`${lacks}; tickets are not listed by them ${register}`);
      return 'conversation';
    }
    warn(`${lacks}; conversations start without them ${register}`);
    return 'none';
  } catch (error) {
    warn(
      `could not list the Temporal search attributes (${error instanceof Error ? error.message : String(error)}); ` +
        'conversations start without Baton’s search attributes for now',
    );
    return undefined;
  }
}
