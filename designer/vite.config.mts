import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { chatWidget } from './widget/build.mts';

// Built to designer/dist, which the API serves at `/`. The engine's compiler and the schemas are
// imported from the workspace's TypeScript sources, so the browser validates with the same code.
export default defineConfig({
  base: './',
  // chatWidget: the embeddable chat widget, built after the app as dist/widget.js.
  plugins: [react(), chatWidget()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:4000' } },
});
