/**
 * The error the official `pandadoc-node-client` SDK throws and customers paste: its ApiException
 * message is
 *   "HTTP-Code: " + code + "\nMessage: " + message + "\nBody: " + JSON.stringify(body) +
 *   "\nHeaders: " + JSON.stringify(headers)
 * (node_modules/pandadoc-node-client/dist/apis/exception.js). Loggers often fold it onto one line,
 * and `console.log(error)` puts "ApiException [Error]: " before it and a stack after.
 */
import type { Header, RecordedResponse } from '../api/wire.ts';
import { isRecord, tryParseJson } from '../oauth/guards.ts';

export interface SdkErrorParse {
  response: RecordedResponse;
  /** The SDK's own words for the status ("Bad Request", "Unknown API Status Code!"). */
  message: string;
}

const SDK_ERROR = /HTTP-Code:\s*(\d{3})\s+Message:\s*(.*?)\s+Body:\s*/s;

export function looksLikeSdkError(text: string): boolean {
  return SDK_ERROR.test(text);
}

export function parseSdkError(text: string): SdkErrorParse | null {
  const m = SDK_ERROR.exec(text);
  if (!m) return null;
  const rest = text.slice((m.index ?? 0) + m[0].length);
  const cut = rest.search(/\s+Headers:\s*(\{|undefined)/);
  const bodyText = (cut >= 0 ? rest.slice(0, cut) : (rest.split('\n')[0] ?? '')).trim();
  const headersText = cut >= 0 ? rest.slice(cut).replace(/^\s+Headers:\s*/, '') : '';
  // The body is JSON.stringify of what the SDK parsed: an object, or a string for a non-JSON answer.
  const parsedBody = tryParseJson(bodyText);
  const body =
    parsedBody.ok && typeof parsedBody.value === 'string'
      ? parsedBody.value
      : bodyText === 'undefined'
        ? ''
        : bodyText;
  const headers: Header[] = [];
  // Headers are one JSON object on one line; a stack trace may follow it.
  const headerJson = tryParseJson(headersText.split('\n')[0] ?? '');
  if (headerJson.ok && isRecord(headerJson.value)) {
    for (const [k, v] of Object.entries(headerJson.value))
      if (typeof v === 'string') headers.push([k, v]);
  }
  if (!headers.some(([k]) => k.toLowerCase() === 'content-type') && parsedBody.ok) {
    if (isRecord(parsedBody.value)) headers.push(['content-type', 'application/json']);
  }
  return {
    message: (m[2] ?? '').trim(),
    response: {
      status: Number(m[1]),
      statusText: (m[2] ?? '').trim(),
      headers,
      body,
      truncated: false,
    },
  };
}
