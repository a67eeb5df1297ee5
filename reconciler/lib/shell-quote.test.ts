import { describe, expect, it } from '@jest/globals';
import { runCommand } from './command.js';
import { joinShellWords, quoteShellWord } from './shell-quote.js';

describe('quoteShellWord', () => {
  it('leaves plain paths readable', () => {
    expect(quoteShellWord('/dev/disk/by-id/wwn-0x5000c500a1b2c3d4')).toBe('/dev/disk/by-id/wwn-0x5000c500a1b2c3d4');
  });

  it('survives a real shell unchanged, whatever the word holds', async () => {
    const words = ["it's", 'a b', '$(reboot)', '`id`', '"quoted"', '', 'new\nline', '*'];

    const result = await runCommand('sh', ['-c', `printf '%s\\0' ${joinShellWords(words)}`]);

    expect(result.stdout.split('\0').slice(0, -1)).toEqual(words);
  });
});
