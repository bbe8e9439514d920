import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Where `vite dev` sends API calls: a running `baton start` (its REST port). */
const target = process.env.BATON_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // bpmn-js is large; one chunk for it keeps the app's own code small and cacheable.
    chunkSizeWarningLimit: 1500,
    // Everything the page needs is in dist: fonts and styles are bundled, never fetched from a CDN.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/v2': { target, changeOrigin: true },
      '/baton': { target, changeOrigin: true },
    },
  },
});
