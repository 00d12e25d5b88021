/** Show as code: a recorded call as the SDK, fetch and curl code that does the same step. */
import type { RecordedRequest, UpstreamExchange } from '../api/wire.ts';
import { toCurl } from '../curl.ts';
import { decodeRequestBody } from '../traffic/describe.ts';
import { codeStepOf, type CodeStep, type CodeStepOptions } from './step.ts';
import { fetchSnippet, sdkSnippet } from './typescript.ts';

export { ENV } from './step.ts';

export type CodeLanguage = 'sdk' | 'fetch' | 'curl';

export interface Snippets {
  /** null when the SDK has no single call for this path (the other tabs still do). */
  sdk: string | null;
  /** null for the consent screen: a browser's page, not code's. */
  fetch: string | null;
  curl: string;
}

/** The recorded URL with its base swapped for `step.baseUrl` (when one was asked for). */
function rebased(call: UpstreamExchange, step: CodeStep, asked: boolean): URL | null {
  try {
    const url = new URL(call.request.url);
    if (!asked) return url;
    const at = url.pathname.search(/\/(oauth2|public)\//);
    const rest = at < 0 ? url.pathname : url.pathname.slice(at);
    return new URL(`${step.baseUrl}${rest}${url.search}`);
  } catch {
    return null;
  }
}

/**
 * The request curl should send. A token call is always rebuilt as the form PandaDoc reads, its
 * fields gathered from wherever the client put them (a JSON body, the query string), so the
 * command works, and every secret in it becomes a $VARIABLE. Other calls go as recorded.
 */
function curlRequest(call: UpstreamExchange, step: CodeStep, asked: boolean): RecordedRequest {
  const url = rebased(call, step, asked);
  const request = url ? { ...call.request, url: url.href } : call.request;
  if ((step.kind !== 'exchange' && step.kind !== 'refresh') || !url) return request;
  const fields: [string, string][] = decodeRequestBody(call.request).fields.map((f) => [
    f.name,
    f.value,
  ]);
  for (const [name, value] of url.searchParams) fields.push([name, value]);
  url.search = '';
  return {
    method: 'POST',
    url: url.href,
    headers: [
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['Accept', 'application/json'],
    ],
    body: new URLSearchParams(fields).toString(),
  };
}

export function snippetsFor(call: UpstreamExchange, options: CodeStepOptions = {}): Snippets {
  const step = codeStepOf(call, options);
  const page = step.kind === 'authorize';
  return {
    sdk: page ? null : sdkSnippet(step),
    fetch: page ? null : fetchSnippet(step),
    curl: toCurl(curlRequest(call, step, options.baseUrl !== undefined)),
  };
}
