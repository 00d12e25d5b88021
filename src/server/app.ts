import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { createApi } from './api.ts';
import { CaptureRing, captureSettingsFromEnv, type CaptureSettings } from './capture/ring.ts';
import { createTrafficRoutes } from './capture/routes.ts';
import type { ServerConfig } from './config.ts';
import { baselineHeaders, hostGuard, originGuard } from './guards.ts';
import { type LogSink, requestLog } from './log.ts';
import { createPages } from './pages.ts';
import { createPassthrough } from './passthrough.ts';
import { captureSimulatorCalls } from './passthrough/direct.ts';
import { crossSiteRecorder } from './passthrough/refusal.ts';
import { upstreamTransport } from './passthrough/local.ts';
import { closeAfterRefusedBody } from './listen.ts';
import { SimulatorCore } from './simulator/state.ts';
import { createSimulator } from './simulator/app.ts';

export interface ServerOptions {
  config: ServerConfig;
  /** Where the built app lives; omitted under Vite's dev server, which serves the app itself. */
  distDir?: string;
  log?: LogSink;
  fetchImpl?: typeof fetch;
  /** The live capture's bounds; by default from CAPTURE, CAPTURE_MAX_CALLS and CAPTURE_MAX_MB. */
  capture?: Partial<CaptureSettings>;
}

/** One HTTP app: the simulator, the app's API, the pass-through paths and (built) pages. */
export function createServerApp({ config, distDir, log, fetchImpl, capture }: ServerOptions) {
  const simulator = new SimulatorCore({
    clientId: config.simulator.clientId,
    clientSecret: config.simulator.clientSecret,
    redirectUri: config.simulator.redirectUri,
    settings: config.simulatorSettings,
  });
  // Calls any client sends through the pass-through, kept in memory for the Traffic section.
  const ring = new CaptureRing(capture ?? captureSettingsFromEnv(process.env));
  const app = new Hono();
  if (log) app.use('*', requestLog(log));
  // Outermost first: headers on every answer (refusals included), then who may ask at all.
  app.use('*', baselineHeaders());
  app.use('*', hostGuard(config));
  const onCall = ring.settings.enabled
    ? (call: Parameters<typeof ring.add>[0]) => void ring.add(call)
    : undefined;
  // A foreign page's refused calls to the pass-through are captured (never a foreign Host's).
  app.use('*', originGuard(config, onCall && crossSiteRecorder(config, ring)));
  app.use('*', closeAfterRefusedBody());
  const simulatorApp = createSimulator(simulator);
  // The simulator is called in-process by the pass-through (no loopback hop) when it can be.
  const upstream = upstreamTransport({
    origin: config.origin,
    port: config.port,
    simulator: new Hono().route('/sim', simulatorApp),
    core: simulator,
    fetchImpl,
  });
  if (onCall) app.use('/sim/*', captureSimulatorCalls(onCall));
  app.route('/sim', simulatorApp);
  app.route('/api', createTrafficRoutes(ring));
  app.route('/api', createApi(config, upstream.api));
  app.route(
    '/',
    createPassthrough(config, {
      fetchFor: upstream.fetchFor,
      onCall,
      previous: onCall && (() => ring.newest),
      onRepeat: onCall && ((startedAt, durationMs) => void ring.addRepeat(startedAt, durationMs)),
    }),
  );
  if (distDir) app.route('/', createPages(distDir));
  // Never echo an exception: its message could quote a request. The request's one log line
  // (requestLog) gets its name only.
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    return c.text('Internal error in the local server.', 500);
  });
  return { app, simulator, ring };
}

/** Paths this server owns under Vite's dev server (everything else is Vite's). */
export const SERVER_PATH_PREFIXES = ['/api/', '/sim/', '/oauth2/', '/public/', '/us/', '/eu/'];
