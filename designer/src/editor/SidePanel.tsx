import { useCallback } from 'react';
import { nodeKinds, type Diagnostic, type NodeKind } from '@baton/schemas';
import type { FlowNode } from '../model';
import type { Draft } from '../model';
import { VariablesTable } from './Variables';

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
      <VariablesTable value={meta.variables} onChange={(variables) => setMeta({ ...meta, variables })} />
    </div>
  );
}

/** How many errors and warnings: the toolbar's count and the problems panel's title say the same. */
export function problemCounts(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return { errors, warnings: diagnostics.length - errors };
}

export function countText({ errors, warnings }: { errors: number; warnings: number }): string {
  return `${errors} error${errors === 1 ? '' : 's'} · ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

/**
 * The compiler's diagnostics, each naming its node by the node's label (or kind) rather than its generated
 * id; one that names a node selects it. Floats over the canvas, opened from the toolbar's count.
 */
export function Problems({
  diagnostics,
  nodeName,
  onSelect,
  onClose,
}: {
  diagnostics: Diagnostic[];
  nodeName: (nodeId: string) => string | undefined;
  onSelect: (nodeId: string) => void;
  onClose: () => void;
}) {
  return (
    <section className="problems" data-testid="problems" aria-label="problems">
      <header>
        <h3 data-testid="problems-count">Problems: {countText(problemCounts(diagnostics))}</h3>
        <button type="button" className="close" aria-label="close problems" onClick={onClose}>
          ×
        </button>
      </header>
      {diagnostics.length === 0 && <p className="good">No problems: ready to publish.</p>}
      <ul>
        {diagnostics.map((d, i) => {
          const name = d.nodeId ? (nodeName(d.nodeId) ?? d.nodeId) : null;
          return (
            <li key={i} className={d.severity}>
              <button type="button" disabled={!d.nodeId} onClick={() => d.nodeId && onSelect(d.nodeId)}>
                {name ? <b className="problem-node">{name}</b> : <b>Journey</b>} {d.message}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A node's name for people: its label and kind ("Reset (Ask)"), or its kind alone. */
export function useNodeName(nodes: readonly FlowNode[]): (nodeId: string) => string | undefined {
  return useCallback(
    (nodeId: string) => {
      const n = nodes.find((node) => node.id === nodeId);
      if (!n) return undefined;
      const kind = nodeKinds[n.type as NodeKind]?.title ?? n.type ?? 'Node';
      return typeof n.data.label === 'string' && n.data.label ? `${n.data.label} (${kind})` : kind;
    },
    [nodes],
  );
}
