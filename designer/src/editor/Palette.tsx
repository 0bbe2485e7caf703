import { useState, type DragEvent } from 'react';
import { MiniMap } from '@xyflow/react';
import { minimapNodeColor } from '../nodes';
import { nodeKinds, nodeKindNames, type ActivityManifest, type NodeKind } from '@baton/schemas';

/** The node kinds and the catalog's custom activities, searchable, dragged onto the canvas. */
export function Palette({ activities }: { activities: readonly ActivityManifest[] }) {
  const [search, setSearch] = useState('');
  const q = search.trim().toLowerCase();
  const kinds = nodeKindNames.filter((k) => !q || k.includes(q) || nodeKinds[k].title.toLowerCase().includes(q));
  // Built-ins are the engine's own steps behind node kinds (classify, handoff, follow-up…): not for the palette.
  const acts = activities
    .filter((a) => !a.builtin)
    .filter((a) => !q || a.name.toLowerCase().includes(q) || (a.description ?? '').toLowerCase().includes(q));
  const startDrag = (e: DragEvent, payload: { kind: NodeKind; activity?: string }) => {
    e.dataTransfer.setData('application/x-baton-node', JSON.stringify(payload));
    e.dataTransfer.effectAllowed = 'move';
  };
  return (
    <aside className="palette" aria-label="palette">
      <input
        type="search"
        placeholder="Search nodes and activities"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        aria-label="search palette"
      />
      <h3>Nodes</h3>
      {kinds.map((k) => (
        <div
          key={k}
          className={`palette-item pk-${k}`}
          draggable
          onDragStart={(e) => startDrag(e, { kind: k })}
          data-kind={k}
          title={nodeKinds[k].description}
        >
          {nodeKinds[k].title}
        </div>
      ))}
      <h3>Activities</h3>
      {acts.length === 0 && <p className="muted">none</p>}
      {acts.map((a) => (
        <div
          key={a.name}
          className="palette-item pk-activity"
          draggable
          onDragStart={(e) => startDrag(e, { kind: 'activity', activity: a.name })}
          data-activity={a.name}
          title={a.description}
        >
          {a.name}
        </div>
      ))}
    </aside>
  );
}

/**
 * The palette and, under it, a small map of the journey: beside the canvas rather than over it, so the
 * map never hides a node. Both fold into a thin rail (the canvas refits to the room it gains).
 * A read-only version shows the map only.
 */
export function PaletteColumn({
  activities,
  readOnly,
}: {
  activities: readonly ActivityManifest[];
  readOnly: boolean;
}) {
  const [open, setOpen] = useState(true);
  const [minimapOpen, setMinimapOpen] = useState(true);
  if (!open)
    return (
      <div className="palette-rail">
        <button
          type="button"
          title="Show the palette and the map"
          aria-label="show palette"
          onClick={() => setOpen(true)}
        >
          ›
        </button>
      </div>
    );
  return (
    <div className="palette-col">
      <button
        type="button"
        className="fold"
        title="Hide the palette"
        aria-label="hide palette"
        onClick={() => setOpen(false)}
      >
        ‹ Hide
      </button>
      {!readOnly && <Palette activities={activities} />}
      {minimapOpen ? (
        <div className="minimap-box">
          <button type="button" className="fold" title="Hide the map" onClick={() => setMinimapOpen(false)}>
            Hide map
          </button>
          <MiniMap pannable zoomable nodeColor={minimapNodeColor} />
        </div>
      ) : (
        <button type="button" className="fold" onClick={() => setMinimapOpen(true)}>
          Show map
        </button>
      )}
    </div>
  );
}
