import { useEffect, useRef, type RefObject } from 'react';
import type { ReactFlowInstance, Viewport } from '@xyflow/react';
import type { FlowNode } from '../model';
import { inferDirection } from './layout';

/** Below this zoom a card's text is not legible: a journey too big to fit opens at `openZoom` on its start instead. */
export const readableZoom = 0.6;
const openZoom = 0.8;
const fitOptions = { padding: { top: '40px', right: '40px', bottom: '40px', left: '60px' }, maxZoom: 1 } as const;

/** The viewport the last fit left (one canvas is edited at a time), and whether a fit is animating now. */
let lastFit: Viewport | null = null;
let fitting = 0;

/** Records the viewport a fit just set: a refit on resize is allowed while the view is still this one. */
export function rememberFit(flow: Pick<ReactFlowInstance<FlowNode>, 'getViewport'>): void {
  lastFit = flow.getViewport();
}

/** True when the user zoomed or panned since the last fit (the view is no longer the one the fit left). */
export function movedSinceFit(flow: Pick<ReactFlowInstance<FlowNode>, 'getViewport'>): boolean {
  if (fitting > 0 || !lastFit) return false;
  const now = flow.getViewport();
  return Math.abs(now.zoom - lastFit.zoom) > 1e-3 || Math.abs(now.x - lastFit.x) > 1 || Math.abs(now.y - lastFit.y) > 1;
}

/** The refit after the canvas changed size: only when the user has not chosen a zoom or position since the last fit. */
export async function refitView(flow: ReactFlowInstance<FlowNode>, duration = 0): Promise<boolean> {
  if (movedSinceFit(flow)) return false;
  await openView(flow, duration);
  return true;
}

/**
 * Shows the whole journey when it fits at a readable zoom, else its start at a readable zoom, near the
 * left edge and vertically centred (or near the top, horizontally centred, for a journey laid out downwards).
 */
export async function openView(flow: ReactFlowInstance<FlowNode>, duration = 0): Promise<void> {
  const nodes = flow.getNodes();
  if (nodes.length === 0) return;
  fitting += 1;
  try {
    await fitOrCentre(flow, nodes, duration);
  } finally {
    fitting -= 1;
    rememberFit(flow);
  }
}

async function fitOrCentre(flow: ReactFlowInstance<FlowNode>, nodes: FlowNode[], duration: number): Promise<void> {
  await flow.fitView({ ...fitOptions, duration });
  if (flow.getZoom() >= readableZoom) return;
  const start = nodes.find((n) => n.type === 'start') ?? nodes[0]!;
  const pane = document.querySelector('.react-flow__pane')?.getBoundingClientRect();
  const width = start.measured?.width ?? 220;
  const height = start.measured?.height ?? 60;
  // The start sits near the edge its journey leaves from (left, or top when laid out downwards): what
  // follows it is in view.
  const down = inferDirection(nodes, flow.getEdges()) === 'DOWN';
  const margin = 60 / openZoom;
  const shiftX = pane && !down ? pane.width / openZoom / 2 - width / 2 - margin : 0;
  const shiftY = pane && down ? pane.height / openZoom / 2 - height / 2 - margin : 0;
  await flow.setCenter(
    start.position.x + width / 2 + Math.max(0, shiftX),
    start.position.y + height / 2 + Math.max(0, shiftY),
    { zoom: openZoom, duration },
  );
}

/**
 * Calls `refit` when the canvas's width changes (a panel opened or closed, the window resized), once
 * the change settles; not on the first measurement (the journey's own open does that). Pass a refit
 * that keeps a zoom the user chose (`refitView`).
 */
export function useRefitOnResize(ref: RefObject<HTMLElement | null>, refit: () => void): void {
  const refitRef = useRef(refit);
  refitRef.current = refit;
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let width: number | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver((entries) => {
      const next = Math.round(entries[0]!.contentRect.width);
      if (width === null || Math.abs(next - width) < 2) {
        width ??= next;
        return;
      }
      width = next;
      clearTimeout(timer);
      timer = setTimeout(() => refitRef.current(), 120);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [ref]);
}
