/**
 * docker-compose.yml cannot run here (no Docker engine), so its security-relevant shape is checked as
 * data: only the API is published on every interface, Temporal and MongoDB stay inside the compose
 * network, and the worker and the API receive every Temporal connection variable the code reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { temporalEnvironmentVariables } from '../src';

const Service = z.looseObject({
  ports: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
const Compose = z.looseObject({ services: z.record(z.string(), Service) });
const compose = Compose.parse(parse(readFileSync(join(__dirname, '..', '..', '..', 'docker-compose.yml'), 'utf8')));

/** "4000:4000" is every interface; "127.0.0.1:8233:8080" is the host's loopback only. */
const publishedBeyondLoopback = (port: string) => !/^(127\.0\.0\.1|\[::1\]|localhost):/.test(port);

test('only the API is published beyond the host', () => {
  const published = Object.entries(compose.services)
    .filter(([, service]) => (service.ports ?? []).some(publishedBeyondLoopback))
    .map(([name]) => name);
  expect(published).toEqual(['api']);
});

test('Temporal, PostgreSQL and MongoDB publish nothing; the Temporal UI only on the loopback', () => {
  for (const name of ['temporal', 'postgresql', 'mongodb']) expect(compose.services[name]?.ports ?? []).toEqual([]);
  expect(compose.services['temporal-ui']?.ports).toEqual(['127.0.0.1:8233:8080']);
});

test.each(['worker', 'api'])('the %s receives every Temporal connection variable', (name) => {
  const environment = compose.services[name]?.environment ?? {};
  expect(
    Object.keys(environment)
      .filter((key) => key.startsWith('TEMPORAL_'))
      .sort(),
  ).toEqual([...temporalEnvironmentVariables].sort());
});
