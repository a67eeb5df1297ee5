import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { listEncSecrets, resolveEncSecrets, secretPlaceholder } from './enc-secrets.js';
import { renderEncYaml } from './render-enc.js';

const encYaml = renderEncYaml({
  environment: 'production',
  classes: { 'plinth::role::controller': { keystone_admin_password: secretPlaceholder('keystone_admin_password'), rabbit: secretPlaceholder('rabbitmq_password') } },
  parameters: {},
});

describe('ENC secrets', () => {
  it('lists the secrets an ENC refers to', () => {
    expect(listEncSecrets(encYaml)).toEqual(['keystone_admin_password', 'rabbitmq_password']);
  });

  it('resolves placeholders into valid YAML, whatever characters the secret holds', () => {
    const secrets: Record<string, string> = { keystone_admin_password: 'p"a\\ss\nword: #1', rabbitmq_password: 'r4bb1t' };

    const resolved = resolveEncSecrets(encYaml, (name) => secrets[name]);

    expect(parse(resolved)).toEqual({ environment: 'production', classes: { 'plinth::role::controller': { keystone_admin_password: 'p"a\\ss\nword: #1', rabbit: 'r4bb1t' } }, parameters: {} });
  });

  it('fails naming the missing secret, and never shows a known value', () => {
    let thrown: unknown;
    try {
      resolveEncSecrets(encYaml, (name) => (name === 'rabbitmq_password' ? 'r4bb1t' : undefined));
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toMatchObject({ code: 'ENC_SECRET_MISSING', details: { secrets: ['keystone_admin_password'] } });
    expect(String((thrown as Error).message)).not.toContain('r4bb1t');
  });
});
