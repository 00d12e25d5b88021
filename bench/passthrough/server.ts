/**
 * The servers under measurement, in their own process so their CPU can be read apart from the
 * load generator's: the real app (createServerApp + listen, what `npm start` runs, minus the built
 * pages), one per capture flag in argv ('1' on, '0' off), on consecutive ports from the first
 * argument. Several apps in one process compare alike: two processes running the same code can
 * differ by several percent for their whole life. Answers `cpu` messages with process.cpuUsage().
 */
import { createServerApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { listen } from '../../src/server/listen.ts';

const [first, ...captures] = process.argv.slice(2);
for (const [i, capture] of captures.entries()) {
  const config = loadConfig({ PORT: String(Number(first) + i), UPSTREAM_TIMEOUT_MS: '15000' });
  const { app } = createServerApp({
    config,
    capture: { enabled: capture !== '0' },
  } as Parameters<typeof createServerApp>[0]);
  await listen({ fetch: app.fetch, hostname: config.host, port: config.port });
}
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (message === 'exit') process.exit(0);
});
process.send?.({ ready: true });
