import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vitest/config';
import { loadConfig } from './src/server/config.ts';
import { mountOnConnect } from './src/server/connect.ts';
import { precompress } from './src/server/precompress.ts';
import { devCallbackPage, devPageHeaders } from './src/server/devPages.ts';
import { pageHeaders } from './src/server/pages.ts';

const config = loadConfig(process.env);
/** Tests of .svelte components are named after them: `src/steps/TokensStep.test.ts`. */
const COMPONENT_TESTS = 'src/**/[A-Z]*.test.ts';

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
    // Each project says its own include and setup: `extends` would add to the root's, not replace.
    projects: [
      // Pure code, the server and the simulator: Node, as they run.
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: [COMPONENT_TESTS],
          environment: 'node',
          setupFiles: ['src/test-setup.ts'],
        },
      },
      // Component tests (named after their component, `FieldTable.test.ts`): a DOM, and Svelte's
      // browser build (its default export for Node is the server renderer, which cannot mount).
      {
        extends: true,
        resolve: { conditions: ['browser'] },
        test: {
          name: 'components',
          include: [COMPONENT_TESTS],
          environment: 'happy-dom',
          // Unmounts what each test rendered.
          setupFiles: ['src/test-setup.ts', '@testing-library/svelte/vitest'],
        },
      },
    ],
  },
});
