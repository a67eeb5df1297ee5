/**
 * The file layout of a report directory, shared by the agent's `--dump DIR` and `plinth report parse DIR`:
 * which file holds which section, and whether it is text or JSON. Per-interface ethtool output is in
 * `ethtool-<iface>.txt`; SSH host keys are one public key per line.
 */
export const REPORT_FILES = {
  dmidecode: { file: 'dmidecode.txt', format: 'text' },
  lspci: { file: 'lspci.txt', format: 'text' },
  lsblk: { file: 'lsblk.json', format: 'json' },
  ipAddr: { file: 'ip-addr.json', format: 'json' },
  ipLink: { file: 'ip-link.json', format: 'json' },
  lldp: { file: 'lldp.json', format: 'json' },
  ipmiLan: { file: 'ipmi-lan.txt', format: 'text' },
  lscpu: { file: 'lscpu.json', format: 'json' },
  cpuinfo: { file: 'cpuinfo.txt', format: 'text' },
  meminfo: { file: 'meminfo.txt', format: 'text' },
  efi: { file: 'efi.json', format: 'json' },
  sshHostKeys: { file: 'ssh-host-keys.txt', format: 'lines' },
} as const;

export const ETHTOOL_FILE = /^ethtool-([A-Za-z0-9_.:@-]{1,15})\.txt$/;
