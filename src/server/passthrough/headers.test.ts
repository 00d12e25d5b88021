import { describe, expect, it } from 'vitest';
import type { Header } from '../../lib/api/wire.ts';
import {
  clientResponseHeaders,
  HeaderList,
  headerPairs,
  upstreamRequestHeaders,
} from './headers.ts';

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

describe('HeaderList: the newest captured list itself, when the pairs are the same', () => {
  const previous: Header[] = [
    ['accept', 'application/json'],
    ['authorization', 'Bearer a'],
  ];
  const listOf = (pairs: Header[], before?: readonly Header[]) => {
    const list = new HeaderList(before);
    for (const [name, value] of pairs) list.add(name, value);
    return list.list();
  };

  it('is `previous` when every pair, and their number, is the same', () => {
    expect(listOf([...previous.map((p) => [...p] as Header)], previous)).toBe(previous);
  });

  it('is a list of its own for a value, a name or an order that differs, or a pair more or less', () => {
    const cases: Header[][] = [
      [previous[0], ['authorization', 'Bearer b']],
      [previous[0], ['Authorization', 'Bearer a']],
      [previous[1], previous[0]],
      [...previous, ['user-agent', 'curl/8']],
      [previous[0]],
      [],
    ];
    for (const pairs of cases) {
      const list = listOf(pairs, previous);
      expect(list, JSON.stringify(pairs)).not.toBe(previous);
      expect(list, JSON.stringify(pairs)).toEqual(pairs);
    }
  });

  it('without `previous`, lists what it is given', () => {
    expect(listOf(previous)).toEqual(previous);
    expect(listOf(previous)).not.toBe(previous);
  });

  it('is what upstreamRequestHeaders and clientResponseHeaders fill', () => {
    const sent = new Headers({ Authorization: 'Bearer a', Accept: 'application/json', Host: 'x' });
    const raw = ['Authorization', 'Bearer a', 'Accept', 'application/json', 'Host', 'x'];
    const first = upstreamRequestHeaders(sent, raw);
    expect(upstreamRequestHeaders(sent, raw, first)).toBe(first);
    // From a Headers object (an in-process request) as from raw headers: the same list itself.
    const fromHeaders = upstreamRequestHeaders(sent);
    expect(upstreamRequestHeaders(sent, undefined, fromHeaders)).toBe(fromHeaders);
    expect(upstreamRequestHeaders(sent, ['Authorization', 'Bearer b'], first)).toEqual([
      ['authorization', 'Bearer b'],
    ]);
    const answer = new Headers({ 'Content-Type': 'application/json', Date: 'd' });
    const received = new HeaderList();
    clientResponseHeaders(answer, false, received);
    const again = new HeaderList(received.list());
    clientResponseHeaders(answer, false, again);
    expect(again.list()).toBe(received.list());
    expect(again.list()).toEqual([
      ['content-type', 'application/json'],
      ['date', 'd'],
    ]);
  });
});
