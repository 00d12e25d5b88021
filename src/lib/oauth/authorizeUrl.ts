/** Builds the browser URL for step 2 (authorize), with a plain-language note on every parameter. */

export interface AuthorizeRequest {
  authorizeEndpoint: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string;
}

export interface ExplainedParam {
  name: string;
  value: string;
  explanation: string;
  ignoredByPandaDoc?: boolean;
}

/**
 * Percent-encodes a scope the way PandaDoc's docs write it (`scope=read+write`): spaces become `+`
 * and a literal `+` stays `+`. Both form-decode to "read write", which grants the same as "read+write".
 */
export function encodeScopeForQuery(scope: string): string {
  // The scope field holds what goes after `scope=`, as people copy it from docs and URLs: spaces
  // become +, and escapes already there (read%2Bwrite, read%20write) are kept, not escaped again.
  return scope
    .replace(/ /g, '+')
    .replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~+%!*'()]/g, (c) => encodeURIComponent(c));
}

/**
 * The authorize URL plus an explanation of each parameter, in the order they appear.
 * @see RFC 6749 §4.1.1
 * @see https://developers.pandadoc.com/reference/authentication-process
 */
export function buildAuthorizeUrl(req: AuthorizeRequest): {
  url: string;
  params: ExplainedParam[];
} {
  const params: ExplainedParam[] = [
    {
      name: 'client_id',
      value: req.clientId,
      explanation:
        'Identifies your app; copy it from the PandaDoc developer dashboard. An unknown client ID ' +
        'shows an error page and never redirects back.',
    },
    {
      name: 'redirect_uri',
      value: req.redirectUri,
      explanation:
        "Where PandaDoc sends the user back with the code. It must match your app's settings " +
        'exactly (scheme, host, port, path, trailing slash), or PandaDoc shows an error page instead.',
    },
    {
      name: 'scope',
      value: req.scope,
      explanation:
        'What the app may do: read, write or read+write. "read+write" and "read write" grant the ' +
        'same; anything else (e.g. openid) is rejected, and leaving it out grants read only.',
    },
    {
      name: 'response_type',
      value: 'code',
      explanation:
        'Always "code": PandaDoc only supports the authorization-code flow, where a short-lived code ' +
        'comes back in the redirect and is exchanged for tokens server-side.',
    },
    {
      name: 'state',
      value: req.state,
      explanation:
        'A random value, checked when the code comes back to stop CSRF and mixed-up responses. ' +
        'PandaDoc echoes it unchanged (even when it is empty).',
    },
    {
      name: 'code_challenge',
      value: req.codeChallenge,
      explanation:
        'PKCE (RFC 7636): a hash of a secret kept in this browser. PandaDoc documents no PKCE and ' +
        'ignores it; it is sent so you can see how it works — the client_secret is what protects the exchange.',
      ignoredByPandaDoc: true,
    },
    {
      name: 'code_challenge_method',
      value: 'S256',
      explanation:
        'Says the challenge is SHA-256 of the verifier (RFC 7636 §4.3). Ignored by PandaDoc, like ' +
        'code_challenge.',
      ignoredByPandaDoc: true,
    },
  ];

  const query = params
    .map(({ name, value }) =>
      name === 'scope'
        ? `${name}=${encodeScopeForQuery(value)}`
        : `${name}=${encodeURIComponent(value)}`,
    )
    .join('&');
  const separator = req.authorizeEndpoint.includes('?') ? '&' : '?';
  return { url: `${req.authorizeEndpoint}${separator}${query}`, params };
}
