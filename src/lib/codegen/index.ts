/** Show as code: a recorded call as the SDK, fetch and curl code that does the same step. */
import type { UpstreamExchange } from '../api/wire.ts';
import { toCurl } from '../curl.ts';
import { codeStepOf, type CodeStepOptions } from './step.ts';
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

export function snippetsFor(call: UpstreamExchange, options: CodeStepOptions = {}): Snippets {
  const step = codeStepOf(call, options);
  let request = call.request;
  if (options.baseUrl) {
    try {
      const url = new URL(call.request.url);
      const at = url.pathname.search(/\/(oauth2|public)\//);
      const rest = at < 0 ? url.pathname : url.pathname.slice(at);
      request = { ...request, url: `${step.baseUrl}${rest}${url.search}` };
    } catch {
      // Keep the URL as recorded.
    }
  }
  const page = step.kind === 'authorize';
  return {
    sdk: page ? null : sdkSnippet(step),
    fetch: page ? null : fetchSnippet(step),
    curl: toCurl(request),
  };
}
