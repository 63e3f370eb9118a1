import { defineConfig } from 'vitest/config';

// The Redress server serves dist/ itself under a strict Content-Security-Policy
// (script-src and style-src 'self'), so the build must not emit inline scripts or styles:
// no module-preload polyfill snippet, CSS always in files.
// `npm run dev` proxies the API to a running `redress serve` (REDRESS_URL, default :8080).
const apiTarget = process.env.REDRESS_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2022',
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
