import { describe, expect, it } from '@jest/globals';
import { cluster } from '../../tests/inventory/desired-fixture.js';
import { sampleInventory } from '../../tests/support/sample-inventory.js';
import type { PeerFlag } from './classification.js';
import { findPeerFlags, selectQuarantineFlags, type PeerMember } from './peer-flags.js';
import type { Inventory } from './types.js';

const GIB = 1024 ** 3;

function group(odd: (inventory: Inventory) => void, size = 3): PeerMember[] {
  return Array.from({ length: size }, (_, index) => {
    const inventory = sampleInventory(`CZ${index}`);
    if (index === 0) odd(inventory);
    return { nodeId: `CZ${index}`, inventory };
  });
}

function flagsOf(members: PeerMember[], nodeId = 'CZ0', minGroupSize?: number): PeerFlag[] {
  return findPeerFlags(members, minGroupSize === undefined ? {} : { minGroupSize }).get(nodeId) ?? [];
}

describe('findPeerFlags', () => {
  it('gives no flag to machines that look alike', () => {
    const flags = findPeerFlags(group(() => undefined));
    expect([...flags.values()]).toEqual([[], [], []]);
  });

  it('flags fewer DIMMs and less memory than the majority', () => {
    const members = group((inventory) => {
      inventory.memory.dimms = inventory.memory.dimms.slice(0, 8);
      inventory.memory.totalBytes = 128 * GIB;
    });
    expect(flagsOf(members)).toEqual([
      { flag: 'fewer-dimms', message: 'has 8 DIMMs where its peers have 16 DIMMs', observed: '8 DIMMs', peers: '16 DIMMs on 2 of 3 machines' },
      { flag: 'less-memory', message: 'has 128 GiB of memory where its peers have 256 GiB', observed: '128 GiB', peers: '256 GiB on 2 of 3 machines' },
    ]);
    expect(flagsOf(members, 'CZ1')).toEqual([]);
  });

  it('flags a missing disk', () => {
    expect(flagsOf(group((inventory) => inventory.disks.pop())).map((flag) => [flag.flag, flag.message])).toEqual([
      ['missing-disk', 'has 1 disk where its peers have 2 disks'],
    ]);
  });

  it('flags a slower NIC by the slowest link of each machine', () => {
    const flags = flagsOf(group((inventory) => {
      inventory.nics[1] = { name: 'eno2', mac: '02:00:00:00:00:02', speedMbps: 1000 };
    }));
    expect(flags.map((flag) => [flag.flag, flag.message])).toEqual([['slower-nic', "its slowest NIC runs at 1 Gb/s where its peers' slowest run at 10 Gb/s"]]);
  });

  it('flags a different BIOS version and a different CPU model', () => {
    const flags = flagsOf(group((inventory) => {
      inventory.bios.version = '2.19.1';
      inventory.cpus = inventory.cpus.map((cpu) => ({ ...cpu, model: 'Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz' }));
    }));
    expect(flags.map((flag) => [flag.flag, flag.observed])).toEqual([
      ['bios-version', '2.19.1'],
      ['cpu-model', 'Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz ×2'],
    ]);
  });

  it('does not flag more memory than the peers', () => {
    const members = group((inventory) => {
      inventory.memory.totalBytes = 512 * GIB;
    });
    expect(flagsOf(members)).toEqual([]);
  });

  it('compares nothing in a group of two unless a smaller group size is configured', () => {
    const members = group((inventory) => {
      inventory.bios.version = '9.9.9';
    }, 2);
    expect(flagsOf(members)).toEqual([]);
    // Two machines, two versions: still no majority to call either one the odd one.
    expect(flagsOf(members, 'CZ0', 2)).toEqual([]);
    const three = group((inventory) => {
      inventory.bios.version = '9.9.9';
    }, 3);
    expect(flagsOf(three, 'CZ0', 4)).toEqual([]);
  });

  it('leaves a machine out of a comparison it has no data for', () => {
    const flags = flagsOf(group((inventory) => {
      inventory.bios.version = '';
      inventory.nics = inventory.nics.map(({ speedMbps: _speed, ...nic }) => nic);
    }));
    expect(flags).toEqual([]);
  });
});

describe('selectQuarantineFlags', () => {
  it('keeps only the flags whose category the Cluster quarantines', () => {
    const flags = flagsOf(group((inventory) => {
      inventory.memory.dimms = inventory.memory.dimms.slice(0, 8);
      inventory.bios.version = '0.1';
    }));
    expect(selectQuarantineFlags(flags, cluster(['memory-outlier'])).map((flag) => flag.flag)).toEqual(['fewer-dimms']);
    expect(selectQuarantineFlags(flags, cluster(['firmware-outlier', 'cpu-outlier'])).map((flag) => flag.flag)).toEqual(['bios-version']);
    expect(selectQuarantineFlags(flags, cluster([]))).toEqual([]);
  });
});
