import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_IDS, environmentInfo, isEnvironmentId } from './environments.ts';

describe('environmentInfo', () => {
  it('points the simulator at /sim under the app origin', () => {
    const sim = environmentInfo('simulator', 'http://127.0.0.1:5173');
    expect(sim.label).toBe('Simulator (offline)');
    expect(sim.authorizeEndpoint).toBe('http://127.0.0.1:5173/sim/oauth2/authorize');
    expect(sim.tokenEndpoint).toBe('http://127.0.0.1:5173/sim/oauth2/access_token');
    expect(sim.apiBase).toBe('http://127.0.0.1:5173/sim');
  });

  it('tolerates a trailing slash on the app origin', () => {
    expect(environmentInfo('simulator', 'http://localhost:8080/').apiBase).toBe(
      'http://localhost:8080/sim',
    );
  });

  it('uses the real US hosts', () => {
    const us = environmentInfo('us', 'http://x');
    expect(us).toMatchObject({
      id: 'us',
      label: 'PandaDoc US',
      authorizeEndpoint: 'https://app.pandadoc.com/oauth2/authorize',
      tokenEndpoint: 'https://api.pandadoc.com/oauth2/access_token',
      apiBase: 'https://api.pandadoc.com',
    });
  });

  it('uses the real EU hosts', () => {
    const eu = environmentInfo('eu', 'http://x');
    expect(eu).toMatchObject({
      id: 'eu',
      label: 'PandaDoc EU',
      authorizeEndpoint: 'https://app.pandadoc.eu/oauth2/authorize',
      tokenEndpoint: 'https://api.pandadoc.eu/oauth2/access_token',
      apiBase: 'https://api.pandadoc.eu',
    });
  });

  it('gives every environment a description', () => {
    for (const id of ENVIRONMENT_IDS) {
      expect(environmentInfo(id, 'http://x').description.length).toBeGreaterThan(20);
    }
  });
});

describe('isEnvironmentId', () => {
  it('accepts the three ids only', () => {
    expect(ENVIRONMENT_IDS).toEqual(['simulator', 'us', 'eu']);
    for (const id of ENVIRONMENT_IDS) expect(isEnvironmentId(id)).toBe(true);
    for (const v of ['US', 'prod', '', null, undefined, 1, {}])
      expect(isEnvironmentId(v)).toBe(false);
  });
});

describe('environmentInfo: the whole record', () => {
  it('for each environment', () => {
    expect(environmentInfo('simulator', 'http://127.0.0.1:5173//')).toEqual({
      id: 'simulator',
      label: 'Simulator (offline)',
      authorizeEndpoint: 'http://127.0.0.1:5173/sim/oauth2/authorize',
      tokenEndpoint: 'http://127.0.0.1:5173/sim/oauth2/access_token',
      apiBase: 'http://127.0.0.1:5173/sim',
      description:
        'A built-in imitation of PandaDoc that runs inside this app. No account or network needed; it behaves like the real service, including its error bodies and quirks.',
    });
    expect(environmentInfo('us', 'http://x')).toEqual({
      id: 'us',
      label: 'PandaDoc US',
      authorizeEndpoint: 'https://app.pandadoc.com/oauth2/authorize',
      tokenEndpoint: 'https://api.pandadoc.com/oauth2/access_token',
      apiBase: 'https://api.pandadoc.com',
      description:
        'The real PandaDoc service, US region (the default). Use the client ID and secret of an app created in your PandaDoc developer dashboard.',
    });
    expect(environmentInfo('eu', 'http://x')).toEqual({
      id: 'eu',
      label: 'PandaDoc EU',
      authorizeEndpoint: 'https://app.pandadoc.eu/oauth2/authorize',
      tokenEndpoint: 'https://api.pandadoc.eu/oauth2/access_token',
      apiBase: 'https://api.pandadoc.eu',
      description:
        'The real PandaDoc service, EU region. Accounts and apps live in one region only, so US credentials will not work here.',
    });
  });
});
