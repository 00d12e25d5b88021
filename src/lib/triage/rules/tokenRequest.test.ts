import { describe, expect, it } from 'vitest';
import { SimSession, SIM_CLIENT } from '../fixtures.ts';
import { triage } from '../index.ts';
import { diagnose } from '../testHelpers.ts';

describe('triage: request problems', () => {
  it('wrong_secret: typed in the browser, and the client_id worked before', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    await s.exchange(code.value);
    const code2 = await s.authorize();
    const ex = await s.exchange(
      code2.value,
      { client_secret: 'typo-secret-value' },
      { secretSource: 'browser' },
    );
    s.secrets.add('typo-secret-value');
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({ error: 'invalid_client' });
    const d = await diagnose(await s.input('exchange', ex, { code: code2 }), s);
    expect(d.rule).toBe('wrong_secret');
    expect(d.cause).toMatch(/typed in this browser/);
    expect(d.cause).toMatch(/the secret is the suspect/);
    expect(d.evidence).toContain('client_secret source: typed in the browser');
  });

  it('wrong_secret: held by the server, on PandaDoc US, mentions the EU mix-up', async () => {
    const s = new SimSession();
    const ex = await s.exchange(
      'a'.repeat(40),
      { client_secret: 'x'.repeat(20) },
      { secretSource: 'server' },
    );
    const input = await s.input('exchange', ex);
    input.context.profile.environment = 'us';
    const d = await diagnose(input, s);
    expect(d.rule).toBe('wrong_secret');
    expect(d.cause).toMatch(/PANDADOC_US_CLIENT_SECRET/);
    expect(d.cause).toMatch(/app\.pandadoc\.eu/);
  });

  it('wrong_secret: no secret at all', async () => {
    const s = new SimSession();
    const ex = await s.token(
      'exchange',
      { grant_type: 'authorization_code', client_id: SIM_CLIENT.clientId, code: 'a'.repeat(40) },
      { secretSource: 'none' },
    );
    const d = await diagnose(await s.input('exchange', ex), s);
    expect(d.rule).toBe('wrong_secret');
    expect(d.cause).toMatch(/No client_secret was sent/);
  });

  it('bad_scope_name: quotes the scope PandaDoc rejected', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const ex = await s.exchange(code.value, { scope: 'read openid' });
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({
      error: 'invalid_request',
      error_description: "'openid' is not a valid scope.",
    });
    const d = await diagnose(await s.input('exchange', ex, { code }), s);
    expect(d.rule).toBe('bad_scope_name');
    expect(d.title).toBe('"openid" is not a PandaDoc scope');
    expect(d.cause).toMatch(/common elsewhere/);
    expect(d.evidence).toContain('scope sent (decoded): "read openid"');
  });

  it('scope_widened: asked for write after a read-only grant', async () => {
    const s = new SimSession();
    const code = await s.authorize({ scope: 'read' });
    const ex = await s.exchange(code.value, { scope: 'read+write' });
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({ error: 'invalid_scope' });
    const d = await diagnose(await s.input('exchange', ex, { code }), s);
    expect(d.rule).toBe('scope_widened');
    expect(d.evidence).toEqual(['scope sent (decoded): "read+write"']);
  });

  it('json_body: a JSON request gets "No grant_type"', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const body = JSON.stringify({
      grant_type: 'authorization_code',
      client_id: SIM_CLIENT.clientId,
      code: code.value,
    });
    const ex = await s.token('exchange', {}, { contentType: 'application/json', rawBody: body });
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({
      error: 'invalid_request',
      error_description: "No 'grant_type' included in the request.",
    });
    const d = triage(await s.input('exchange', ex, { code }));
    expect(d?.rule).toBe('json_body');
    expect(d?.cause).toMatch(/JSON body looks empty/);
    expect(d?.evidence[0]).toBe('Request Content-Type: application/json');
  });

  it('missing_field: invalid_request without description names the field', async () => {
    const s = new SimSession();
    const ex = await s.token('exchange', {
      grant_type: 'authorization_code',
      client_id: SIM_CLIENT.clientId,
      client_secret: SIM_CLIENT.clientSecret,
    });
    expect(JSON.parse(ex.response?.body ?? '')).toEqual({ error: 'invalid_request' });
    const d = await diagnose(await s.input('exchange', ex), s);
    expect(d.rule).toBe('missing_field');
    expect(d.title).toBe('The token request is missing code');
  });

  it('unsupported_grant_type', async () => {
    const s = new SimSession();
    const ex = await s.token('exchange', {
      grant_type: 'password',
      client_id: SIM_CLIENT.clientId,
    });
    const d = await diagnose(await s.input('exchange', ex), s);
    expect(d.rule).toBe('unsupported_grant_type');
    expect(d.cause).toContain('"password"');
  });
});
