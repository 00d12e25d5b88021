import { Hono } from 'hono';
import { createApi } from './api.ts';
import type { ServerConfig } from './config.ts';
import { type LogSink, requestLog } from './log.ts';
import { createPages } from './pages.ts';
import { createPassthrough } from './passthrough.ts';
import { SimulatorCore } from './simulator/state.ts';
import { createSimulator } from './simulator/app.ts';

export interface ServerOptions {
  config: ServerConfig;
  /** Where the built app lives; omitted under Vite's dev server, which serves the app itself. */
  distDir?: string;
  log?: LogSink;
  fetchImpl?: typeof fetch;
}

/** One HTTP app: the simulator, the app's API, the pass-through paths and (built) pages. */
export function createServerApp({ config, distDir, log, fetchImpl }: ServerOptions) {
  const simulator = new SimulatorCore({
    clientId: config.simulator.clientId,
    clientSecret: config.simulator.clientSecret,
    redirectUri: config.simulator.redirectUri,
  });
  const app = new Hono();
  if (log) app.use('*', requestLog(log));
  app.route('/sim', createSimulator(simulator));
  app.route('/api', createApi(config, fetchImpl));
  app.route('/', createPassthrough(config, fetchImpl));
  if (distDir) app.route('/', createPages(distDir));
  return { app, simulator };
}

/** Paths this server owns under Vite's dev server (everything else is Vite's). */
export const SERVER_PATH_PREFIXES = ['/api/', '/sim/', '/oauth2/', '/public/v1/'];
