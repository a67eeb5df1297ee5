# Sourced by golden/build.sh: lays out a raw disk that boots both under a legacy BIOS and under UEFI, without
# mounting anything (so without root): an MBR with one bootable FAT32 partition from 1 MiB to the end, holding
#   /vmlinuz, /initrd.gz                the installed OS
#   /syslinux/ldlinux.sys, syslinux.cfg the BIOS path: syslinux's MBR code → partition boot sector → ldlinux
#   /EFI/BOOT/BOOTX64.EFI (syslinux.efi), ldlinux.e64, syslinux.cfg    the UEFI removable-media path
# The filesystem is written by mkfs.fat and mtools, the loaders by syslinux's mtools installer, all run from the
# unpacked packages in $tools. Uses from build.sh: tools, log, fail.

# Sector where the partition starts: 1 MiB, the alignment every partitioning tool uses.
partition_start=2048
# The disk signature in the MBR and the FAT volume id ("PLNT"): fixed, so that a rebuild is byte-identical.
volume_id=504c4e54

# Writes the bytes given as decimal numbers.
write_bytes() {
  for byte in "$@"; do printf "\\$(printf '%03o' "$byte")"; done
}

write_le32() {
  write_bytes $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255))
}

# The MBR of DISK with SECTORS sectors: syslinux's boot code (which chain-loads the active partition), the disk
# signature, one active partition of type 0x0c (FAT32, LBA addressed; the CHS fields say "use LBA"), the 55AA mark.
write_mbr() {
  dd if="$tools/usr/lib/syslinux/mbr/mbr.bin" of="$1" bs=440 count=1 conv=notrunc status=none
  {
    write_le32 $((0x$volume_id))
    write_bytes 0 0 128 254 255 255 12 254 255 255
    write_le32 "$partition_start"
    write_le32 $(($2 - partition_start))
  } | dd of="$1" bs=1 seek=440 conv=notrunc status=none
  write_bytes 85 170 | dd of="$1" bs=1 seek=510 conv=notrunc status=none
}

# Runs a command with the unpacked mtools first on PATH (syslinux's installer runs mcopy and mattrib itself).
with_mtools() {
  MTOOLS_SKIP_CHECK=1 PATH="$tools/usr/bin:$PATH" "$@" || fail "${1##*/} failed"
}

# The syslinux configuration, the same for both loaders: boot the one entry at once. Syslinux adds initrd= to
# the command line itself (the kernel's EFI stub needs it).
write_loader_config() {
  printf 'DEFAULT golden\nPROMPT 0\nTIMEOUT 0\nLABEL golden\n  LINUX /vmlinuz\n  INITRD /initrd.gz\n  APPEND %s\n' "$2" >"$1"
}

# Builds DISK (SIZE_MIB MiB) from KERNEL and INITRD with the kernel command line CMDLINE.
# Every time stored in the filesystem is SOURCE_DATE_EPOCH (mtools honours it; mkfs.fat --invariant fixes its own).
build_disk() {
  disk=$1
  sectors=$(($2 * 2048))
  [ "$2" -ge 40 ] || fail "a disk of $2 MiB is too small for a FAT32 partition (at least 40 MiB)"
  rm -f "$disk"
  dd if=/dev/zero of="$disk" bs=1048576 count=0 seek="$2" status=none
  # One 512-byte sector per cluster keeps FAT32's minimum cluster count on a small disk.
  "$tools/sbin/mkfs.fat" --invariant -F 32 -s 1 -i "$volume_id" -n PLINTH -h "$partition_start" \
    --offset="$partition_start" "$disk" $(((sectors - partition_start) / 2)) >/dev/null || fail 'mkfs.fat failed'
  image="$disk@@$((partition_start * 512))"
  write_loader_config "$work/syslinux.cfg" "$5"
  efi="$tools/usr/lib/syslinux/modules/efi64"
  with_mtools mmd -i "$image" ::/EFI ::/EFI/BOOT ::/syslinux
  with_mtools mcopy -i "$image" "$3" ::/vmlinuz
  with_mtools mcopy -i "$image" "$4" ::/initrd.gz
  with_mtools mcopy -i "$image" "$work/syslinux.cfg" ::/syslinux/syslinux.cfg
  with_mtools mcopy -i "$image" "$tools/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi" ::/EFI/BOOT/BOOTX64.EFI
  with_mtools mcopy -i "$image" "$efi/ldlinux.e64" ::/EFI/BOOT/ldlinux.e64
  with_mtools mcopy -i "$image" "$work/syslinux.cfg" ::/EFI/BOOT/syslinux.cfg
  # The installer writes the partition's boot sector and ldlinux.sys/ldlinux.c32 through mtools.
  with_mtools "$tools/usr/bin/syslinux" --offset $((partition_start * 512)) --directory /syslinux --install "$disk"
  write_mbr "$disk" "$sectors"
}
