import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createServerApp, SERVER_PATH_PREFIXES } from './app.ts';
import type { ServerConfig } from './config.ts';

type Next = (err?: unknown) => void;

/** Mounts the server app into a Connect stack (Vite's dev server): one code path for dev and start. */
export function mountOnConnect(config: ServerConfig) {
  const { app } = createServerApp({ config, log: (line) => console.log(line) });
  const listener = getRequestListener(app.fetch);
  return (req: IncomingMessage, res: ServerResponse, next: Next) => {
    const path = (req.url ?? '/').split('?')[0];
    if (SERVER_PATH_PREFIXES.some((p) => path.startsWith(p) || path === p.slice(0, -1))) {
      // Vite's dev CORS middleware runs first and may have granted a localhost origin: this
      // server grants CORS to nobody. (Its preflight answers need `server.cors: false`.)
      for (const name of res.getHeaderNames()) {
        if (name.startsWith('access-control-')) res.removeHeader(name);
      }
      void listener(req, res);
    } else {
      next();
    }
  };
}
