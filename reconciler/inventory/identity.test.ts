import { describe, expect, it } from '@jest/globals';
import { chooseIdentity, isPlaceholder } from './identity.js';

const blank = { chassisSerial: '', systemSerial: '', boardSerial: '', systemUuid: '', macs: [] };

describe('isPlaceholder', () => {
  it.each(['To Be Filled By O.E.M.', 'Default string', 'System Serial Number', 'Not Specified', '0123456789', '--', '00000000', 'None', '', '   ', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '00000000-0000-0000-0000-000000000000', 'Default_String'])(
    'treats %j as a placeholder',
    (value) => expect(isPlaceholder(value)).toBe(true),
  );

  it.each(['CZ20420ABC', '7X02CTO1WW-J30012AB', '4c4c4544-0037-3510-8048-b4c04f4e4d32'])('keeps %j as a real value', (value) =>
    expect(isPlaceholder(value)).toBe(false),
  );
});

describe('chooseIdentity', () => {
  it('prefers the chassis serial', () => {
    const identity = chooseIdentity({ ...blank, chassisSerial: 'CH123', systemSerial: 'SY456', boardSerial: 'BO789' });
    expect(identity).toEqual({ id: 'CH123', source: 'chassis-serial', placeholdersSkipped: [] });
  });

  it('skips placeholder serials and says which ones', () => {
    const identity = chooseIdentity({ ...blank, chassisSerial: 'To Be Filled By O.E.M.', systemSerial: 'Default string', boardSerial: 'BO789' });
    expect(identity.source).toBe('board-serial');
    expect(identity.id).toBe('BO789');
    expect(identity.placeholdersSkipped).toEqual(['chassis-serial: "To Be Filled By O.E.M."', 'system-serial: "Default string"']);
  });

  it('uses the system UUID, lowercased, when no serial is usable', () => {
    const identity = chooseIdentity({ ...blank, systemUuid: '4C4C4544-0037-3510-8048-B4C04F4E4D32' });
    expect(identity).toMatchObject({ id: '4c4c4544-0037-3510-8048-b4c04f4e4d32', source: 'system-uuid' });
  });

  it('skips an all-F UUID and falls back to the lowest MAC, whatever the interface order', () => {
    const identity = chooseIdentity({ ...blank, systemUuid: 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', macs: ['3c:fd:fe:00:00:02', '3C:FD:FE:00:00:01'] });
    expect(identity).toMatchObject({ id: '3c:fd:fe:00:00:01', source: 'mac' });
  });
});
