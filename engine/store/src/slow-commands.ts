/** Reports of slow store commands: their shape (command, collection, filter fields), never their values. */
import type { MongoClient } from 'mongodb';

/** A store command that took at least the threshold: its shape, never its values (they hold personal data). */
export interface SlowStoreCommand {
  command: string;
  collection?: string;
  /** The filter's field names and operators, e.g. `{ _id, status: { $ne } }`. */
  filter?: string;
  durationMs: number;
}

/** `{ _id: "a", at: { $gte: 3 } }` → `{ _id, at: { $gte } }`: what an index or a pushdown sees. */
export function filterShape(filter: unknown): string {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) return '';
  const parts = Object.entries(filter as Record<string, unknown>).map(([key, value]) => {
    const isOperatorDoc =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(value).some((k) => k.startsWith('$'));
    return isOperatorDoc ? `${key}: { ${Object.keys(value as object).join(', ')} }` : key;
  });
  return `{ ${parts.join(', ')} }`;
}

/** BATON_SLOW_STORE_MS: report store commands at least this slow (unset: none). */
export function slowStoreMsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env.BATON_SLOW_STORE_MS;
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`BATON_SLOW_STORE_MS must be a number of milliseconds, not "${text}"`);
  return value;
}

const filteredCommands: Record<string, string> = {
  find: 'filter',
  count: 'query',
  delete: 'deletes',
  update: 'updates',
  findAndModify: 'query',
  aggregate: 'pipeline',
};

export function watchSlowCommands(
  client: MongoClient,
  thresholdMs: number,
  report: (command: SlowStoreCommand) => void,
): void {
  const started = new Map<number, Omit<SlowStoreCommand, 'durationMs'>>();
  client.on('commandStarted', (event) => {
    const collection = event.command[event.commandName];
    const field = filteredCommands[event.commandName];
    let filter: unknown = field === undefined ? undefined : event.command[field];
    // update and delete carry a list of statements, each with its filter in `q`.
    if (Array.isArray(filter))
      filter =
        (filter[0] as { q?: unknown; $match?: unknown } | undefined)?.q ??
        (filter[0] as { $match?: unknown } | undefined)?.$match;
    started.set(event.requestId, {
      command: event.commandName,
      ...(typeof collection === 'string' && { collection }),
      ...(filter !== undefined && { filter: filterShape(filter) }),
    });
  });
  const finished = (event: { requestId: number; duration: number }) => {
    const command = started.get(event.requestId);
    started.delete(event.requestId);
    if (command && event.duration >= thresholdMs) report({ ...command, durationMs: Math.round(event.duration) });
  };
  client.on('commandSucceeded', finished);
  client.on('commandFailed', finished);
}
