/**
 * The server under measurement, in its own process so its CPU can be read apart from the load
 * generator's: the real app (createServerApp + listen, what `npm start` runs, minus the built
 * pages) on the port given in argv. Answers `cpu` messages with process.cpuUsage().
 */
import { createServerApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { listen } from '../../src/server/listen.ts';

const [port, capture] = process.argv.slice(2);
const config = loadConfig({ PORT: port, UPSTREAM_TIMEOUT_MS: '15000' });
const { app } = createServerApp({
  config,
  capture: { enabled: capture !== '0' },
} as Parameters<typeof createServerApp>[0]);
await listen({ fetch: app.fetch, hostname: config.host, port: config.port });
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (message === 'exit') process.exit(0);
});
process.send?.({ ready: true });
