import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vitest/config';
import { loadConfig } from './src/server/config.ts';
import { mountOnConnect } from './src/server/connect.ts';
import { precompress } from './src/server/precompress.ts';
import { devCallbackPage, devPageHeaders } from './src/server/devPages.ts';
import { pageHeaders } from './src/server/pages.ts';

const config = loadConfig(process.env);

/** The same server app that `npm start` runs, mounted into Vite's dev server: one code path. */
function localServer(): Plugin {
  return {
    name: 'pandadoc-oauth-debugger:server',
    configureServer(server) {
      server.middlewares.use(mountOnConnect(config));
      server.middlewares.use(devCallbackPage(server));
    },
  };
}

export default defineConfig({
  // precompress: .br and .gz copies of the build's text files, served by src/server/pages.ts.
  plugins: [svelte(), localServer(), precompress()],
  // cors: false — Vite's own CORS middleware would grant preflights to any origin before our
  // server's cross-site guard runs.
  // The page headers `npm start` sends (src/server/pages.ts), on what Vite serves too.
  server: {
    host: config.host,
    port: config.port,
    strictPort: true,
    cors: false,
    headers: devPageHeaders(),
  },
  preview: {
    host: config.host,
    port: config.port,
    strictPort: true,
    cors: false,
    headers: pageHeaders(),
  },
  build: { target: 'es2022', reportCompressedSize: false },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/test-setup.ts'],
  },
});
