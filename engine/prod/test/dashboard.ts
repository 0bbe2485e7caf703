/** The metric names deploy/grafana/baton.json's panels query (shared by its unit and integration tests). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface PanelLike {
  type: string;
  targets?: { expr: string }[];
}

export const dashboardFile = join(__dirname, '..', '..', '..', 'deploy', 'grafana', 'baton.json');

/** Every name written as `name{…}` in a panel's PromQL, each once. */
export function dashboardMetrics(panels?: readonly PanelLike[]): string[] {
  const list = panels ?? (JSON.parse(readFileSync(dashboardFile, 'utf8')) as { panels: PanelLike[] }).panels;
  const names = new Set<string>();
  for (const panel of list)
    for (const target of panel.targets ?? [])
      for (const match of target.expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)) if (match[1]) names.add(match[1]);
  return [...names];
}
