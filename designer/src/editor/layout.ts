import type { ElkNode } from 'elkjs/lib/elk-api';
import { handlesOf } from '../model';

export type LayoutDirection = 'RIGHT' | 'DOWN';

export interface LayoutNode {
  id: string;
  type?: string;
  data: Record<string, unknown>;
  /** The card's measured size on the canvas; estimated when not known (files laid out outside a browser). */
  width?: number;
  height?: number;
}

export interface LayoutEdge {
  id: string;
  source: string;
  sourceHandle?: string | null;
  target: string;
}

/** A node card's size as drawn by nodes.tsx (220 px wide; head, summary, one row per output handle). */
export function estimatedSize(node: LayoutNode): { width: number; height: number } {
  const handles = handlesOf(node.type ?? '', node.data).length;
  const summaryLines =
    node.type === 'ask' || node.type === 'handoff' || (node.type === 'end' && node.data.message) ? 2 : 1;
  return { width: 220, height: 30 + summaryLines * 18 + (handles ? 8 + handles * 19 : 0) };
}

const grid = 10;
const snap = (v: number) => Math.round(v / grid) * grid;

/**
 * Layered layout (ELK "layered") from left to right or top to bottom. Each output handle is a port
 * on the card's right side in the order the card draws them, so that the `reply` edge leaves above
 * the `timeout` edge and crossings follow the handles; the input is one port on the left.
 * Positions come back snapped to the canvas's 10 px grid.
 */
export async function layoutJourney(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  direction: LayoutDirection = 'RIGHT',
): Promise<Map<string, { x: number; y: number }>> {
  // ELK is large (≈1.5 MB): loaded on the first layout, not with the page.
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const ids = new Set(nodes.map((n) => n.id));
  // Left to right: edges leave on the right and enter on the left, as the cards draw their handles.
  const [inSide, outSide] = direction === 'DOWN' ? ['NORTH', 'SOUTH'] : ['WEST', 'EAST'];
  const graph: ElkNode = {
    id: 'journey',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      // Compact: the laid-out journey should fit a screen at a readable zoom.
      'elk.layered.spacing.nodeNodeBetweenLayers': direction === 'DOWN' ? '50' : '60',
      'elk.spacing.nodeNode': '30',
      'elk.spacing.edgeNode': '20',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.semiInteractive': 'true',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      // Break loops (retry, ask again) depth-first from the model order, so start stays leftmost.
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
    },
    children: nodes.map((node) => {
      const size = node.width && node.height ? { width: node.width, height: node.height } : estimatedSize(node);
      const handles = handlesOf(node.type ?? '', node.data);
      return {
        id: node.id,
        ...size,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: [
          { id: `${node.id}::in`, layoutOptions: { 'elk.port.side': inSide, 'elk.port.index': '0' } },
          // ELK orders ports clockwise (top to bottom on the east side, right to left on the south
          // side): the index follows the handle's row, so the first handle's edge stays first.
          ...handles.map((handle, index) => ({
            id: `${node.id}::out::${handle}`,
            layoutOptions: {
              'elk.port.side': outSide,
              'elk.port.index': String(direction === 'DOWN' ? handles.length - 1 - index : index),
            },
          })),
        ],
      };
    }),
    edges: edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((edge) => {
        const sourceNode = nodes.find((n) => n.id === edge.source)!;
        const hasPort =
          edge.sourceHandle && handlesOf(sourceNode.type ?? '', sourceNode.data).includes(edge.sourceHandle);
        return {
          id: edge.id,
          sources: [hasPort ? `${edge.source}::out::${edge.sourceHandle}` : edge.source],
          targets: [`${edge.target}::in`],
        };
      }),
  };
  const laid = await elk.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const child of laid.children ?? []) positions.set(child.id, { x: snap(child.x ?? 0), y: snap(child.y ?? 0) });
  return positions;
}

/**
 * The direction a journey was laid out in, read from where its edges go: mostly downwards is top to
 * bottom, else left to right (so a journey laid out downwards reopens with its handles top and bottom).
 */
export function inferDirection(
  nodes: readonly { id: string; position: { x: number; y: number } }[],
  edges: readonly { source: string; target: string }[],
): LayoutDirection {
  const at = new Map(nodes.map((n) => [n.id, n.position]));
  let across = 0;
  let down = 0;
  for (const e of edges) {
    const a = at.get(e.source);
    const b = at.get(e.target);
    if (!a || !b) continue;
    across += Math.abs(b.x - a.x);
    down += Math.abs(b.y - a.y);
  }
  return down > across ? 'DOWN' : 'RIGHT';
}
