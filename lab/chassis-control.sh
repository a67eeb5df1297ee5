#!/bin/sh
# chassis_control hook of a lab BMC (see ipmi_lan(5)): ipmi_sim runs "chassis-control.sh NODEDIR get|set ...".
# Power is the node's VM: on starts NODEDIR/vm (QEMU) with the boot device the BMC holds, off stops it, and
# the power state read back is whether that VM still runs (a VM that powers itself off reads off).
# The boot device lives in NODEDIR/boot; every call is appended to NODEDIR/calls.log. The vm script boots the
# network first for pxe and the disk first for anything else (disk, or none on a new machine, whose empty disk
# falls through to the network). A device stays set until the next "set boot": ipmi_sim drops the persistent
# bit before calling this hook, so a one-time pxe reads as a persistent one. plinth sets pxe before the deploy
# boot and disk before the boot into the installed OS, so its boots go the same way here as on a real BMC.
dir="$1"
shift
printf '%s\n' "$*" >>"$dir/calls.log"

running() {
  [ -s "$dir/qemu.pid" ] || return 1
  read -r pid <"$dir/qemu.pid"
  kill -0 "$pid" 2>/dev/null || return 1
  # An exited VM whose parent has not reaped it yet is a zombie: it counts as off.
  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$pid/status" 2>/dev/null)
  [ "$state" != Z ]
}

power_on() {
  running && return 0
  read -r boot <"$dir/boot"
  # setsid: the VM must not die with ipmi_sim's hook process group; the pid file is how it is found again.
  setsid "$dir/vm" "$boot" >>"$dir/vm.log" 2>&1 </dev/null &
  echo $! >"$dir/qemu.pid.tmp" && mv "$dir/qemu.pid.tmp" "$dir/qemu.pid"
}

power_off() {
  running || return 0
  kill -TERM "$pid" 2>/dev/null
  tries=0
  while running && [ "$tries" -lt 30 ]; do sleep 0.1; tries=$((tries + 1)); done
  running && kill -KILL "$pid" 2>/dev/null
  rm -f "$dir/qemu.pid"
}

op="$1"
shift
case "$op" in
get)
  for item in "$@"; do
    case "$item" in
    power) if running; then echo power:1; else echo power:0; fi ;;
    boot) read -r value <"$dir/boot"; echo "boot:$value" ;;
    esac
  done
  ;;
set)
  while [ $# -ge 2 ]; do
    case "$1" in
    power) if [ "$2" = 1 ]; then power_on; else power_off; fi ;;
    boot) printf '%s\n' "$2" >"$dir/.boot.tmp" && mv "$dir/.boot.tmp" "$dir/boot" ;;
    # A soft shutdown asks the OS to stop; the live system has no ACPI daemon, so the VM is stopped.
    shutdown) power_off ;;
    reset) power_off; power_on ;;
    *) exit 1 ;;
    esac
    shift 2
  done
  ;;
*) exit 1 ;;
esac
