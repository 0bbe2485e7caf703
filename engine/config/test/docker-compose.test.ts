/**
 * docker-compose.yml cannot run here (no Docker engine), so its shape is checked as data: only the API is
 * published on every interface, Temporal and MongoDB stay inside the compose network, the worker and the API
 * receive every Temporal connection variable the code reads, and the Temporal part is the one the
 * production-shaped stack proves (docs/deploy.md): server v1.29.1 on PostgreSQL with the committed
 * deploy/temporal config, schemas by temporal-sql-tool, a namespace with retention, Baton's search attributes,
 * and /api/ready as the API's health check. When `docker-compose` (or `docker compose`) is installed, the
 * file must also pass its `config` validation.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { temporalEnvironmentVariables } from '../src';

const root = join(__dirname, '..', '..', '..');
const DependsOn = z.record(z.string(), z.looseObject({ condition: z.string() }));
const Service = z.looseObject({
  image: z.string().optional(),
  ports: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  depends_on: DependsOn.optional(),
  command: z.union([z.string(), z.array(z.string())]).optional(),
  volumes: z.array(z.string()).optional(),
  healthcheck: z.looseObject({ test: z.array(z.string()) }).optional(),
});
const Compose = z.looseObject({ services: z.record(z.string(), Service) });
const compose = Compose.parse(parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')));
const service = (name: string) => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const script = (name: string) => [service(name).command ?? []].flat().join('\n');

/** "4000:4000" is every interface; "127.0.0.1:8233:8080" is the host's loopback only. */
const publishedBeyondLoopback = (port: string) => !/^(127\.0\.0\.1|\[::1\]|localhost):/.test(port);

test('only the API is published beyond the host', () => {
  const published = Object.entries(compose.services)
    .filter(([, s]) => (s.ports ?? []).some(publishedBeyondLoopback))
    .map(([name]) => name);
  expect(published).toEqual(['api']);
});

test('Temporal, its setup, PostgreSQL and MongoDB publish nothing; the Temporal UI only on the loopback', () => {
  for (const name of ['temporal', 'temporal-schema', 'temporal-setup', 'postgresql', 'mongodb'])
    expect(service(name).ports ?? []).toEqual([]);
  expect(service('temporal-ui').ports).toEqual(['127.0.0.1:8233:8080']);
});

test.each(['worker', 'api'])('the %s receives every Temporal connection variable', (name) => {
  const environment = service(name).environment ?? {};
  expect(
    Object.keys(environment)
      .filter((key) => key.startsWith('TEMPORAL_'))
      .sort(),
  ).toEqual([...temporalEnvironmentVariables].sort());
});

test('the Temporal server is v1.29.1 on PostgreSQL with the committed config, after its schemas', () => {
  const temporal = service('temporal');
  expect(temporal.image).toBe('temporalio/server:1.29.1');
  expect(temporal.volumes).toContain('./deploy/temporal:/etc/baton/temporal:ro');
  expect(script('temporal')).toContain('--config /etc/baton/temporal --env baton start');
  expect(temporal.environment?.BATON_PG_HOST).toBe('postgresql');
  expect(temporal.environment?.BATON_TEMPORAL_DYNAMIC_CONFIG).toBe('/etc/baton/temporal/dynamicconfig.yaml');
  expect(temporal.depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
  for (const file of ['baton.yaml', 'dynamicconfig.yaml'])
    expect(existsSync(join(root, 'deploy/temporal', file))).toBe(true);

  const schema = service('temporal-schema');
  expect(schema.image).toMatch(/^temporalio\/admin-tools:1\.29\.1-/);
  expect(schema.environment?.SQL_PLUGIN).toBe('postgres12');
  expect(script('temporal-schema')).toContain('update-schema -d "/etc/temporal/schema/postgresql/v12/$$dir/versioned"');
  expect(schema.depends_on?.postgresql?.condition).toBe('service_healthy');
  expect(service('postgresql').healthcheck?.test).toContain('pg_isready');
});

test("the namespace gets a retention and Baton's five search attributes before any Baton process starts", () => {
  const setup = script('temporal-setup');
  expect(setup).toContain('temporal operator namespace create -n "$$NAMESPACE" --retention "$$RETENTION"');
  expect(service('temporal-setup').environment?.RETENTION).toBe('${TEMPORAL_RETENTION:-168h}');
  for (const attribute of [
    'BatonJourneyId:Keyword',
    'BatonJourneyVersion:Int',
    'BatonCustomerId:Keyword',
    'BatonTicketId:Keyword',
    'BatonStatus:Keyword',
  ])
    expect(setup).toContain(attribute);
  for (const name of ['worker', 'api']) {
    expect(service(name).depends_on?.['temporal-setup']?.condition).toBe('service_completed_successfully');
    expect(service(name).environment?.TEMPORAL_NAMESPACE).toBe('${TEMPORAL_NAMESPACE:-baton}');
  }
});

test('the API is healthy on /api/ready, takes BATON_TRUST_PROXY and needs a shared token secret', () => {
  const api = service('api');
  expect(api.healthcheck?.test.join(' ')).toContain('/api/ready');
  expect(api.environment?.BATON_TRUST_PROXY).toBe('${BATON_TRUST_PROXY:-}');
  expect(String(api.environment?.BATON_TOKEN_SECRET)).toMatch(/^\$\{BATON_TOKEN_SECRET:\?/);
  expect(service('worker').environment?.BATON_STICKY_TIMEOUT_MS).toBe('${BATON_STICKY_TIMEOUT_MS:-3000}');
});

/** `docker-compose` (v1, Debian's package) or Docker's `compose` plugin, whichever answers. */
const composeCommand = (): string[] | undefined => {
  for (const command of [['docker-compose'], ['docker', 'compose']]) {
    const [binary = '', ...rest] = command;
    if (spawnSync(binary, [...rest, 'version'], { stdio: 'ignore' }).status === 0) return command;
  }
  return undefined;
};
const validator = composeCommand();
const withCompose = validator ? test : test.skip;
if (!validator)
  console.warn(
    'docker-compose.yml: `config` validation skipped: neither docker-compose nor docker compose is installed',
  );

withCompose('`compose config` accepts the file', () => {
  const [binary = '', ...rest] = validator ?? [];
  const result = spawnSync(binary, [...rest, '-f', join(root, 'docker-compose.yml'), 'config', '--quiet'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, BATON_TOKEN_SECRET: 'x'.repeat(48) },
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});

test("the image's installs see every workspace (a missing manifest leaves that package unlinked in the image)", () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const manifests = dockerfile.slice(0, dockerfile.indexOf('RUN npm ci'));
  const workspaces = z
    .object({ workspaces: z.array(z.string()) })
    .parse(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))).workspaces;
  const missing = workspaces.filter((dir) => !manifests.includes(`COPY ${dir}/package.json ${dir}/`));
  expect(missing).toEqual([]);
  expect(manifests).toContain('COPY .npmrc ./');
});
