# Shell functions both of plinth's initramfs /init scripts use (the live system's and the lab golden image's),
# sourced by them before anything is mounted. The sourcing script defines say() first.

# Value of KEY=VALUE on the kernel command line, empty when absent.
cmdline_value() {
  tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | head -n 1
}

mount_filesystems() {
  # Only busybox itself exists until its applets are installed, which needs /proc (for /proc/self/exe).
  /bin/busybox mkdir -p /proc /sys /dev /run /tmp /var/log
  /bin/busybox mount -t proc proc /proc
  # Links for every applet; the real tools copied in are kept (a link never replaces a file).
  /bin/busybox --install -s 2>/dev/null
  mount -t sysfs sysfs /sys
  mount -t devtmpfs devtmpfs /dev
  mkdir -p /dev/pts
  mount -t devpts devpts /dev/pts
  mount -t tmpfs -o mode=0755 tmpfs /run
  mount -t tmpfs -o mode=1777 tmpfs /tmp
  # The agent reads the Secure Boot state from efivarfs.
  [ -d /sys/firmware/efi/efivars ] && mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
}

# Debian's kernel builds virtio as modules, with no depmod data here: each must follow what it depends on.
load_modules() {
  for module in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net virtio_blk; do
    [ -f "/lib/modules/$module.ko" ] && insmod "/lib/modules/$module.ko" 2>/dev/null
  done
}

# The interface whose MAC is plinth.mac, else the first Ethernet interface that gets a lease.
configure_network() {
  ip link set lo up
  wanted=$(cmdline_value plinth.mac | tr 'A-F-' 'a-f:')
  tries=0
  while [ "$tries" -lt 20 ]; do
    for dir in /sys/class/net/*; do
      name=${dir##*/}
      [ "$(cat "$dir/type" 2>/dev/null)" = 1 ] || continue
      [ -n "$wanted" ] && [ "$(cat "$dir/address")" != "$wanted" ] && continue
      ip link set "$name" up
      if udhcpc -i "$name" -s /etc/udhcpc.script -t 5 -T 2 -n -q >/dev/null 2>&1; then
        say "network up on $name"
        return 0
      fi
    done
    tries=$((tries + 1))
    sleep 1
  done
  say 'no DHCP lease on any interface'
  return 1
}
