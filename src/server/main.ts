import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServerApp } from './app.ts';
import { loadConfig } from './config.ts';
import { startServer } from './listen.ts';
import { unreadableRecorder } from './passthrough/unreadable.ts';

/** `npm start`: the built app, its API, the pass-through paths and the simulator on one port. */
// DIST_DIR: a build elsewhere (`vite build --outDir X`), so parallel checkouts don't share dist/.
const distDir = process.env.DIST_DIR || fileURLToPath(new URL('../../dist', import.meta.url));
if (!existsSync(`${distDir}/index.html`)) {
  console.error('No built app in dist/. Run `npm run build` first (`npm start` does it for you).');
  process.exit(1);
}
let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  console.error(`Configuration error: ${(error as Error).message}`);
  process.exit(1);
}
const logFile = process.env.LOG_FILE;
if (logFile) mkdirSync(dirname(logFile), { recursive: true });
const quiet = process.env.LOG_REQUESTS === '0';
const { app, ring } = createServerApp({
  config,
  distDir,
  log: (line) => {
    if (!quiet) console.log(line);
    if (!logFile) return;
    try {
      appendFileSync(logFile, `${line}\n`);
    } catch {
      // A log that can't be written must never fail the request it describes.
    }
  },
});
// Requests Node itself refuses (a TLS handshake, unreadable headers) are captured too.
const onClientError = ring.settings.enabled ? unreadableRecorder(config, ring) : undefined;
const server = startServer(
  { fetch: app.fetch, hostname: config.host, port: config.port, onClientError },
  () => {
    console.log(
      `PandaDoc OAuth Debugger ready at ${config.origin}/ (pass-through → ${config.defaultUpstream})`,
    );
  },
);
server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${config.port} is in use. Set PORT to another port, e.g. PORT=5180 npm start.`
      : `Server error: ${error.message}`,
  );
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
