import { describe, expect, it } from '@jest/globals';
import { buildForgeSettings } from '../../reconciler/cli/commands/serve.js';

const FLAGS = { repo: '/srv/cluster.git', branch: 'main', data: '/var/lib/plinth', listen: '127.0.0.1:8080', cluster: 'pub1', pollInterval: '60', notes: true, encServerName: [], encServerAddress: [], puppetServer: [] };
const TOKEN = 'glpat-flagTestToken123';

describe('plinth serve forge flags', () => {
  it('posts no statuses without --forge', () => {
    expect(buildForgeSettings(FLAGS, {})).toEqual({});
  });

  it('reads the token from the environment variable the flag names, and defaults GitHub to its public API', () => {
    expect(buildForgeSettings({ ...FLAGS, forge: 'github', forgeRepo: 'acme/pub1', forgeTokenEnv: 'FORGE_TOKEN' }, { FORGE_TOKEN: TOKEN })).toEqual({
      forge: { kind: 'github', baseUrl: 'https://api.github.com', project: 'acme/pub1', token: TOKEN },
    });
  });

  it('accepts a GitLab project id and needs the GitLab API root', () => {
    const flags = { ...FLAGS, forge: 'gitlab', forgeRepo: '42', forgeTokenEnv: 'FORGE_TOKEN' };
    expect(() => buildForgeSettings(flags, { FORGE_TOKEN: TOKEN })).toThrow('--forge-url must be the gitlab API root');
    expect(buildForgeSettings({ ...flags, forgeUrl: 'https://gitlab.example.com/api/v4' }, { FORGE_TOKEN: TOKEN }).forge).toMatchObject({ kind: 'gitlab', project: '42' });
  });

  it('refuses an unset token variable without printing any value', () => {
    const flags = { ...FLAGS, forge: 'gitea', forgeUrl: 'https://gitea.example.com/api/v1', forgeRepo: 'ops/pub1', forgeTokenEnv: 'FORGE_TOKEN' };
    expect(() => buildForgeSettings(flags, {})).toThrow('--forge-token-env must name a set environment variable holding the gitea token (FORGE_TOKEN is not set)');
    let message = '';
    try {
      buildForgeSettings({ ...flags, forgeTokenEnv: undefined }, { FORGE_TOKEN: TOKEN });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('--forge-token-env must name a set environment variable');
    expect(message).not.toContain(TOKEN);
  });

  it('refuses an unknown forge, a GitHub repository that is not owner/name, and forge flags without --forge', () => {
    expect(() => buildForgeSettings({ ...FLAGS, forge: 'bitbucket' }, {})).toThrow('--forge must be github, gitlab or gitea, got "bitbucket"');
    expect(() => buildForgeSettings({ ...FLAGS, forge: 'github', forgeRepo: 'pub1', forgeTokenEnv: 'T' }, { T: TOKEN })).toThrow('--forge-repo must be "owner/repo", got "pub1"');
    expect(() => buildForgeSettings({ ...FLAGS, forgeRepo: 'acme/pub1' }, {})).toThrow('need --forge');
  });
});
