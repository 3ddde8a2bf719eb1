/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';

const api = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.REBALANCE_API ?? 'http://127.0.0.1:8091';

/**
 * Writes dist/sw.js from sw.js (the service worker, plain JavaScript) with
 * __REBALANCE_BUILD__ replaced by this build's app shell: index.html and every
 * emitted file, and a version that changes with them (so browsers install the
 * new worker, which drops the old shell cache).
 */
function serviceWorker(): Plugin {
  let root = '.';
  return {
    name: 'rebalance-sw',
    apply: 'build',
    enforce: 'post',
    configResolved(c) {
      root = c.root;
    },
    async generateBundle(_options, bundle) {
      // Without @types/node here: the two Node functions this needs, typed by hand.
      const fs = (await import('node:fs' as string)) as { readFileSync(path: string, enc: 'utf8'): string };
      const files = Object.keys(bundle)
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map'))
        .sort()
        .map((f) => '/' + f);
      let h = 0x811c9dc5;
      const html = bundle['index.html'];
      const text = files.join('\n') + (html && html.type === 'asset' ? String(html.source) : '');
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
      const build = { version: h.toString(16).padStart(8, '0'), files };
      const template = fs.readFileSync(`${root}/sw.js`, 'utf8');
      const marker = 'const BUILD = __REBALANCE_BUILD__;';
      if (!template.includes(marker)) this.error(`sw.js: no "${marker}" line to fill in`);
      const source = template.replace(marker, `const BUILD = ${JSON.stringify(build)};`);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  plugins: [preact(), serviceWorker()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
    },
  },
  preview: {
    port: 4173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
