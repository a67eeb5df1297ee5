/**
 * Parses `lspci -vvnn` (verbose, the device header line followed by tab-indented detail lines) and
 * `lspci -nnmm` (machine-readable, one quoted line per device) into PCI functions. The two are told apart
 * line by line, so either format, or a mix, parses.
 */
export interface PciFunction {
  /** Full address with its PCI domain, e.g. `0000:18:00.0` (lspci omits domain 0000 unless asked). */
  address: string;
  vendorId: string;
  deviceId: string;
  class: string;
  className: string;
  /** Vendor and device names as lspci printed them (`-vvnn` joins the two, so they cannot be split reliably). */
  description: string;
  vendorName?: string;
  deviceName?: string;
  subsystemVendorId?: string;
  subsystemDeviceId?: string;
  driver?: string;
}

// 18:00.0 3D controller [0302]: NVIDIA Corporation GP100GL [Tesla P100 SXM2 16GB] [10de:15f9] (rev a1)
const VERBOSE_HEADER =
  /^((?:[0-9a-f]{4,}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) (.*?) \[([0-9a-f]{4})\]: (.*) \[([0-9a-f]{4}):([0-9a-f]{4})\](?: \(rev [0-9a-f]+\))?(?: \(prog-if .*\))?$/i;
// 18:00.0 "3D controller [0302]" "NVIDIA Corporation [10de]" "GP100GL [15f9]" -ra1 "NVIDIA Corporation [10de]" "Device [116b]"
const MACHINE_LINE = /^((?:[0-9a-f]{4,}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) "(.*?) \[([0-9a-f]{4})\]" "(.*?) ?\[([0-9a-f]{4})\]" "(.*?) ?\[([0-9a-f]{4})\]"(.*)$/i;
const SUBSYSTEM_LINE = /^\tSubsystem: .*\[([0-9a-f]{4}):([0-9a-f]{4})\]\s*$/i;
const DRIVER_LINE = /^\tKernel driver in use: (\S+)/;
const MACHINE_SUBSYSTEM = /"(?:.*?) ?\[([0-9a-f]{4})\]" "(?:.*?) ?\[([0-9a-f]{4})\]"\s*$/i;

export function parseLspci(text: string): PciFunction[] {
  const devices: PciFunction[] = [];
  let current: PciFunction | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.startsWith('\t')) {
      if (current) readDetailLine(current, line);
      continue;
    }
    current = parseMachineLine(line) ?? parseVerboseHeader(line);
    if (current) devices.push(current);
  }
  return devices;
}

function withDomain(address: string): string {
  return (address.split(':').length === 2 ? `0000:${address}` : address).toLowerCase();
}

function parseVerboseHeader(line: string): PciFunction | undefined {
  const match = VERBOSE_HEADER.exec(line);
  if (!match) return undefined;
  const [, address = '', className = '', classCode = '', description = '', vendorId = '', deviceId = ''] = match;
  return {
    address: withDomain(address),
    vendorId: vendorId.toLowerCase(),
    deviceId: deviceId.toLowerCase(),
    class: classCode.toLowerCase(),
    className,
    description: description.trim(),
  };
}

function parseMachineLine(line: string): PciFunction | undefined {
  const match = MACHINE_LINE.exec(line);
  if (!match) return undefined;
  const [, address = '', className = '', classCode = '', vendorName = '', vendorId = '', deviceName = '', deviceId = '', rest = ''] =
    match;
  const device: PciFunction = {
    address: withDomain(address),
    vendorId: vendorId.toLowerCase(),
    deviceId: deviceId.toLowerCase(),
    class: classCode.toLowerCase(),
    className,
    description: `${vendorName} ${deviceName}`.trim(),
    vendorName,
    deviceName,
  };
  const subsystem = MACHINE_SUBSYSTEM.exec(rest);
  if (subsystem) {
    device.subsystemVendorId = (subsystem[1] ?? '').toLowerCase();
    device.subsystemDeviceId = (subsystem[2] ?? '').toLowerCase();
  }
  return device;
}

/**
 * Most detail lines (capabilities, BARs, link state) are neither of the two read here; a prefix check
 * passes over them without running a regular expression, which is most of the cost of a -vvnn dump.
 */
function readDetailLine(device: PciFunction, line: string): void {
  if (!line.startsWith('\tSubsystem: ') && !line.startsWith('\tKernel driver in use: ')) return;
  const subsystem = SUBSYSTEM_LINE.exec(line);
  if (subsystem) {
    device.subsystemVendorId = (subsystem[1] ?? '').toLowerCase();
    device.subsystemDeviceId = (subsystem[2] ?? '').toLowerCase();
    return;
  }
  const driver = DRIVER_LINE.exec(line);
  if (driver) device.driver = driver[1];
}
