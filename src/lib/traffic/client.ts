/** Which kind of program sent a captured call, read from its User-Agent. */

export type ClientKind =
  | 'pandadoc-node-client'
  | 'pandadoc-python-client'
  | 'python'
  | 'curl'
  | 'node'
  | 'browser'
  | 'postman'
  | 'debugger'
  | 'other'
  | 'none';

export interface ClientInfo {
  kind: ClientKind;
  /** Short, for the list: "pandadoc-node-client 6.2.0", "python-requests 2.31", "curl 8.5". */
  label: string;
}

/** First match wins: the SDKs before the HTTP libraries they are built on. */
const PATTERNS: ReadonlyArray<[RegExp, ClientKind, (m: RegExpExecArray) => string]> = [
  [
    /pandadoc[_-]node[_-]client\/(\S+)/i,
    'pandadoc-node-client',
    (m) => `pandadoc-node-client ${m[1]}`,
  ],
  [
    /pandadoc[_-]python[_-]client\/(\S+)/i,
    'pandadoc-python-client',
    (m) => `pandadoc-python-client ${m[1]}`,
  ],
  [/OpenAPI-Generator\/\S+\/python/i, 'pandadoc-python-client', () => 'pandadoc-python-client'],
  [
    /python-(requests|httpx|urllib3)\/(\S+)/i,
    'python',
    (m) => `python-${m[1]?.toLowerCase()} ${m[2]}`,
  ],
  [/aiohttp\/(\S+)/i, 'python', (m) => `python aiohttp ${m[1]}`],
  [/Python-urllib\/(\S+)/i, 'python', (m) => `python urllib ${m[1]}`],
  [/^curl\/(\S+)/i, 'curl', (m) => `curl ${m[1]}`],
  [/PostmanRuntime\/(\S+)/i, 'postman', (m) => `Postman ${m[1]}`],
  [
    /^(node-fetch|undici|axios|got|node)\b(?:\/(\S+))?/i,
    'node',
    (m) => (m[2] ? `${m[1]} ${m[2]}` : (m[1] ?? 'node')),
  ],
  [
    /\b(Firefox|Edg|Chrome|Safari)\/(\d+)/,
    'browser',
    (m) => `browser (${m[1] === 'Edg' ? 'Edge' : m[1]} ${m[2]})`,
  ],
  [/^Mozilla\//, 'browser', () => 'browser'],
];

export function clientOf(userAgent: string | null | undefined): ClientInfo {
  const ua = (userAgent ?? '').trim();
  if (ua === '') return { kind: 'none', label: 'no User-Agent' };
  for (const [pattern, kind, label] of PATTERNS) {
    const m = pattern.exec(ua);
    if (m) return { kind, label: label(m) };
  }
  // Unknown programs keep their own first word, shortened: "Go-http-client/1.1", "okhttp/4.12".
  const first = ua.split(/\s/)[0] ?? ua;
  return { kind: 'other', label: first.length > 40 ? `${first.slice(0, 40)}…` : first };
}
