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

# "PACKAGE=VERSION" lines for the versions apt would download now, from one apt-cache call (each call costs
# seconds on a busy machine); fails naming any package without an installable version.
candidates() {
  apt-cache policy "$@" 2>/dev/null | awk '
    /^[^ ].*:$/ { name = substr($0, 1, length($0) - 1) }
    /^  Candidate: / { if ($2 != "(none)") print name "=" $2 }' >"$work_list"
  for wanted in "$@"; do
    grep -q "^$wanted=" "$work_list" || fail "package $wanted has no installable version (run apt-get update?)"
  done
  cat "$work_list"
}
work_list=$(mktemp)
# The versioned kernel package behind the metapackage (linux-image-cloud-amd64 → linux-image-6.1.0-N-cloud-amd64).
kernel_package=$(apt-cache depends "$kernel_meta" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
[ -n "$kernel_package" ] || fail "cannot resolve $kernel_meta to a kernel package (run apt-get update?)"

versions=$(candidates $packages "$kernel_package")
key=$( {
  printf '%s\n%s\n' "$versions" "$programs"
  cat "$here/build.sh" "$here/stage-root.sh" "$here/init" "$here/udhcpc.script" "$here/sshd_config" "$repo/boot-assets/discovery-agent.sh"
  [ -n "$authorized_keys" ] && cat "$authorized_keys"
} | sha256sum | cut -c 1-16)
target="$out_root/$key"
debs=${PLINTH_LIVE_DEBS:-$out_root/debs}
mkdir -p "$debs" "$out_root"
# One build at a time per .deb cache: concurrent builds would download the same files into it, and two builds of
# the same output would replace each other's folder. The second one then finds the first one's output.
exec 9>"$debs/.lock"
flock 9
if [ -f "$target/SHA256SUMS" ]; then
  log "up to date: $target"
  printf '%s\n' "$target"
  exit 0
fi

work="$out_root/.build-$$"
rm -rf "$work"
mkdir -p "$work/pkg" "$work/root"
trap 'rm -rf "$work" "$work_list"' EXIT

# Downloads PACKAGE=VERSION into the shared .deb cache unless it is there, then unpacks it into the staging tree.
fetch() {
  name=${1%%=*}
  version=${1#*=}
  file_version=$(printf '%s' "$version" | sed 's/:/%3a/')
  deb=$(ls "$debs/${name}_${file_version}_"*.deb 2>/dev/null | head -n 1 || true)
  if [ -z "$deb" ]; then
    log "downloading $name $version"
    (cd "$debs" && apt-get download -q "$name=$version" >/dev/null 2>&1) || fail "apt-get download $name=$version failed"
    deb=$(ls "$debs/${name}_${file_version}_"*.deb | head -n 1)
  fi
  dpkg-deb -x "$deb" "$work/pkg"
  printf '%s=%s\n' "$name" "$version" >>"$work/packages"
}

printf '%s\n' "$versions" | while IFS= read -r line; do [ -n "$line" ] && fetch "$line"; done

. "$here/stage-root.sh"
stage_layout
stage_programs
stage_libraries
stage_modules
stage_files

vmlinuz=$(ls "$work/pkg/boot/vmlinuz-"* | head -n 1)
cp "$vmlinuz" "$work/vmlinuz"
find "$work/root" -exec touch -h -d "@$epoch" {} +
(cd "$work/root" && find . -mindepth 1 | sort | cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -6 -n >"$work/initrd.gz"
sort -u "$work/packages" >"$work/packages.txt"
(cd "$work" && sha256sum vmlinuz initrd.gz packages.txt >SHA256SUMS)

mkdir -p "$target.tmp"
mv "$work/vmlinuz" "$work/initrd.gz" "$work/packages.txt" "$work/SHA256SUMS" "$target.tmp/"
rm -rf "$target"
mv "$target.tmp" "$target"
# Older builds are superseded; the .deb cache stays for the next build.
for old in "$out_root"/*; do
  case ${old##*/} in "$key" | debs) ;; *) [ -f "$old/SHA256SUMS" ] && rm -rf "$old" ;; esac
done
log "built $target ($(du -k "$target/initrd.gz" | cut -f 1) KiB initrd)"
printf '%s\n' "$target"
