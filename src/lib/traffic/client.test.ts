import { describe, expect, it } from 'vitest';
import { clientOf } from './client.ts';

describe('clientOf', () => {
  it.each([
    ['pandadoc_node_client/6.2.0', 'pandadoc-node-client', 'pandadoc-node-client 6.2.0'],
    ['pandadoc-python-client/7.1.0', 'pandadoc-python-client', 'pandadoc-python-client 7.1.0'],
    ['OpenAPI-Generator/6.0.0/python', 'pandadoc-python-client', 'pandadoc-python-client'],
    ['python-requests/2.31.0', 'python', 'python-requests 2.31.0'],
    ['python-httpx/0.27.0', 'python', 'python-httpx 0.27.0'],
    ['Python/3.12 aiohttp/3.9.5', 'python', 'python aiohttp 3.9.5'],
    ['Python-urllib/3.11', 'python', 'python urllib 3.11'],
    ['curl/8.5.0', 'curl', 'curl 8.5.0'],
    ['PostmanRuntime/7.39.0', 'postman', 'Postman 7.39.0'],
    ['node', 'node', 'node'],
    ['node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 'node', 'node-fetch 1.0'],
    ['axios/1.7.2', 'node', 'axios 1.7.2'],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'browser',
      'browser (Chrome 131)',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
      'browser',
      'browser (Firefox 128)',
    ],
    ['Go-http-client/1.1', 'other', 'Go-http-client/1.1'],
    ['', 'none', 'no User-Agent'],
  ])('%j → %s', (ua, kind, label) => {
    expect(clientOf(ua)).toEqual({ kind, label });
  });

  it('says so when there is no User-Agent at all', () => {
    expect(clientOf(null).kind).toBe('none');
  });
});
