import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { passthroughTarget } from './upstreams.ts';

const config = loadConfig({});
const SIM = 'http://127.0.0.1:5173/sim';
/** The pathname a request line turns into (what the server routes on). */
const parsed = (target: string) => new URL(target, 'http://127.0.0.1:5173');
const route = (target: string, cfg = config) => {
  const url = parsed(target);
  return passthroughTarget(cfg, url.pathname, url.search);
};

describe('passthroughTarget: where a pass-through call may go', () => {
  it.each([
    ['/oauth2/access_token', 'simulator', `${SIM}/oauth2/access_token`, true],
    ['/oauth2/access_token/', 'simulator', `${SIM}/oauth2/access_token/`, true],
    ['/public/v1/members/current', 'simulator', `${SIM}/public/v1/members/current`, false],
    ['/public/v1/documents?q=1&x=%2F', 'simulator', `${SIM}/public/v1/documents?q=1&x=%2F`, false],
    ['/us/oauth2/access_token', 'us', 'https://api.pandadoc.com/oauth2/access_token', true],
    ['/us/public/v1/documents', 'us', 'https://api.pandadoc.com/public/v1/documents', false],
    ['/eu/oauth2/access_token/', 'eu', 'https://api.pandadoc.eu/oauth2/access_token/', true],
    ['/eu/public/v2/x?a=b', 'eu', 'https://api.pandadoc.eu/public/v2/x?a=b', false],
  ])('%s → %s %s', (target, environment, url, token) => {
    expect(route(target)).toEqual({ environment, url, token });
  });

  it('DEFAULT_UPSTREAM picks the base for the unprefixed paths only', () => {
    const eu = loadConfig({ DEFAULT_UPSTREAM: 'eu' });
    expect(route('/public/v1/members/current', eu)?.url).toBe(
      'https://api.pandadoc.eu/public/v1/members/current',
    );
    expect(route('/us/public/v1/members/current', eu)?.environment).toBe('us');
  });

  it.each([
    '/',
    '/public',
    '/oauth2/authorize',
    '/oauth2/access_token/x',
    '/oauth2/access_tokens',
    '/PUBLIC/v1/members/current',
    '/us',
    '/us/',
    '/us/oauth2/authorize',
    '/sim/public/v1/members/current',
    '/simulator/public/v1/members/current',
    '/api/token',
    '/US/public/x',
  ])('%s is not a pass-through path', (target) => {
    expect(route(target)).toBeNull();
  });

  const hosts = new Set(['127.0.0.1:5173', 'api.pandadoc.com', 'api.pandadoc.eu']);
  it.each([
    '//evil.example/public/v1/members/current',
    '/public/../../evil.example/x',
    '/public/%2e%2e/%2e%2e/evil',
    '/public/.%2E/oauth2/authorize',
    '/public/%2F%2Fevil.example/x',
    '/public//evil.example/x',
    '/public/x@evil.example',
    '/public/x?@evil.example/',
    '/us//evil.example/public/x',
    '/us/public/..%2F..%2Fevil',
    '/eu/public/%5C%5Cevil.example',
    '/public/x#@evil.example',
    '/public/\u0000x',
    '/public/%00/x',
    '/public/\t/x',
  ])('%s stays on a fixed host, under its base', (target) => {
    const result = route(target);
    if (result === null) return;
    const url = new URL(result.url);
    expect(hosts.has(url.host)).toBe(true);
    expect(url.username + url.password).toBe('');
    expect(url.pathname).toMatch(/^(\/sim)?\/public\//);
  });

  it('a pathname that did not come from a URL parser (dot segments left in) is refused', () => {
    expect(passthroughTarget(config, '/public/../oauth2/authorize')).toBeNull();
    expect(passthroughTarget(config, '/us/public/../../x')).toBeNull();
  });
});
