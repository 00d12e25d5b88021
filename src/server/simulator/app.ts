/** The simulator's HTTP face, as a hono sub-app mounted at `basePath` (default `/sim`). */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PANDADOC_PATHS } from '../../lib/oauth/pandadoc.ts';
import { createControl } from './control.ts';
import { faultInjection } from './faults.ts';
import { consentPage, errorPage } from './html.ts';
import type { BasicCredentials, JsonResult, SimulatorCore } from './state.ts';

/** What the simulator answers for a path it does not have. */
export const NOT_FOUND_BODY = { type: 'not_found', detail: 'Not found.' };

/** No form or JSON the simulator accepts comes anywhere near this. */
export const SIM_MAX_BODY = 64 * 1024;

export interface SimulatorAppOptions {
  /** Where the main server mounts this app; the consent form posts to `${basePath}/oauth2/authorize`. */
  basePath?: string;
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/** `form-action` also governs the redirect after the POST, so the redirect URI's origin is allowed. */
function csp(redirectUri?: string): string {
  let formAction = "'self'";
  try {
    if (redirectUri) {
      const { origin, protocol } = new URL(redirectUri);
      if (protocol === 'http:' || protocol === 'https:') formAction += ` ${origin}`;
    }
  } catch {
    // Not an absolute URL: 'self' only.
  }
  return `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}

function html(body: string, status: number, redirectUri?: string): Response {
  return new Response(body, {
    status,
    headers: { ...PAGE_HEADERS, 'Content-Security-Policy': csp(redirectUri) },
  });
}

function json({ status, body }: JsonResult): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}

/** Like Django's request.POST: only form-encoded and multipart bodies populate it. */
async function readForm(c: Context): Promise<URLSearchParams> {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return new URLSearchParams(await c.req.text());
  if (type === 'multipart/form-data') {
    const form = new URLSearchParams();
    try {
      for (const [key, value] of await c.req.formData()) {
        if (typeof value === 'string') form.append(key, value);
      }
    } catch {
      // A malformed multipart body populates nothing.
    }
    return form;
  }
  return new URLSearchParams();
}

/** `Authorization: Basic base64(id:secret)`; anything else (e.g. `API-Key …`) is ignored. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export function createSimulator(core: SimulatorCore, options: SimulatorAppOptions = {}): Hono {
  const formAction = `${(options.basePath ?? '/sim').replace(/\/+$/, '')}/oauth2/authorize`;
  const app = new Hono();
  // Bounded whether the body announces its length or arrives chunked.
  app.use(
    bodyLimit({
      maxSize: SIM_MAX_BODY,
      onError: (c) => c.text('Request body larger than 64 KiB.', 413),
    }),
  );
  // Every answer is dated by the simulator's own clock, as a real server dates by its own: when
  // the clock is moved (expiry drills), clients can see it, as they would see a server's drift.
  app.use(async (c, next) => {
    await next();
    c.res.headers.set('Date', new Date(core.time()).toUTCString());
  });
  app.route('/_control', createControl(core));

  app.get(PANDADOC_PATHS.authorize, (c) => {
    const result = core.authorize(new URL(c.req.url).searchParams);
    if (result.kind === 'error') return html(errorPage(result), result.status);
    return html(consentPage(result, formAction), 200, result.request.redirectUri);
  });

  app.post(PANDADOC_PATHS.authorize, async (c) => {
    const form = await readForm(c);
    const result = core.decide(form, form.get('decision') === 'allow');
    if (result.kind === 'error') return html(errorPage(result), result.status);
    return new Response(null, {
      status: 302,
      headers: {
        Location: result.location,
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      },
    });
  });

  const tokenFaults = faultInjection(core, 'token');
  // PandaDoc accepts a trailing slash on the token endpoint.
  for (const path of [PANDADOC_PATHS.token, `${PANDADOC_PATHS.token}/`]) {
    app.use(path, tokenFaults);
    app.post(path, async (c) => {
      const form = await readForm(c);
      return json(core.token(form, parseBasicAuth(c.req.header('Authorization'))));
    });
    app.get(path, () =>
      json({
        status: 400,
        body: { error: 'invalid_request', error_description: 'Only POST requests allowed.' },
      }),
    );
  }

  app.use(PANDADOC_PATHS.currentMember, faultInjection(core, 'members'));
  app.get(PANDADOC_PATHS.currentMember, (c) =>
    json(core.currentMember(c.req.header('Authorization'))),
  );

  // Any other path: PandaDoc's API error shape (`{type, detail}`, as its 401 and 429 bodies),
  // with Django REST framework's default 404 detail (inferred).
  app.all('*', () => json({ status: 404, body: NOT_FOUND_BODY }));

  return app;
}
