/**
 * The Helm chart deploy/helm/baton (Baton's worker and API against an existing Temporal and MongoDB), checked
 * offline. Always: values.yaml and the templates' static YAML (template actions replaced by a placeholder)
 * parse, and carry the probes, the PodDisruptionBudgets, the optional Ingress and no Temporal service. When a
 * helm binary is present (`helm` on PATH, or ~/.cache/baton/helm/helm as scripts/helm.sh builds it), also
 * `helm lint` and `helm template`, and the rendered manifests are checked.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { z } from 'zod';

const chart = join(__dirname, '..', '..', '..', 'deploy', 'helm', 'baton');
const Probe = z.looseObject({
  httpGet: z.looseObject({ path: z.string(), port: z.union([z.string(), z.number()]) }).optional(),
  tcpSocket: z.looseObject({ port: z.union([z.string(), z.number()]) }).optional(),
});
const Values = z.looseObject({
  temporal: z.looseObject({ address: z.string(), namespace: z.string() }),
  api: z.looseObject({
    replicas: z.number().int().min(2),
    trustProxy: z.string(),
    readinessProbe: Probe,
    livenessProbe: Probe,
    pdb: z.looseObject({ enabled: z.boolean() }),
    resources: z.looseObject({ requests: z.looseObject({ memory: z.string() }) }),
  }),
  worker: z.looseObject({
    replicas: z.number().int().min(2),
    livenessProbe: Probe,
    pdb: z.looseObject({ enabled: z.boolean() }),
  }),
  ingress: z.looseObject({ enabled: z.boolean() }),
});
const values = Values.parse(parse(readFileSync(join(chart, 'values.yaml'), 'utf8')));

const Manifest = z.looseObject({ kind: z.string(), metadata: z.looseObject({ name: z.string() }) });
type Manifest = z.infer<typeof Manifest>;
const manifests = (text: string): Manifest[] =>
  parseAllDocuments(text)
    .map((document) => document.toJSON() as unknown)
    .filter((document) => document !== null)
    .map((document) => Manifest.parse(document));

/** A template with every line that is only an action dropped and every inline action replaced. */
const staticPart = (text: string) =>
  text
    .split('\n')
    .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
    .map((line) => line.replace(/\{\{.*?\}\}/g, 'tpl'))
    .join('\n');
const templates = readdirSync(join(chart, 'templates')).filter((file) => file.endsWith('.yaml'));
const staticManifests = templates.flatMap((file) =>
  manifests(staticPart(readFileSync(join(chart, 'templates', file), 'utf8'))),
);

test('values.yaml probes the API on /api/ready and /api/health and keeps two of each process', () => {
  expect(values.api.readinessProbe.httpGet?.path).toBe('/api/ready');
  expect(values.api.livenessProbe.httpGet?.path).toBe('/api/health');
  expect(values.worker.livenessProbe.tcpSocket?.port).toBe('metrics');
  expect(values.api.pdb.enabled && values.worker.pdb.enabled).toBe(true);
  expect(values.ingress.enabled).toBe(false);
  expect(values.api.trustProxy).toBe('');
});

test("the templates' static parts are the API and worker Deployments, a Service, PDBs, an Ingress and Secrets", () => {
  expect(staticManifests.map((m) => m.kind).sort()).toEqual([
    'Deployment',
    'Deployment',
    'Ingress',
    'PodDisruptionBudget',
    'Secret',
    'Secret',
    'Service',
  ]);
  const text = templates.map((file) => readFileSync(join(chart, 'templates', file), 'utf8')).join('\n');
  expect(text).not.toMatch(/7233|temporal-frontend/);
  expect(text).toContain('toYaml .Values.api.readinessProbe');
  expect(text).toContain('toYaml .Values.api.livenessProbe');
});

const helm = [join(process.env.BATON_HELM_HOME || join(homedir(), '.cache', 'baton', 'helm'), 'helm'), 'helm'].find(
  (binary) => spawnSync(binary, ['version', '--short'], { stdio: 'ignore' }).status === 0,
);
const withHelm = helm ? describe : describe.skip;
if (!helm)
  console.warn(
    `deploy/helm/baton: helm lint and helm template skipped: no helm binary (PATH or ${join('~', '.cache', 'baton', 'helm', 'helm')}, bash scripts/helm.sh builds it)`,
  );

const required = [
  '--set',
  'secrets.tokenSecret=0123456789abcdef0123456789abcdef',
  '--set',
  'mongodb.uri=mongodb://m:27017',
];
const runHelm = (args: string[]) => spawnSync(helm ?? 'helm', args, { encoding: 'utf8' });

withHelm('with helm', () => {
  test('helm lint passes', () => {
    const result = runHelm(['lint', chart, ...required]);
    expect(result.stdout + result.stderr).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });

  test('helm template refuses to render without the token secret and the MongoDB URI', () => {
    const result = runHelm(['template', 'baton', chart]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/secrets\.tokenSecret|mongodb\.uri/);
  });

  test('with existing secrets the chart renders no Secret and both processes read the named ones', () => {
    const result = runHelm([
      'template',
      'baton',
      chart,
      '--set',
      'secrets.existingSecret=my-baton',
      '--set',
      'mongodb.existingSecret=my-mongo',
    ]);
    expect(result.status).toBe(0);
    const rendered = manifests(result.stdout);
    expect(rendered.map((m) => m.kind)).not.toContain('Secret');
    expect(result.stdout).toMatch(/name: my-baton/);
    expect(result.stdout.match(/name: my-mongo/g)?.length).toBe(2);
  });

  test('the rendered manifests: kinds, probes, PDBs, Ingress to the API, nothing of Temporal', () => {
    const result = runHelm([
      'template',
      'baton',
      chart,
      ...required,
      '--set',
      'ingress.enabled=true',
      '--set',
      'api.trustProxy=10.0.0.0/8',
      '--set',
      'temporal.tls.enabled=true',
      '--set',
      'temporal.tls.secretName=temporal-mtls',
    ]);
    expect(result.stderr).toBe('');
    const rendered = manifests(result.stdout);
    expect(rendered.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'Deployment/baton-api',
      'Deployment/baton-worker',
      'Ingress/baton',
      'PodDisruptionBudget/baton-api',
      'PodDisruptionBudget/baton-worker',
      'Secret/baton-mongodb',
      'Secret/baton-secrets',
      'Service/baton-api',
    ]);
    expect(result.stdout).not.toMatch(/containerPort: 7233|port: 7233/);

    const Container = z.looseObject({
      name: z.string(),
      env: z.array(z.looseObject({ name: z.string(), value: z.string().optional() })),
      readinessProbe: Probe.optional(),
      livenessProbe: Probe,
      volumeMounts: z.array(z.looseObject({ mountPath: z.string() })).optional(),
    });
    const Deployment = z.looseObject({
      spec: z.looseObject({ template: z.looseObject({ spec: z.looseObject({ containers: z.array(Container) }) }) }),
    });
    const container = (name: string) => {
      const found = rendered.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
      const [first] = Deployment.parse(found).spec.template.spec.containers;
      if (!first) throw new Error(`${name} has no container`);
      return first;
    };
    const env = (name: string) => Object.fromEntries(container(name).env.map((e) => [e.name, e.value]));
    expect(container('baton-api').readinessProbe?.httpGet?.path).toBe('/api/ready');
    expect(container('baton-api').livenessProbe.httpGet?.path).toBe('/api/health');
    expect(container('baton-worker').readinessProbe).toBeUndefined();
    expect(env('baton-api')).toMatchObject({
      BATON_TRUST_PROXY: '10.0.0.0/8',
      TEMPORAL_TLS: '1',
      TEMPORAL_TLS_CERT: '/etc/baton/temporal-tls/tls.crt',
    });
    expect(env('baton-worker')).toMatchObject({ TEMPORAL_NAMESPACE: 'baton', BATON_STICKY_TIMEOUT_MS: '3000' });
    expect(env('baton-worker')).not.toHaveProperty('BATON_TOKEN_SECRET');
    expect(container('baton-worker').volumeMounts?.map((m) => m.mountPath)).toEqual(['/etc/baton/temporal-tls']);
  });
});
