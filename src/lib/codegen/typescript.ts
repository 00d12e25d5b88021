/**
 * A step as TypeScript for Node 18+: with the official `pandadoc-node-client` SDK, or with plain
 * `fetch`. Each snippet runs as it is (`node --import tsx snippet.ts`, or as an .mts file) and
 * prints the answer as one JSON line: `{ "status": 200, "body": … }`. Secrets come from
 * environment variables, never from the snippet.
 */
import { ENV, jsString, type CodeStep } from './step.ts';

const ENV_HELPER = `/** Reads a secret from the environment: it never belongs in the code. */
function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(\`Set \${name} first (export \${name}=…)\`);
  return value;
}`;

function baseUrl(step: CodeStep): string {
  return `process.env.${ENV.baseUrl} ?? ${jsString(step.baseUrl)}`;
}

function clientId(step: CodeStep): string {
  return step.clientId
    ? `process.env.${ENV.clientId} ?? ${jsString(step.clientId)}`
    : `env('${ENV.clientId}')`;
}

function varsComment(step: CodeStep): string {
  const vars: string[] =
    step.kind === 'exchange'
      ? [ENV.clientSecret, ENV.code]
      : step.kind === 'refresh'
        ? [ENV.clientSecret, ENV.refreshToken]
        : [ENV.accessToken];
  if (!step.clientId && step.kind !== 'verify' && step.kind !== 'api') vars.unshift(ENV.clientId);
  return `// Set first: ${vars.join(', ')} (and ${ENV.baseUrl} to call another server).`;
}

const TITLE: Record<CodeStep['kind'], string> = {
  exchange: 'Exchange an authorization code for tokens (each code works once, for 10 minutes).',
  refresh:
    'Refresh: the answer has a new refresh token, and the old pair dies at once. Store it first.',
  verify: 'Whose token is this? GET /public/v1/members/current with the access token.',
  api: 'The same API call.',
  authorize: 'The consent screen: open it in a browser.',
};

function tokenArgs(step: CodeStep, style: 'sdk' | 'form'): string[] {
  const name = (sdk: string, form: string) => (style === 'sdk' ? sdk : form);
  const lines = [
    `${name('grantType', 'grant_type')}: '${step.kind === 'refresh' ? 'refresh_token' : 'authorization_code'}',`,
    `${name('clientId', 'client_id')}: ${clientId(step)},`,
    `${name('clientSecret', 'client_secret')}: env('${ENV.clientSecret}'),`,
    step.kind === 'refresh'
      ? `${name('refreshToken', 'refresh_token')}: env('${ENV.refreshToken}'),`
      : `code: env('${ENV.code}'),`,
  ];
  if (step.scope !== null) lines.push(`scope: ${jsString(step.scope)},`);
  return lines;
}

const indent = (lines: string[], n: number) => lines.map((l) => ' '.repeat(n) + l).join('\n');

/** TypeScript with the official SDK; null for calls the SDK has no single method for here. */
export function sdkSnippet(step: CodeStep): string | null {
  const header = [
    `// ${TITLE[step.kind]}`,
    varsComment(step),
    '// npm install pandadoc-node-client',
  ];
  if (step.kind === 'exchange' || step.kind === 'refresh') {
    return `${header.join('\n')}
import {
  ApiException,
  createConfiguration,
  OAuth20AuthenticationApi,
  ServerConfiguration,
} from 'pandadoc-node-client';

${ENV_HELPER}

// No apiKey here: the SDK would send it as an Authorization header on the token call.
const config = createConfiguration({
  baseServer: new ServerConfiguration<Record<string, string>>(${baseUrl(step)}, {}),
});

try {
  const tokens = await new OAuth20AuthenticationApi(config).accessToken({
${indent(tokenArgs(step, 'sdk'), 4)}
  });
  console.log(JSON.stringify({ status: 200, body: tokens }));
} catch (error) {
  if (!(error instanceof ApiException)) throw error;
  // PandaDoc answers every token error with 400, e.g. { error: 'invalid_grant' }.
  console.log(JSON.stringify({ status: error.code, body: error.body }));
}
`;
  }
  if (step.kind === 'verify') {
    return `${header.join('\n')}
import {
  ApiException,
  createConfiguration,
  MembersApi,
  ServerConfiguration,
} from 'pandadoc-node-client';

${ENV_HELPER}

const config = createConfiguration({
  baseServer: new ServerConfiguration<Record<string, string>>(${baseUrl(step)}, {}),
  authMethods: { oauth2: { accessToken: env('${ENV.accessToken}') } },
});

try {
  const member = await new MembersApi(config).detailsCurrentMember();
  console.log(JSON.stringify({ status: 200, body: member }));
} catch (error) {
  if (!(error instanceof ApiException)) throw error;
  // 401 { type: 'authentication_error' }: the token is unknown, expired or replaced by a refresh.
  console.log(JSON.stringify({ status: error.code, body: error.body }));
}
`;
  }
  return null;
}

/** TypeScript with Node's built-in fetch (Node 18+), no dependency. */
export function fetchSnippet(step: CodeStep): string {
  const header = [`// ${TITLE[step.kind]}`, varsComment(step), '// Node 18+: fetch is built in.'];
  if (step.kind === 'exchange' || step.kind === 'refresh') {
    return `${header.join('\n')}

${ENV_HELPER}

const baseUrl = ${baseUrl(step)};
// A form body (application/x-www-form-urlencoded): PandaDoc reads nothing else, not JSON.
const res = await fetch(\`\${baseUrl}/oauth2/access_token\`, {
  method: 'POST',
  headers: { Accept: 'application/json' },
  body: new URLSearchParams({
${indent(tokenArgs(step, 'form'), 4)}
  }),
});
console.log(JSON.stringify({ status: res.status, body: await res.json() }));
`;
  }
  const path = step.kind === 'verify' ? '/public/v1/members/current' : step.path;
  const method = step.kind === 'verify' ? 'GET' : step.method;
  return `${header.join('\n')}

${ENV_HELPER}

const baseUrl = ${baseUrl(step)};
const res = await fetch(\`\${baseUrl}${path.replace(/[`\\$]/g, '\\$&')}\`, {
  method: ${jsString(method)},
  headers: { Accept: 'application/json', Authorization: \`Bearer \${env('${ENV.accessToken}')}\` },
});
const text = await res.text();
let body: unknown = text;
try {
  body = JSON.parse(text);
} catch {
  // Not JSON: printed as it came.
}
console.log(JSON.stringify({ status: res.status, body }));
`;
}
