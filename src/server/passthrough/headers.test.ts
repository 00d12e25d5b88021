import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, headerPairs, upstreamRequestHeaders } from './headers.ts';

describe('upstreamRequestHeaders: an allow-list of end-to-end headers', () => {
  it('passes what a PandaDoc client sends, in order, and nothing that steers or hops', () => {
    const sent = new Headers([
      ['Host', 'evil.example'],
      ['Authorization', 'API-Key abc'],
      ['Content-Type', 'application/json'],
      ['Connection', 'keep-alive, x-secret'],
      ['Keep-Alive', 'timeout=5'],
      ['Transfer-Encoding', 'chunked'],
      ['Upgrade', 'websocket'],
      ['TE', 'trailers'],
      ['Trailer', 'x'],
      ['Proxy-Authorization', 'Basic eA=='],
      ['X-Forwarded-Host', 'evil.example'],
      ['X-HTTP-Method-Override', 'DELETE'],
      ['Cookie', 'session=1'],
      ['Accept', 'application/json'],
      ['User-Agent', 'pandadoc-node-client'],
    ]);
    const raw = [...sent].flatMap(([name, value]) => [name.toUpperCase(), value]);
    expect(upstreamRequestHeaders(sent, raw)).toEqual(upstreamRequestHeaders(sent));
    expect(upstreamRequestHeaders(sent)).toEqual([
      ['accept', 'application/json'],
      ['authorization', 'API-Key abc'],
      ['content-type', 'application/json'],
      ['user-agent', 'pandadoc-node-client'],
    ]);
  });
});

describe('clientResponseHeaders', () => {
  const upstream = () =>
    new Headers([
      ['Content-Type', 'application/json'],
      ['Content-Length', '42'],
      ['Content-Encoding', 'gzip'],
      ['Connection', 'keep-alive, X-Per-Hop'],
      ['X-Per-Hop', '1'],
      ['Keep-Alive', 'timeout=5'],
      ['Transfer-Encoding', 'chunked'],
      ['Proxy-Authenticate', 'Basic'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
      ['Retry-After', '13'],
      ['Location', 'https://api.pandadoc.com/x'],
    ]);

  it('drops hop-by-hop headers, those Connection names included; keeps the rest', () => {
    expect(headerPairs(clientResponseHeaders(upstream(), false))).toEqual([
      ['content-encoding', 'gzip'],
      ['content-length', '42'],
      ['content-type', 'application/json'],
      ['location', 'https://api.pandadoc.com/x'],
      ['retry-after', '13'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
  });

  it('a body fetch has decoded loses its Content-Encoding and Content-Length', () => {
    const names = headerPairs(clientResponseHeaders(upstream(), true)).map(([n]) => n);
    expect(names).not.toContain('content-encoding');
    expect(names).not.toContain('content-length');
    expect(names).toContain('content-type');
  });
});
