import { createContext, memo, useContext, useEffect, useRef, type ReactNode } from 'react';
import { Handle, Position, useUpdateNodeInternals, type NodeProps, type NodeTypes } from '@xyflow/react';
import { nodeKinds, schemaDefaults, type NodeKind } from '@baton/schemas';
import { handlesOf, type FlowNode } from './model';

/** How the journey flows on the canvas (the auto-layout's direction): handles sit on the matching sides. */
export const LayoutDirectionContext = createContext<'RIGHT' | 'DOWN'>('RIGHT');

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const modelRef = (model: { name?: unknown; version?: unknown }): string =>
  `${str(model.name)}${typeof model.version === 'number' ? `@${model.version}` : ''}`;

/** On the node itself, the node's own id in a message is noise. */
const shortProblem = (message: string) =>
  message.replace(/ of [a-z]+ node "[^"]+"/, '').replace(/^node "[^"]+" /, 'this node ');

/** Each kind's colour in the minimap (the canvas's colours are in the stylesheet); grey for a kind without one. */
const kindColors: Partial<Record<NodeKind, string>> = {
  start: '#1b7f3a',
  message: '#2458d6',
  ask: '#7a3fd1',
  classify: '#c2185b',
  condition: '#e37400',
  activity: '#00838f',
  handoff: '#d93025',
  wait: '#5f6368',
  set: '#795548',
  followup: '#0b8043',
  end: '#3c4043',
};
export const minimapNodeColor = (n: { type?: string }) =>
  (Object.hasOwn(kindColors, n.type ?? '') ? kindColors[n.type as NodeKind] : undefined) ?? '#888';

type Summary = (data: Record<string, unknown>) => ReactNode;

/**
 * A kind without its own summary shows its first template or text field (from its form description),
 * so a new kind needs no line here.
 */
function firstFieldSummary(kind: NodeKind): Summary {
  const field = nodeKinds[kind].form.fields.find(
    (f) => f.key !== 'label' && (f.control === 'template' || f.control === 'text'),
  );
  return (d) => (field && d[field.key] !== undefined ? <div className="kv">{clip(str(d[field.key]))}</div> : null);
}

const summaries: Partial<Record<NodeKind, Summary>> = {
  start: (d) => <div className="muted">{str(d.label) || 'conversation enters here'}</div>,
  message: (d) => <div className="quote">“{clip(str(d.text))}”</div>,
  ask: (d) => (
    <>
      <div className="quote">“{clip(str(d.prompt))}”</div>
      <div className="kv">
        → <code>{str(d.variable)}</code> · timeout {str(d.timeoutSeconds)}s
      </div>
    </>
  ),
  classify: (d) => (
    <div className="kv">
      {d.model && typeof d.model === 'object' ? (
        // A published triage model: its name (and pinned version), then the handles its intents take.
        <>
          model <code>{modelRef(d.model as { name?: unknown; version?: unknown })}</code>:{' '}
          {Array.isArray(d.routes) ? (d.routes as { handle?: string }[]).map((r) => r.handle).join(', ') : '—'}, other
        </>
      ) : (
        <>
          intents: {Array.isArray(d.intents) ? (d.intents as { name?: string }[]).map((i) => i.name).join(', ') : '—'}
        </>
      )}
      {d.variable ? (
        <>
          {' '}
          · → <code>{str(d.variable)}</code>
        </>
      ) : null}
    </div>
  ),
  condition: (d) => (
    <div className="kv">
      {Array.isArray(d.rules)
        ? (d.rules as { id?: string; label?: string }[]).map((r) => r.label || r.id).join(' · ')
        : '—'}
    </div>
  ),
  activity: (d) => (
    <div className="kv">
      <code>{str(d.activity)}</code>
      {d.output ? (
        <>
          {' '}
          → <code>{str(d.output)}</code>
        </>
      ) : null}
    </div>
  ),
  handoff: (d) => (
    <>
      <div className="kv">
        queue <b>{str(d.queue)}</b> · {str(d.priority)}
      </div>
      <div className="muted">{clip(str(d.reason))}</div>
    </>
  ),
  wait: (d) => <div className="kv">{str(d.seconds)} s</div>,
  set: (d) => (
    <div className="kv">
      {Array.isArray(d.assign) ? (d.assign as { variable?: string }[]).map((a) => a.variable).join(', ') : '—'}
    </div>
  ),
  followup: (d) => (
    <div className="kv">
      {[d.ces === true && 'CES', d.csat === true && 'CSAT', d.sendTranscript === true && 'transcript']
        .filter(Boolean)
        .join(' · ')}
    </div>
  ),
  end: (d) => (
    <>
      <div className="kv">
        outcome <b>{str(d.outcome)}</b>
      </div>
      {d.message ? <div className="quote">“{clip(str(d.message))}”</div> : null}
    </>
  ),
};

function makeNode(kind: NodeKind) {
  const summary = summaries[kind] ?? firstFieldSummary(kind);
  // Summaries show what the node runs with: the schema's defaults under what its data says.
  const defaults = schemaDefaults(nodeKinds[kind].data);
  function KindNode({ id, data, selected }: NodeProps<FlowNode>) {
    const handles = handlesOf(kind, data);
    // React Flow measures handles once; a renamed intent or rule is a new handle that must be measured to connect it.
    // Only on a change after mount: React Flow measures a new node itself, and one call per node at mount is a
    // store update per node that every node, edge and minimap node re-checks (quadratic on a big journey).
    const updateNodeInternals = useUpdateNodeInternals();
    const vertical = useContext(LayoutDirectionContext) === 'DOWN';
    const handleKey = `${vertical ? 'v' : 'h'}\n${handles.join('\n')}`;
    const measuredKey = useRef(handleKey);
    useEffect(() => {
      if (measuredKey.current === handleKey) return;
      measuredKey.current = handleKey;
      updateNodeInternals(id);
    }, [id, handleKey, updateNodeInternals]);
    const problems = data.problems ?? [];
    return (
      <div
        className={`bnode bnode-${kind}${vertical ? ' vertical' : ''}${selected ? ' selected' : ''}${data.hasError ? ' has-error' : problems.length ? ' has-warning' : ''}`}
        data-kind={kind}
      >
        {kind !== 'start' && <Handle type="target" position={vertical ? Position.Top : Position.Left} />}
        <div className="bnode-head">
          <span className="bnode-kind">{nodeKinds[kind].title}</span>
          {data.label ? <span className="bnode-label">{str(data.label)}</span> : null}
          {problems.length > 0 && (
            <span className="badge" title={problems.join('\n')} data-testid="problem-badge">
              {problems.length}
            </span>
          )}
        </div>
        <div className="bnode-body">{summary({ ...defaults, ...data })}</div>
        {problems.length > 0 && <div className="bnode-problem">{clip(shortProblem(problems[0]!), 90)}</div>}
        {handles.length > 0 && (
          <div className="bnode-outs">
            {handles.map((h) => (
              <div key={h} className={`out out-${h}`}>
                <span>{h}</span>
                <Handle
                  type="source"
                  position={vertical ? Position.Bottom : Position.Right}
                  id={h}
                  className="out-handle"
                />
              </div>
            ))}
          </div>
        )}
      </div>
    );
  }
  KindNode.displayName = `${kind}Node`;
  return memo(KindNode);
}

export const nodeTypes: NodeTypes = Object.fromEntries(
  (Object.keys(nodeKinds) as NodeKind[]).map((kind) => [kind, makeNode(kind)]),
) as NodeTypes;
