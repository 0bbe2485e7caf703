import { useMemo } from 'react';
import { isNodeKind, nodeKinds, schemaDefaults, type ActivityManifest } from '@baton/schemas';
import type { FlowNode } from './model';
import type { ContextPath } from './editor/paths';
import { FieldControl } from './inspector/FormFields';

type Data = Record<string, unknown>;
type Patch = (patch: Data) => void;

/**
 * The selected node's fields, drawn from its kind's form description (schemas/src/nodes/<kind>/form.ts)
 * in its order, one control per field. A field the node leaves out shows the schema's default, which
 * is what it runs with; editing it writes it.
 */
export function Inspector({
  node,
  activities,
  onChange,
  onDelete,
  paths = [],
}: {
  node: FlowNode;
  activities: ActivityManifest[];
  onChange: Patch;
  onDelete: () => void;
  paths?: readonly ContextPath[];
}) {
  const type = node.type ?? '';
  const kind = isNodeKind(type) ? nodeKinds[type] : undefined;
  const data = node.data;
  const defaults = useMemo(() => (kind ? schemaDefaults(kind.data) : {}), [kind]);
  const context = useMemo(() => ({ paths, activities, data }), [paths, activities, data]);
  return (
    <div className="inspector" data-testid="inspector">
      <h2>
        {kind?.title ?? type} <small className="muted">{node.id}</small>
      </h2>
      <p className="muted">{kind?.description}</p>
      {kind?.form.fields.map((field) => (
        <FieldControl
          key={field.key}
          field={field}
          name={field.key}
          value={
            Object.hasOwn(data, field.key) && data[field.key] !== undefined ? data[field.key] : defaults[field.key]
          }
          onChange={(value) => onChange({ [field.key]: value })}
          context={context}
        />
      ))}
      <button type="button" className="danger" onClick={onDelete}>
        Delete node
      </button>
    </div>
  );
}
