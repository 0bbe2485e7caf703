/** Every route of the API, from the routes files' tables: what the OpenAPI document describes. */
import type { RouteSpec } from '../routes/route';
import { auditTable } from '../routes/audit';
import { authTable } from '../routes/auth-table';
import { cannedResponsesTable } from '../routes/canned-responses';
import { conversationExportTable } from '../routes/conversation-export';
import { conversationsTable } from '../routes/conversations';
import { customersTable } from '../routes/customers';
import { retentionTable } from '../routes/retention';
import { diffTable } from '../routes/diff';
import { expectedWaitTable } from '../routes/expected-wait';
import { healthTable } from '../routes/health';
import { inboxTable } from '../routes/inbox';
import { journeysTable } from '../routes/journeys';
import { kbTable } from '../routes/kb';
import { metricsTable } from '../routes/metrics';
import { migrationsTable } from '../routes/migrations';
import { openapiTable } from '../routes/openapi';
import { overlayTable } from '../routes/overlay';
import { prometheusTable } from '../routes/prometheus';
import { routingTable } from '../routes/routing';
import { ticketsTable } from '../routes/tickets';
import { triageTable } from '../routes/triage';
import { typingTable } from '../routes/typing';
import { triageModelsTable } from '../routes/triage-models';
import { versionsTable } from '../routes/versions';

/** A route of the table with the name the document gives its operation (`<group>.<key>`). */
export interface NamedRoute extends RouteSpec {
  operationId: string;
}

const groups: Record<string, Record<string, RouteSpec>> = {
  health: healthTable,
  openapi: openapiTable,
  auth: authTable,
  audit: auditTable,
  journeys: journeysTable,
  versions: versionsTable,
  diff: diffTable,
  migrations: migrationsTable,
  overlay: overlayTable,
  conversationExport: conversationExportTable,
  conversations: conversationsTable,
  expectedWait: expectedWaitTable,
  customers: customersTable,
  retention: retentionTable,
  inbox: inboxTable,
  tickets: ticketsTable,
  typing: typingTable,
  kb: kbTable,
  cannedResponses: cannedResponsesTable,
  triage: triageTable,
  triageModels: triageModelsTable,
  metrics: metricsTable,
  prometheus: prometheusTable,
  routing: routingTable,
};

export const routeTable: readonly NamedRoute[] = Object.entries(groups).flatMap(([group, table]) =>
  Object.entries(table).map(([key, spec]) => ({ ...spec, operationId: `${group}.${key}` })),
);
