/**
 * Names exactly how two redirect URIs differ. PandaDoc compares the redirect_uri character for
 * character with the app's registered one, so "it looks the same" is not good enough.
 * @see RFC 6749 §3.1.2
 */

export type RedirectUriPart =
  'scheme' | 'host' | 'port' | 'path' | 'trailing_slash' | 'query' | 'fragment' | 'text';

export interface RedirectUriDifference {
  part: RedirectUriPart;
  /** That part of the first URI, and of the second. */
  a: string;
  b: string;
  message: string;
}

function parse(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}

/** The port as written, or the scheme's default, so :80 vs nothing is named as a port difference. */
function writtenPort(raw: string, url: URL): string {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(raw)?.[1] ?? '';
  const match = /:(\d*)$/.exec(authority.replace(/^.*@/, '').replace(/^\[[^\]]*\]/, ''));
  return match ? `:${match[1]}` : url.port ? `:${url.port}` : '';
}

const show = (v: string) => (v === '' ? '(none)' : `"${v}"`);

/** Every difference between `a` and `b`; empty when they are the same string. */
export function compareRedirectUris(a: string, b: string): RedirectUriDifference[] {
  if (a === b) return [];
  const ua = parse(a);
  const ub = parse(b);
  if (!ua || !ub) {
    return [
      {
        part: 'text',
        a,
        b,
        message: `${!ua ? 'The first' : 'The second'} is not an absolute URL, and the two strings differ.`,
      },
    ];
  }
  const out: RedirectUriDifference[] = [];
  const add = (part: RedirectUriPart, va: string, vb: string, message: string) => {
    if (va !== vb) out.push({ part, a: va, b: vb, message });
  };
  add(
    'scheme',
    ua.protocol.replace(/:$/, ''),
    ub.protocol.replace(/:$/, ''),
    `Scheme: ${ua.protocol.replace(/:$/, '')} vs ${ub.protocol.replace(/:$/, '')}.`,
  );
  add(
    'host',
    ua.hostname,
    ub.hostname,
    `Host: ${ua.hostname} vs ${ub.hostname}${/^(localhost|127\.0\.0\.1|\[::1\])$/.test(ua.hostname) && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(ub.hostname) ? ' (both mean this machine, but they are different strings)' : ''}.`,
  );
  const pa = writtenPort(a, ua);
  const pb = writtenPort(b, ub);
  add('port', pa, pb, `Port: ${show(pa)} vs ${show(pb)}.`);
  const trimmed = (p: string) => p.replace(/\/+$/, '');
  if (ua.pathname !== ub.pathname) {
    if (trimmed(ua.pathname) === trimmed(ub.pathname)) {
      const which =
        ua.pathname.endsWith('/') && !ub.pathname.endsWith('/') ? 'the first' : 'the second';
      add(
        'trailing_slash',
        ua.pathname,
        ub.pathname,
        `Trailing slash: only ${which} ends the path with "/".`,
      );
    } else {
      add(
        'path',
        ua.pathname,
        ub.pathname,
        `Path: ${ua.pathname} vs ${ub.pathname}${ua.pathname.toLowerCase() === ub.pathname.toLowerCase() ? ' (differs only in letter case, which counts)' : ''}.`,
      );
    }
  }
  add('query', ua.search, ub.search, `Query: ${show(ua.search)} vs ${show(ub.search)}.`);
  add('fragment', ua.hash, ub.hash, `Fragment: ${show(ua.hash)} vs ${show(ub.hash)}.`);
  if (out.length === 0) {
    // Same URL once parsed, different text: case in the scheme or host, escapes, an empty port.
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    out.push({
      part: 'text',
      a,
      b,
      message: `They point to the same place but are written differently from character ${i + 1} ("${a.slice(i, i + 12)}" vs "${b.slice(i, i + 12)}"); PandaDoc compares the exact text.`,
    });
  }
  return out;
}
