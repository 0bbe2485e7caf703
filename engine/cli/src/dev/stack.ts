import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  authOptionsFromEnv,
  authStoreOf,
  ensureFirstAdmin,
  issueApiKey,
  minimumSecretLength,
  randomToken,
} from '@baton/server/api/auth';
import type { Journey } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import { pinTriageModels, startApi, type RunningApi } from '@baton/server/api';
import {
  batonHome,
  connectOrStartTemporal,
  freePort,
  repoRoot,
  startMongoWire,
  type ManagedProcess,
  type MongoWireServer,
  type TemporalServerHandle,
} from '../services';
import { StoreConflictError, kbCollection, seedKnowledgeBase, type Store } from '@baton/store';
import { sha256 } from '@baton/store/auth';
import { seedSupportModel } from '../triage-publish';
import { startWorkerProcess } from './worker-process';

/** The built web app (`designer/dist`, made by scripts/bootstrap.sh), or its static files (`designer/public`) when it is not built. */
export function webAppDir(root: string = repoRoot()): string {
  const built = join(root, 'designer', 'dist');
  return existsSync(join(built, 'index.html')) ? built : join(root, 'designer', 'public');
}

export interface DevStackOptions {
  apiPort?: number;
  temporalPort?: number;
  temporalUiPort?: number;
  mongoPort?: number;
  db?: string;
  taskQueue?: string;
  /** Publish the example journeys when the database has none of them (a demo that works at once). */
  seedExamples?: boolean;
  log?: (line: string) => void;
  /** Receives one line per conversation started, with its Temporal UI link. */
  announce?: (line: string) => void;
}

export interface DevStack {
  apiUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  mongoUri: string;
  mongoKind: string;
  seeded: string[];
  /** The first admin, when this start created it (its password is printed once and kept in `passwordFile`). */
  firstAdmin?: { email: string; password: string; passwordFile: string };
  /** Where the CLI's API key is (`baton publish` and friends read it for a local server). */
  apiKeyFile: string;
  stop(): Promise<void>;
}

/** Writes a secret readable only by its owner. */
function writeSecret(file: string, value: string): void {
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** BATON_TOKEN_SECRET, else one generated once and kept in .baton/data/token-secret (conversation tokens survive restarts). */
function tokenSecret(data: string): string {
  const fromEnv = process.env.BATON_TOKEN_SECRET;
  if (fromEnv) return fromEnv;
  const file = join(data, 'token-secret');
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (kept.length >= minimumSecretLength) return kept;
  const secret = randomToken(48);
  writeSecret(file, secret);
  return secret;
}

/**
 * Staff access for a fresh install: a first admin when there is no user (password printed once,
 * kept in .baton/data/admin-password, mode 600), and an API key for the CLI (.baton/data/api-key).
 */
async function bootstrapAccess(
  store: Store,
  data: string,
): Promise<{ firstAdmin?: DevStack['firstAdmin']; apiKeyFile: string }> {
  const users = authStoreOf(store.collection('users').db);
  await users.ensureIndexes();
  const created = await ensureFirstAdmin(users);
  let firstAdmin: DevStack['firstAdmin'];
  if (created) {
    const passwordFile = join(data, 'admin-password');
    writeSecret(passwordFile, created.password);
    firstAdmin = { email: created.user.email, password: created.password, passwordFile };
  }
  const apiKeyFile = join(data, 'api-key');
  const keyWorks =
    existsSync(apiKeyFile) && (await users.useApiKey(sha256(readFileSync(apiKeyFile, 'utf8').trim()))) !== undefined;
  if (!keyWorks) {
    const admin = created?.user ?? (await users.listUsers()).find((user) => user.roles.includes('admin'));
    writeSecret(
      apiKeyFile,
      await issueApiKey(users, {
        name: 'baton CLI (baton dev)',
        roles: ['designer'],
        createdBy: admin?.userId ?? 'baton dev',
      }),
    );
  }
  return { ...(firstAdmin && { firstAdmin }), apiKeyFile };
}

async function portOr(preferred: number): Promise<number> {
  const free = await freePort();
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(free));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

export interface SeedExamplesOptions {
  /** Who the drafts and versions are by (and the support model, when this publishes it). */
  author: string;
  /** The versions' message (default "example journey"). */
  message?: string;
  /** Told why an example was not published (when not strict). */
  log?: (line: string) => void;
  /** An example that does not compile, or whose model cannot be pinned, throws instead of being skipped. */
  strict?: boolean;
  /** Publish a new version of every example, also of those that already have a draft (default: skip those). */
  republish?: boolean;
}

/**
 * Publishes the example journeys (examples/<name>/journey.json) that have no draft yet, as `baton dev`,
 * `npm run stack:prod` and the fault suite's stacks do: first the built-in triage model as `support`
 * when the store has none, then each example compiled against the store's activity catalog with its
 * model-backed classify nodes pinned to their model's version, as a publish through the API does.
 * Answers `name@version` of each model and journey it published.
 */
export async function seedExamples(store: Store, options: SeedExamplesOptions): Promise<string[]> {
  const { author, log, strict = false } = options;
  const examples = join(repoRoot(), 'examples');
  const catalog = await store.listActivities();
  const activities = new Map(catalog.map((manifest) => [manifest.name, manifest]));
  const seeded: string[] = [];
  const model = await seedSupportModel(store, author);
  if (model) seeded.push(model);
  for (const entry of readdirSync(examples, { withFileTypes: true })) {
    const file = join(examples, entry.name, 'journey.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const source = JSON.parse(readFileSync(file, 'utf8')) as Journey;
    if (!options.republish && (await store.getDraft(source.id))) continue;
    let result = compileJourney(source, { activities });
    if (result.ok) {
      // Model-backed classify nodes get their model's version, as a publish through the API does.
      const pinned = await pinTriageModels(store, source);
      if (pinned.diagnostics.length > 0) result = { ok: false, diagnostics: pinned.diagnostics };
      else if (pinned.journey !== source) result = compileJourney(pinned.journey, { activities });
    }
    if (!result.ok) {
      // Say why (e.g. BATON_ACTIVITY_MODULES without @baton/examples): a silent skip looks like a missing demo.
      const first = result.diagnostics.find((diagnostic) => diagnostic.severity === 'error') ?? result.diagnostics[0];
      const why = `it failed to compile${first ? ` (${first.nodeId ? `${first.nodeId}: ` : ''}${first.message})` : ''}`;
      if (strict) throw new Error(`example ${source.id} (examples/${entry.name}) cannot be published: ${why}`);
      log?.(`example ${source.id} not published: ${why}`);
      continue;
    }
    try {
      await store.createDraft(source, author);
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
    }
    const published = await store.publishVersion({
      journeyId: source.id,
      source,
      compiled: result.journey,
      author,
      message: options.message ?? 'example journey',
    });
    seeded.push(`${source.id}@${published.version}`);
  }
  return seeded;
}

/**
 * The whole stack on one machine: Temporal dev server (data in a file, so restarts keep
 * conversations), a Mongo-wire server, the worker as its own process, and the API (which also
 * serves the web app). TEMPORAL_ADDRESS / MONGODB_URI point it at existing services instead.
 */
export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const data = join(batonHome(), 'data');
  mkdirSync(data, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        log(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  try {
    const [temporal, mongo]: [TemporalServerHandle, MongoWireServer] = await Promise.all([
      connectOrStartTemporal({
        dbFile: join(data, 'temporal.sqlite'),
        port: await portOr(options.temporalPort ?? 7233),
        uiPort: await portOr(options.temporalUiPort ?? 8233),
      }),
      startMongoWire({ dataDir: join(data, 'mongo'), port: await portOr(options.mongoPort ?? 27017) }),
    ]);
    stops.push(
      () => temporal.stop(),
      () => mongo.stop(),
    );
    const db = options.db ?? process.env.BATON_DB ?? 'baton';
    const taskQueue = options.taskQueue ?? process.env.BATON_TASK_QUEUE ?? 'baton';

    const worker: ManagedProcess = await startWorkerProcess({
      temporalAddress: temporal.address,
      mongoUri: mongo.uri,
      db,
      taskQueue,
      namespace: temporal.namespace,
      log: (line) => log(line),
    });
    stops.push(() => worker.stop());

    const api: RunningApi = await startApi({
      temporalAddress: temporal.address,
      namespace: temporal.namespace,
      mongoUri: mongo.uri,
      db,
      taskQueue,
      host: '127.0.0.1',
      port: await portOr(options.apiPort ?? 4000),
      staticDir: webAppDir(),
      auth: { ...authOptionsFromEnv(process.env), tokenSecret: tokenSecret(data) },
      ...(options.announce && { announce: options.announce }),
      ...(temporal.uiUrl && { temporalUiUrl: temporal.uiUrl }),
    });
    stops.push(() => api.close());
    const seeded = options.seedExamples === false ? [] : await seedExamples(api.store, { author: 'baton dev', log });
    const access = await bootstrapAccess(api.store, data);
    if (access.firstAdmin) {
      const say = options.announce ?? log;
      say(
        `first admin created: sign in at ${api.url}/ as ${access.firstAdmin.email} with password ${access.firstAdmin.password}`,
      );
      say(
        `  (shown once; also in ${access.firstAdmin.passwordFile}, readable only by you; change it or add users as admin)`,
      );
    }
    // The demo knowledge base (for the inbox's AI assist), when kb_articles is empty.
    const articles =
      options.seedExamples === false
        ? 0
        : await seedKnowledgeBase(
            api.store.collection(kbCollection).db,
            join(repoRoot(), 'workers', 'ai', 'models', 'kb-articles.json'),
          );
    if (articles > 0) log(`knowledge base: ${articles} demo articles loaded`);
    return {
      apiUrl: api.url,
      temporalAddress: temporal.address,
      ...(temporal.uiUrl && { temporalUiUrl: temporal.uiUrl }),
      mongoUri: mongo.uri,
      mongoKind: mongo.kind,
      seeded,
      ...(access.firstAdmin && { firstAdmin: access.firstAdmin }),
      apiKeyFile: access.apiKeyFile,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
