import type { Diagnostic } from '@baton/schemas';
import type { Draft } from '../model';
import { Json } from './Json';

/** With no single node selected: the journey's description and variables. */
export function JourneySettings({
  meta,
  setMeta,
  selectedCount,
}: {
  meta: Draft;
  setMeta: (meta: Draft) => void;
  selectedCount: number;
}) {
  return (
    <div className="inspector" data-testid="journey-settings">
      <h2>Journey</h2>
      <p className="muted">
        {selectedCount > 1
          ? `${selectedCount} nodes selected (Delete removes them).`
          : 'Select a node to edit it. Drag nodes from the palette; connect an output handle to a node.'}
      </p>
      <label className="field">
        <span>Description</span>
        <textarea
          name="description"
          rows={2}
          value={meta.description}
          onChange={(e) => setMeta({ ...meta, description: e.target.value })}
        />
      </label>
      <Json
        name="variables"
        label="Variables (JSON)"
        value={meta.variables}
        onChange={(v) =>
          setMeta({
            ...meta,
            variables: (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, unknown>,
          })
        }
        hint='{ "request": { "type": "string" } }'
      />
    </div>
  );
}

/** The compiler's diagnostics; one that names a node selects it. */
export function Problems({ diagnostics, onSelect }: { diagnostics: Diagnostic[]; onSelect: (nodeId: string) => void }) {
  return (
    <section className="problems" data-testid="problems">
      <h3>Problems ({diagnostics.length})</h3>
      {diagnostics.length === 0 && <p className="good">No problems: ready to publish.</p>}
      <ul>
        {diagnostics.map((d, i) => (
          <li key={i} className={d.severity}>
            <button type="button" disabled={!d.nodeId} onClick={() => d.nodeId && onSelect(d.nodeId)}>
              <b>{d.severity}</b> {d.nodeId ? <code>{d.nodeId}</code> : null} {d.message}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
