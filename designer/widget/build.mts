import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the chat widget into the designer's output as one classic script, `dist/widget.js` (an IIFE
 * with no imports, so a site includes it with a plain `<script async>`), after the app's own build.
 */
export function chatWidget(): Plugin {
  let outDir = 'dist';
  return {
    name: 'baton-chat-widget',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/') ? config.build.outDir : `${config.root}/${config.build.outDir}`;
    },
    async closeBundle() {
      await build({
        configFile: false,
        root: here,
        logLevel: 'warn',
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          minify: true,
          target: 'es2020',
          lib: { entry: `${here}src/widget.ts`, formats: ['iife'], name: 'BatonWidget', fileName: () => 'widget.js' },
        },
      });
    },
  };
}
