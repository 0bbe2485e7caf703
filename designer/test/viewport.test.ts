import type { Viewport } from '@xyflow/react';
import { movedSinceFit, rememberFit } from '../src/editor/viewport';

/** The refit on resize keeps a zoom or position the user chose since the last fit (the browser check: e2e/designer-refit). */
test('moved since the last fit exactly when the viewport differs from the one the fit left', () => {
  let viewport: Viewport = { x: 10, y: 20, zoom: 0.8 };
  const flow = { getViewport: () => viewport };
  rememberFit(flow);
  expect(movedSinceFit(flow)).toBe(false);
  viewport = { x: 10.4, y: 20.4, zoom: 0.8004 }; // rounding, not a move
  expect(movedSinceFit(flow)).toBe(false);
  viewport = { x: 10, y: 20, zoom: 1.2 }; // zoomed in
  expect(movedSinceFit(flow)).toBe(true);
  viewport = { x: -150, y: 20, zoom: 0.8 }; // panned
  expect(movedSinceFit(flow)).toBe(true);
  rememberFit(flow); // a new fit (open, layout, import) makes this the view to keep refitting
  expect(movedSinceFit(flow)).toBe(false);
});
