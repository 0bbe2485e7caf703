import { memo, useState } from 'react';
import type { ActivityManifest } from '@baton/schemas';
import type { Draft } from '../model';
import { SimulatorPanel } from '../simulator/SimulatorPanel';
import { ReplayPanel } from '../simulator/ReplayPanel';
import { VersionsPanel } from '../versions/VersionsPanel';
import type { CanvasControls } from './canvasView';

export { useCanvasView, type CanvasView, type CanvasControls } from './canvasView';

type Tab = 'simulator' | 'versions' | 'replay';
const tabs: { id: Tab; title: string }[] = [
  { id: 'simulator', title: 'Simulator' },
  { id: 'versions', title: 'Versions & diff' },
  { id: 'replay', title: 'Replay' },
];

/**
 * The designer's tools beside the canvas: simulate the draft, browse and diff versions (with the
 * live overlay), replay real conversations. Panels stay mounted so a simulation survives a tab
 * switch; only the active one draws on the canvas.
 */
export const ToolsPanel = memo(function ToolsPanel({
  canvas,
  meta,
  activities,
}: {
  canvas: CanvasControls;
  meta: Draft;
  activities: ActivityManifest[];
}) {
  // Folded at first: the canvas gets the room; a tab's name opens it.
  const [tab, setTab] = useState<Tab | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const choose = (next: Tab | null) => {
    if (next !== 'versions') canvas.showReadOnly(null);
    canvas.decorate(null);
    setTab(next);
    setRefreshKey((k) => k + 1);
  };
  return (
    <aside className={`tools${tab ? '' : ' collapsed'}`} aria-label="designer tools" data-testid="tools">
      <nav className="tools-tabs">
        {tab ? (
          <>
            {tabs.map((t) => (
              <button
                key={t.id}
                type="button"
                className={tab === t.id ? 'active' : ''}
                onClick={() => choose(t.id)}
                data-testid={`tab-${t.id}`}
              >
                {t.title}
              </button>
            ))}
            <button type="button" title="Hide the tools" onClick={() => choose(null)} style={{ flex: '0 0 28px' }}>
              ›
            </button>
          </>
        ) : (
          tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              className="vertical"
              onClick={() => choose(t.id)}
              data-testid={`tab-${t.id}`}
            >
              {t.title}
            </button>
          ))
        )}
      </nav>
      <div className="tools-body" style={tab ? undefined : { display: 'none' }}>
        <div style={tab === 'simulator' ? undefined : { display: 'none' }}>
          <SimulatorPanel canvas={canvas} meta={meta} activities={activities} active={tab === 'simulator'} />
        </div>
        <div style={tab === 'versions' ? undefined : { display: 'none' }}>
          <VersionsPanel canvas={canvas} meta={meta} active={tab === 'versions'} refreshKey={refreshKey} />
        </div>
        <div style={tab === 'replay' ? undefined : { display: 'none' }}>
          <ReplayPanel canvas={canvas} meta={meta} activities={activities} active={tab === 'replay'} />
        </div>
      </div>
    </aside>
  );
});
