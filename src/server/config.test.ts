/** Where the server listens: loadConfig's HOST and PORT rules. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { listen } from './listen.ts';
import { setup } from './securityHarness.ts';

describe('listening address (loadConfig)', () => {
  it('is 127.0.0.1 unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({}).origin).toBe('http://127.0.0.1:5173');
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).origin).toBe('http://0.0.0.0:8080');
    expect(loadConfig({ HOST: '::1' }).origin).toBe('http://[::1]:5173');
  });

  it('rejects a port that is not one', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be a port number/);
    expect(() => loadConfig({ PORT: 'http' })).toThrow(/PORT/);
  });

  it('the real server binds to the configured address only', async () => {
    const { app } = setup();
    const running = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    try {
      expect(running.server.address()).toMatchObject({ address: '127.0.0.1' });
    } finally {
      await running.close();
    }
  });
});
