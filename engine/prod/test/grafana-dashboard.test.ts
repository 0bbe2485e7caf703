/**
 * deploy/grafana/baton.json (docs/deploy.md, Monitoring) is a Grafana dashboard, and every Baton
 * metric its panels query is one the API's or the worker's /metrics serves: the names come from the
 * same registries those endpoints render (createApiMetrics, createWorkerMetrics), default Node.js
 * metrics included. The Temporal server's metrics are checked against a running server by
 * prod-stack.integration.test.ts.
 */
import { readFileSync } from 'node:fs';
import type { Store } from '@baton/store';
import { createApiMetrics } from '@baton/telemetry';
import { createWorkerMetrics } from '@baton/worker';
import { dashboardFile as file, dashboardMetrics } from './dashboard';

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string };
  gridPos?: { w: number; x: number };
  targets?: { refId: string; expr: string }[];
}
const dashboard = JSON.parse(readFileSync(file, 'utf8')) as {
  title: string;
  uid: string;
  schemaVersion: number;
  templating: { list: { name: string }[] };
  panels: Panel[];
};
type Registry = ReturnType<typeof createWorkerMetrics>['registry'];

/** Every series name a registry's /metrics renders (histograms as _bucket, _sum and _count). */
function exposed(registry: Registry): Set<string> {
  const names = new Set<string>();
  for (const metric of registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    else if (type === 'summary') for (const suffix of ['', '_sum', '_count']) names.add(`${name}${suffix}`);
    else names.add(name);
  }
  return names;
}

test('the dashboard parses: unique panel ids, every panel queries Prometheus, every variable it uses is defined', () => {
  expect(dashboard).toMatchObject({ title: 'Baton', uid: 'baton-overview', schemaVersion: expect.any(Number) });
  for (const panel of dashboard.panels) {
    if (panel.type === 'row') continue;
    expect({ title: panel.title, type: panel.type, datasource: panel.datasource?.type }).toEqual({
      title: panel.title,
      type: 'timeseries',
      datasource: 'prometheus',
    });
    expect(panel.targets?.length).toBeGreaterThan(0);
    for (const target of panel.targets ?? []) expect(target.expr.length).toBeGreaterThan(0);
    expect((panel.gridPos?.x ?? 0) + (panel.gridPos?.w ?? 0)).toBeLessThanOrEqual(24);
  }
  const ids = dashboard.panels.map((panel) => panel.id);
  expect(new Set(ids).size).toBe(ids.length);
  const variables = new Set(dashboard.templating.list.map((variable) => variable.name));
  const used = new Set([...readFileSync(file, 'utf8').matchAll(/\$\{?([a-z_]+)/g)].map((match) => match[1]));
  for (const name of used) expect(variables).toContain(name);
});

test("every Baton metric a panel queries is served by the API's or the worker's /metrics", () => {
  // The store is read only when the gauges are collected (at a scrape), which this test does not do.
  const api = exposed(createApiMetrics({} as Store).registry);
  const worker = exposed(createWorkerMetrics().registry);
  const baton = dashboardMetrics(dashboard.panels).filter((name) => name.startsWith('baton_'));
  expect(baton.length).toBeGreaterThan(10);
  const missing = baton.filter((name) => !api.has(name) && !worker.has(name));
  expect(missing).toEqual([]);
});
