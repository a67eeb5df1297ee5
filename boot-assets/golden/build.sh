#!/bin/sh
# Builds plinth's lab golden image from Debian packages only (`apt-get download`, `dpkg-deb -x`): a raw disk with
# an MBR and one FAT32 partition that boots under a legacy BIOS (syslinux) and under UEFI (syslinux.efi as
# EFI/BOOT/BOOTX64.EFI), holding the live system's kernel and a tiny "installed OS" initramfs (busybox, dmidecode,
# lsblk, the virtio modules, the discovery agent and boot-assets/golden/init) that reports once with
# `"os": {"bootedFrom": "disk", "image": NAME}` and stays up. No mount and no root are needed.
#
# Usage: boot-assets/golden/build.sh [OUT_ROOT]      (default: .lab/cache/golden in the repository)
# Prints the directory holding disk.raw, packages.txt, settings.txt and SHA256SUMS (the sha256 of disk.raw is its first line).
# That directory is named by a hash of these scripts, the settings below and the package versions, so an
# unchanged build is skipped; the disk is reproducible (fixed times, volume id and disk signature).
# Environment: PLINTH_GOLDEN_CONTROLLER_URL (default http://10.250.0.1:8080, the lab's) is where the image
#   reports (baked into the loader configuration); PLINTH_GOLDEN_IMAGE_NAME (plinth-golden) the name it reports;
#   PLINTH_GOLDEN_DISK_MIB (64) the disk size; PLINTH_GOLDEN_KERNEL (else PLINTH_LIVE_KERNEL, else
#   linux-image-cloud-amd64) the kernel metapackage; PLINTH_GOLDEN_DEBS (else PLINTH_LIVE_DEBS, else the live
#   build's .deb cache) where downloaded .debs are kept.
set -eu
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
live=$(cd "$here/../live" && pwd)
repo=$(cd "$here/../.." && pwd)
out_root=${1:-$repo/.lab/cache/golden}
controller_url=${PLINTH_GOLDEN_CONTROLLER_URL:-http://10.250.0.1:8080}
image_name=${PLINTH_GOLDEN_IMAGE_NAME:-plinth-golden}
disk_mib=${PLINTH_GOLDEN_DISK_MIB:-64}
kernel_meta=${PLINTH_GOLDEN_KERNEL:-${PLINTH_LIVE_KERNEL:-linux-image-cloud-amd64}}
debs=${PLINTH_GOLDEN_DEBS:-${PLINTH_LIVE_DEBS:-$repo/.lab/cache/live/debs}}
packages='busybox-static dmidecode util-linux'
programs='bin/busybox usr/sbin/dmidecode bin/lsblk'
# What builds the disk; run on this machine from the unpacked packages, never copied into the image.
tool_packages='dosfstools mtools syslinux syslinux-common syslinux-efi'
modules='virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net virtio_blk'
libdir=usr/lib/x86_64-linux-gnu
authorized_keys=''
# 2000-01-01: FAT cannot store times before 1980, so the archive and the filesystem share this one.
epoch=946684800

log() { printf 'build-golden: %s\n' "$*" >&2; }
fail() { log "error: $*"; exit 1; }

for tool in apt-get apt-cache dpkg-deb cpio gzip readelf sha256sum flock dd cmp; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (apt-get install -y apt dpkg cpio gzip binutils coreutils util-linux)"
done
case $disk_mib in '' | *[!0-9]*) fail "PLINTH_GOLDEN_DISK_MIB must be a whole number of MiB, not '$disk_mib'" ;; esac
case $image_name in '' | *[!A-Za-z0-9._-]*) fail "PLINTH_GOLDEN_IMAGE_NAME may hold only letters, digits, '.', '_' and '-', not '$image_name'" ;; esac
case $controller_url in http://* | https://*) ;; *) fail "PLINTH_GOLDEN_CONTROLLER_URL must be an http(s) URL, not '$controller_url'" ;; esac
case $controller_url in *[[:space:]]* | *\"* | *\'* | *\\*) fail "PLINTH_GOLDEN_CONTROLLER_URL must not hold spaces or quotes: '$controller_url'" ;; esac
# quiet: a serial console under TCG costs seconds per boot when the kernel prints everything.
cmdline="console=ttyS0,115200 quiet panic=10 plinth.url=$controller_url plinth.report_url=${controller_url%/}/v1/reports plinth.os_image=$image_name"

. "$live/debian-packages.sh"
work_list=$(mktemp)
kernel_package=$(resolve_kernel_package "$kernel_meta")
versions=$(candidates $packages $tool_packages "$kernel_package")
key=$( {
  printf '%s\n%s\n%s\n%s\n' "$versions" "$programs" "$cmdline" "$disk_mib"
  cat "$here/build.sh" "$here/disk-image.sh" "$here/init" "$live/init-functions.sh" "$live/debian-packages.sh" "$live/stage-root.sh" \
    "$live/udhcpc.script" "$repo/boot-assets/discovery-agent.sh"
} | sha256sum | cut -c 1-16)
target="$out_root/$key"
reuse_finished_build "$target"

work="$out_root/.build-$$"
tools="$work/tools"
rm -rf "$work"
mkdir -p "$work/pkg" "$work/root" "$tools"
trap 'rm -rf "$work" "$work_list"' EXIT

for line in $versions; do
  case ${line%%=*} in
    dosfstools | mtools | syslinux | syslinux-common | syslinux-efi) fetch "$line" "$tools" ;;
    *) fetch "$line" ;;
  esac
done

. "$live/stage-root.sh"
. "$here/disk-image.sh"
stage_layout
stage_programs
stage_libraries
stage_modules

root=$work/root
install -m 0755 "$here/init" "$root/init"
ln -s busybox "$root/usr/bin/sh"
install -m 0755 "$live/udhcpc.script" "$root/etc/udhcpc.script"
install -m 0755 "$repo/boot-assets/discovery-agent.sh" "$root/usr/lib/plinth/discovery-agent.sh"
install -m 0644 "$live/init-functions.sh" "$root/usr/lib/plinth/init-functions.sh"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'NAME="plinth lab golden image"\nID=plinth-golden\nVARIANT_ID=%s\n' "$image_name" >"$root/etc/os-release"
printf '127.0.0.1 localhost\n' >"$root/etc/hosts"

cp "$(ls "$work/pkg/boot/vmlinuz-"* | head -n 1)" "$work/vmlinuz"
touch -d "@$epoch" "$work/vmlinuz"
pack_initramfs "$root" "$work/initrd.gz" "$epoch"
SOURCE_DATE_EPOCH=$epoch
export SOURCE_DATE_EPOCH
build_disk "$work/disk.raw" "$disk_mib" "$work/vmlinuz" "$work/initrd.gz" "$cmdline"
sort -u "$work/packages" >"$work/packages.txt"
printf 'cmdline=%s\ndisk_mib=%s\n' "$cmdline" "$disk_mib" >"$work/settings.txt"
(cd "$work" && sha256sum disk.raw packages.txt >SHA256SUMS)

publish_build "$out_root" "$key" disk.raw packages.txt settings.txt SHA256SUMS
# Builds for other controllers or names are kept (a lab and a test may use both); one with the same settings
# is superseded by this one.
for old in "$out_root"/*/settings.txt; do
  [ "${old%/settings.txt}" != "$target" ] && cmp -s "$old" "$target/settings.txt" && rm -rf "${old%/settings.txt}"
done
log "built $target ($disk_mib MiB disk, $(du -k "$work/vmlinuz" | cut -f 1) KiB kernel, $(du -k "$work/initrd.gz" | cut -f 1) KiB initrd)"
printf '%s\n' "$target"
