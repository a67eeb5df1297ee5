#!/bin/sh
# chassis_control hook for ipmi_sim (see ipmi_lan(5)): ipmi_sim runs "chassis-control.sh STATEDIR get|set ...".
# Power and boot device live in files under STATEDIR, and every call is appended to STATEDIR/calls.log,
# so tests can assert what the simulated BMC actually received.
state="$1"
shift
# Logged on the way out, once the call has taken effect: a reader that sees `set power 1` in the log also reads
# power 1 (the call is logged even when the hook refuses it).
call="$*"
trap 'printf "%s\n" "$call" >> "$state/calls.log"' EXIT

# Writes through a temporary file so a reader never sees a half-written value.
put() {
  printf '%s\n' "$2" > "$state/.$1.tmp" && mv "$state/.$1.tmp" "$state/$1"
}

op="$1"
shift
case "$op" in
get)
  # Builtins only (no cat): ipmi_sim runs this hook on every status read.
  for item in "$@"; do
    case "$item" in
    power | boot)
      read -r value < "$state/$item"
      echo "$item:$value"
      ;;
    esac
  done
  ;;
set)
  while [ $# -ge 2 ]; do
    case "$1" in
    power) put power "$2" ;;
    boot) put boot "$2" ;;
    # A soft shutdown asks the OS to stop; the simulated OS obeys at once.
    shutdown) put power 0 ;;
    reset) ;;
    *) exit 1 ;;
    esac
    shift 2
  done
  ;;
*) exit 1 ;;
esac
