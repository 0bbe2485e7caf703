/**
 * `baton triage publish MODEL --name N [--api URL]`: sends a model file from `baton triage train` to
 * a running API (`POST /api/triage-models/:name`, the designer role), which stores it as `N@version`;
 * prints `N@version`. The file is checked here first, so a corrupt or oversized file never travels.
 * `baton triage models` lists what is published.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Store } from '@baton/store';
import { apiBase, apiRequest, problemText, type HttpAnswer } from './http';
import { CliError, displayPath, type Io } from './io';

type Run = (action: () => number | Promise<number>) => () => Promise<void>;

const modelName = /^[a-z][a-z0-9_-]{0,63}$/;

/** Model files are large: a slow link gets two minutes. */
const send = (method: string, url: string, bytes?: Uint8Array): Promise<HttpAnswer> =>
  apiRequest(method, url, undefined, { ...(bytes && { bytes }), timeoutMs: 120_000 });

export async function runTriagePublish(file: string, options: { name: string; api?: string }, io: Io): Promise<number> {
  if (!modelName.test(options.name))
    throw new CliError(
      `--name "${options.name}": a model name is lowercase letters, digits, "_" or "-", starting with a letter`,
      2,
    );
  const shown = displayPath(file, io.cwd);
  const path = resolve(io.cwd, file);
  // Loaded on first use: only this command needs the model code.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const artefacts = require('@baton/ai/triage-artefact') as typeof import('@baton/ai/triage-artefact');
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new CliError(`${shown}: cannot read: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  if (size > artefacts.maxTriageModelBytes)
    throw new CliError(
      `${shown}: ${size} bytes; a triage model file is at most ${artefacts.maxTriageModelBytes} bytes (20 MB)`,
      1,
    );
  const bytes = new Uint8Array(readFileSync(path));
  let labels: number;
  try {
    labels = artefacts.parseTriageArtefact(bytes).labels.length;
  } catch (error) {
    throw new CliError(`${shown}: ${error instanceof Error ? error.message : String(error)}; nothing was published`, 1);
  }
  const url = `${apiBase(options.api, io)}/api/triage-models/${encodeURIComponent(options.name)}`;
  const answer = await send('POST', url, bytes);
  if (answer.status < 200 || answer.status >= 300)
    throw new CliError(`publishing ${shown} as ${options.name} failed: ${problemText(answer)}`, 1);
  const body = answer.body as { ref?: unknown; created?: unknown };
  if (typeof body?.ref !== 'string')
    throw new CliError(`the API did not say which version: ${JSON.stringify(answer.body).slice(0, 300)}`, 1);
  io.out(body.ref);
  io.err(
    body.created === false
      ? `the same file is already published as ${body.ref}; nothing new was stored`
      : `published ${shown} (${labels} intents) as ${body.ref}`,
  );
  return 0;
}

export async function runTriageModels(options: { api?: string }, io: Io): Promise<number> {
  const answer = await send('GET', `${apiBase(options.api, io)}/api/triage-models`);
  if (answer.status !== 200) throw new CliError(`listing the triage models failed: ${problemText(answer)}`, 1);
  const models = (answer.body as { models?: unknown }).models;
  if (!Array.isArray(models)) throw new CliError('the API answered no list of models', 1);
  for (const model of models as {
    name: string;
    versions: { version: number; labels: number; publishedAt: string }[];
  }[])
    for (const version of model.versions)
      io.out(`${model.name}@${version.version}\t${version.labels} intents\t${version.publishedAt}`);
  return 0;
}

export function registerTriagePublish(triage: Command, run: Run, io: Io): void {
  triage
    .command('publish')
    .description('publish a model file from `baton triage train` to a running API as NAME@version (prints it)')
    .argument('<model>', 'the model file')
    .requiredOption('--name <name>', 'the name classify nodes use (lowercase, e.g. banking)')
    .option('--api <url>', 'API base URL (default $BATON_API_URL or http://127.0.0.1:4000)')
    .action((model: string, options: { name: string; api?: string }) =>
      run(() => runTriagePublish(model, options, io))(),
    );
  triage
    .command('models')
    .description('list the triage models published to a running API: NAME@version, intents, when')
    .option('--api <url>', 'API base URL (default $BATON_API_URL or http://127.0.0.1:4000)')
    .action((options: { api?: string }) => run(() => runTriageModels(options, io))());
}

/**
 * `baton dev` (and every stack that publishes the examples): the built-in model published as `support`
 * (what examples/support-triage classifies with), once; a store that already has a `support` model keeps it.
 */
export async function seedSupportModel(store: Store, publishedBy = 'baton dev'): Promise<string | undefined> {
  if ((await store.triageModels.latestVersion('support')) !== null) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const artefacts = require('@baton/ai/triage-artefact') as typeof import('@baton/ai/triage-artefact');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultModelPath } = require('@baton/ai/triage') as typeof import('@baton/ai/triage');
  const file = new Uint8Array(readFileSync(defaultModelPath));
  const artefact = artefacts.parseTriageArtefact(file);
  const published = await store.triageModels.publish({
    name: 'support',
    file,
    hash: artefact.hash,
    labels: artefact.labels,
    formatVersion: artefact.formatVersion,
    metadata: artefact.metadata,
    publishedBy,
  });
  return `support@${published.version}`;
}
