#!/bin/sh
# Builds plinth's live system (discovery and deploy environment) from Debian packages only: the packages are
# fetched with `apt-get download`, unpacked with `dpkg-deb -x`, and the tools the discovery agent uses are
# copied with the closure of the shared libraries they need into a gzip'd cpio initramfs.
#
# Usage: boot-assets/live/build.sh [OUT_ROOT]      (default: .lab/cache/live in the repository)
# Prints the directory holding vmlinuz, initrd.gz, packages.txt and SHA256SUMS. That directory is named by a
# hash of this script, its inputs and the package versions, so an unchanged build is skipped. The output is
# reproducible: same inputs and package versions, same bytes.
# Environment: PLINTH_LIVE_KERNEL (default linux-image-cloud-amd64; linux-image-amd64 for real hardware),
#   PLINTH_LIVE_AUTHORIZED_KEYS (a public key file baked into the image besides plinth.ssh_key_url),
#   PLINTH_LIVE_DEBS (where downloaded .debs are kept between builds; default OUT_ROOT/debs),
#   PLINTH_LIVE_LLDP=1 adds lldpd and lldpctl (for racks with LLDP switches; their SNMP and XML libraries
#   triple the image, which slows every boot, so a lab without switches leaves them out).
set -eu
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out_root=${1:-$repo/.lab/cache/live}
kernel_meta=${PLINTH_LIVE_KERNEL:-linux-image-cloud-amd64}
authorized_keys=${PLINTH_LIVE_AUTHORIZED_KEYS:-}
packages='busybox-static dmidecode pciutils pci.ids util-linux iproute2 ethtool openssh-server openssh-client curl'
# Programs copied into the image, as paths inside the unpacked packages.
programs='bin/busybox usr/sbin/dmidecode usr/bin/lspci bin/lsblk usr/bin/lscpu bin/ip sbin/ethtool usr/sbin/sshd usr/bin/ssh-keygen usr/bin/curl'
if [ "${PLINTH_LIVE_LLDP:-0}" = 1 ]; then
  packages="$packages lldpd"
  programs="$programs usr/sbin/lldpd usr/sbin/lldpctl"
fi
modules='virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net virtio_blk'
libdir=usr/lib/x86_64-linux-gnu
# Every file in the image gets this time, so the archive does not depend on when it was built.
epoch=0

log() { printf 'build-live: %s\n' "$*" >&2; }
fail() { log "error: $*"; exit 1; }

for tool in apt-get apt-cache dpkg-deb cpio gzip readelf sha256sum flock; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (apt-get install -y apt dpkg cpio gzip binutils coreutils util-linux)"
done

. "$here/debian-packages.sh"
work_list=$(mktemp)
kernel_package=$(resolve_kernel_package "$kernel_meta")

versions=$(candidates $packages "$kernel_package")
key=$( {
  printf '%s\n%s\n' "$versions" "$programs"
  cat "$here/build.sh" "$here/debian-packages.sh" "$here/stage-root.sh" "$here/init" "$here/init-functions.sh" "$here/udhcpc.script" "$here/sshd_config" "$repo/boot-assets/discovery-agent.sh"
  [ -n "$authorized_keys" ] && cat "$authorized_keys"
} | sha256sum | cut -c 1-16)
target="$out_root/$key"
debs=${PLINTH_LIVE_DEBS:-$out_root/debs}
reuse_finished_build "$target"

work="$out_root/.build-$$"
rm -rf "$work"
mkdir -p "$work/pkg" "$work/root"
trap 'rm -rf "$work" "$work_list"' EXIT

printf '%s\n' "$versions" | while IFS= read -r line; do [ -n "$line" ] && fetch "$line"; done

. "$here/stage-root.sh"
stage_layout
stage_programs
stage_libraries
stage_modules
stage_files

vmlinuz=$(ls "$work/pkg/boot/vmlinuz-"* | head -n 1)
cp "$vmlinuz" "$work/vmlinuz"
pack_initramfs "$work/root" "$work/initrd.gz" "$epoch"
sort -u "$work/packages" >"$work/packages.txt"
(cd "$work" && sha256sum vmlinuz initrd.gz packages.txt >SHA256SUMS)

publish_build "$out_root" "$key" vmlinuz initrd.gz packages.txt SHA256SUMS
prune_old_builds "$out_root" "$key"
log "built $target ($(du -k "$target/initrd.gz" | cut -f 1) KiB initrd)"
printf '%s\n' "$target"
