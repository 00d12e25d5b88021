/** Recognises the shape of pasted callback input: a URL, a query string, a bare code, or junk. */
import { preview } from './guards.ts';

export interface GarbageFailure {
  ok: false;
  code: 'garbage';
  message: string;
  hint: string;
}

const garbage = (message: string, hint: string): GarbageFailure => ({
  ok: false,
  code: 'garbage',
  message,
  hint,
});

const BARE_CODE = /^[A-Za-z0-9\-._~]{8,512}$/;
const PANDADOC_CODE = /^[0-9a-f]{40}$/;
const URL_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Warnings about a code that PandaDoc would not have issued (it issues 40 lowercase hex characters). */
export function codeShapeWarnings(code: string): string[] {
  if (PANDADOC_CODE.test(code)) return [];
  if (/^[0-9a-fA-F]{40}$/.test(code)) {
    return [
      'PandaDoc codes are 40 lowercase hex characters; this one has uppercase letters, so it was ' +
        'probably retyped or changed. The exchange will likely fail with invalid_grant.',
    ];
  }
  return [
    `PandaDoc codes are 40 lowercase hex characters; this one is ${code.length} characters` +
      (/^[0-9a-f]+$/.test(code)
        ? '. Check that nothing was cut off when copying.'
        : ' and not all hex. Check you copied the code and nothing else.'),
  ];
}

/** Why a non-URL, non-query input cannot be a code, in words a user can act on. */
export function describeGarbage(text: string): GarbageFailure {
  const hint =
    'Paste the full address from the browser bar after PandaDoc redirected you (it contains code=), or just the code itself.';
  if (text.startsWith('<')) {
    return garbage(
      'That looks like HTML (it starts with "<"), not a redirect URL or a code.',
      hint,
    );
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    return garbage(
      "That looks like JSON. The authorization code arrives in the redirect URL's query, not in a JSON body.",
      hint,
    );
  }
  if (/\s/.test(text)) {
    return garbage(
      `That looks like text with spaces ("${preview(text)}"), not a URL, query string or code.`,
      hint,
    );
  }
  if (text.length < 8) {
    return garbage(
      `"${preview(text)}" is only ${text.length} characters; too short to be a code.`,
      hint,
    );
  }
  if (text.length > 512) {
    return garbage(`That is ${text.length} characters; far too long to be a code.`, hint);
  }
  return garbage(
    `"${preview(text)}" contains characters a code never has (codes use letters, digits, - . _ ~ only).`,
    hint,
  );
}

export type ExtractedCallback =
  | { kind: 'params'; params: URLSearchParams; source: 'url' | 'query'; warnings: string[] }
  | { kind: 'bare'; code: string }
  | { kind: 'fail'; failure: GarbageFailure };

/** Recognises a full URL (any origin), a query string (`?a=b` or `a=b&…`) or a bare code. */
export function extractCallbackParams(text: string): ExtractedCallback {
  if (URL_WITH_SCHEME.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { kind: 'fail', failure: describeGarbage(text) };
    }
    const fromFragment = new URLSearchParams(url.hash.slice(1));
    const inQuery = url.searchParams.has('code') || url.searchParams.has('error');
    if (!inQuery && (fromFragment.has('code') || fromFragment.has('error'))) {
      const warning =
        'The parameters were in the #fragment, not the query. PandaDoc puts them in the query, so ' +
        'something rewrote this URL on the way.';
      return { kind: 'params', params: fromFragment, source: 'url', warnings: [warning] };
    }
    return { kind: 'params', params: url.searchParams, source: 'url', warnings: [] };
  }
  if (/\s/.test(text) || text.startsWith('<') || text.startsWith('{') || text.startsWith('[')) {
    return { kind: 'fail', failure: describeGarbage(text) };
  }
  const q = text.indexOf('?');
  if (q >= 0 || text.includes('=')) {
    // A URL without a scheme ("localhost:5173/callback?code=…") or a bare query string.
    const query = (q >= 0 ? text.slice(q + 1) : text).split('#')[0] ?? '';
    return {
      kind: 'params',
      params: new URLSearchParams(query),
      source: q > 0 ? 'url' : 'query',
      warnings: [],
    };
  }
  if (BARE_CODE.test(text)) return { kind: 'bare', code: text };
  return { kind: 'fail', failure: describeGarbage(text) };
}
