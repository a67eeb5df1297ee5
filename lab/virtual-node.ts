import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../reconciler/lib/command.js';
import { quoteShellWord } from '../reconciler/lib/shell-quote.js';
import { tapName, type LabNode } from './lab-config.js';

export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

/** The files of one virtual node: its disk, firmware variables, console log, and the BMC hook's state. */
export interface NodeFiles {
  dir: string;
  disk: string;
  console: string;
}

/** Which device the firmware tries first; the other one follows, as on a server whose boot order lists both. */
export type FirstBootDevice = 'network' | 'disk';

/**
 * QEMU's arguments for a node: TCG (the machines here have no usable KVM), 1 vCPU, a virtio disk and NIC,
 * and the SMBIOS serial plinth identifies it by. `-no-reboot` makes a reboot or a kernel panic end the VM, so
 * the BMC reads off instead of a machine looping forever.
 * The boot order is given by `bootindex` rather than `-boot order=`: QEMU passes it to the firmware through
 * fw_cfg's "bootorder", which SeaBIOS follows and OVMF applies over the boot options it keeps in its variables
 * file (`-boot order=` reaches only SeaBIOS, so a UEFI node with an installed disk would never PXE-boot again).
 */
export function buildQemuArgs(node: LabNode, index: number, files: NodeFiles, first: FirstBootDevice = 'disk'): string[] {
  const [diskIndex, networkIndex] = first === 'network' ? [2, 1] : [1, 2];
  const args = [
    '-name', node.name, '-machine', 'pc,accel=tcg', '-smp', '1', '-m', String(node.memoryMiB),
    '-display', 'none', '-monitor', 'none', '-serial', `file:${files.console}`, '-no-reboot',
    '-smbios', `type=1,manufacturer=plinth-lab,product=lab-vm,serial=${node.serial}`,
    '-drive', `file=${files.disk},if=none,id=disk0,format=qcow2`,
    '-device', `virtio-blk-pci,drive=disk0,bootindex=${String(diskIndex)}`,
    '-netdev', `tap,id=net0,ifname=${tapName(index)},script=no,downscript=no`,
    '-device', `virtio-net-pci,netdev=net0,mac=${node.mac},bootindex=${String(networkIndex)}`,
  ];
  if (node.firmware === 'uefi') {
    args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`);
    args.push('-drive', `if=pflash,format=raw,unit=1,file=${join(files.dir, 'OVMF_VARS.fd')}`);
  }
  return args;
}

/**
 * The `vm` script the BMC hook runs on power on, with the boot device as $1: pxe boots the network first,
 * anything else (disk, or none on a new machine) the disk first, falling back to the network when the disk
 * holds nothing bootable. It execs, so the hook's PID file names QEMU itself.
 */
export function renderVmScript(namespace: string, qemuArgs: Record<FirstBootDevice, readonly string[]>): string {
  const command = (args: readonly string[]) => ['ip', 'netns', 'exec', namespace, 'qemu-system-x86_64', ...args].map(quoteShellWord).join(' ');
  return [
    '#!/bin/sh',
    '# Starts this lab node\'s VM; $1 is the boot device its BMC holds.',
    'case ${1:-default} in',
    `pxe) exec ${command(qemuArgs.network)} ;;`,
    `*) exec ${command(qemuArgs.disk)} ;;`,
    'esac',
    '',
  ].join('\n');
}

/** The `qemu-img create` size of a node's disk: `diskMiB` when set, else `diskGiB`. */
export function diskSize(node: LabNode): string {
  return node.diskMiB === undefined ? `${String(node.diskGiB)}G` : `${String(node.diskMiB)}M`;
}

/** Creates the node's folder: a fresh disk, firmware variables (UEFI), the hook's state, and the `vm` script. */
export async function prepareNodeFiles(dir: string, namespace: string, node: LabNode, index: number): Promise<NodeFiles> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const files: NodeFiles = { dir, disk: join(dir, 'disk.qcow2'), console: join(dir, 'console.log') };
  const created = await runCommand('qemu-img', ['create', '-q', '-f', 'qcow2', files.disk, diskSize(node)], { timeoutMs: 30_000 });
  if (created.exitCode !== 0) throw new Error(`qemu-img create failed for ${node.name}: ${created.stderr.trim()}`);
  if (node.firmware === 'uefi') await copyFile(OVMF_VARS, join(dir, 'OVMF_VARS.fd'));
  await writeFile(join(dir, 'boot'), 'none\n');
  await writeFile(join(dir, 'calls.log'), '');
  const qemuArgs = { network: buildQemuArgs(node, index, files, 'network'), disk: buildQemuArgs(node, index, files, 'disk') };
  await writeFile(join(dir, 'vm'), renderVmScript(namespace, qemuArgs));
  await chmod(join(dir, 'vm'), 0o755);
  return files;
}
