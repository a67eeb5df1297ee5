#!/bin/sh
# plinth discovery agent: runs in the live system a new machine PXE-boots, collects the raw output of the
# hardware tools that are present, and POSTs it as one JSON document (gzipped with curl) to plinth.
# Parsing happens in the controller, so this script stays small: a missing tool leaves its section out,
# it never fails the report.
#
# Usage: discovery-agent.sh [--url URL] [--dump DIR] [--os-image NAME]
#   --url URL   where to POST (default: $PLINTH_REPORT_URL, else plinth.report_url= on the kernel command line)
#   --dump DIR  write the raw sections to DIR in the `plinth report parse DIR` layout and POST nothing
#   --os-image NAME  run from an installed OS image booted from disk: the report says so ("os" section)
# Environment: PLINTH_TOKEN (else plinth.token= on the kernel command line) is sent as a bearer token;
#   PLINTH_MAX_ATTEMPTS (8), PLINTH_RETRY_BASE (2 s), PLINTH_RETRY_MAX (60 s) bound the retries;
#   PLINTH_CMDLINE (/proc/cmdline) is the kernel command line to read;
#   PLINTH_LLDP_WAIT (else plinth.lldp_wait=, default 0) is how many seconds to listen for switch LLDP
#   announcements when no lldpd runs yet (switches announce every 30 s, so 35 is a good value).
# Exit status: 0 sent (or dumped), 2 usage, 3 rejected by the controller, 4 gave up after the retries.

set -u
AGENT_VERSION=1
LC_ALL=C
export LC_ALL

log() { printf 'plinth-agent: %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# Value of KEY=VALUE on the kernel command line, empty when absent.
cmdline_value() {
  tr ' ' '\n' <"${PLINTH_CMDLINE:-/proc/cmdline}" 2>/dev/null | sed -n "s/^$1=//p" | head -n 1
}

# Runs a command (bounded in time) into FILE; the file is kept only when the command succeeded with output.
collect() {
  file=$1
  shift
  have "$1" || return 0
  if have timeout; then set -- timeout 60 "$@"; fi
  if "$@" >"$work/$file" 2>/dev/null && [ -s "$work/$file" ]; then return 0; fi
  rm -f "$work/$file"
}

# Keeps a JSON section only when it looks like one document of the expected kind ({ or [), since a
# truncated tool output would make the whole report invalid. The controller re-checks it anyway.
check_json() {
  [ -f "$work/$1" ] || return 0
  first=$(tr -d ' \t\r\n' <"$work/$1" | cut -c 1)
  last=$(tr -d ' \t\r\n' <"$work/$1" | tail -c 1)
  [ "$first$last" = "$2" ] || rm -f "$work/$1"
}

efi_state() {
  if [ ! -d /sys/firmware/efi ]; then
    printf '{"uefi":false}\n'
    return
  fi
  # The SecureBoot variable is 4 attribute bytes then one data byte (1 = enabled).
  var=$(ls /sys/firmware/efi/efivars/SecureBoot-* 2>/dev/null | head -n 1)
  state=null
  if [ -n "$var" ]; then
    byte=$(od -An -tu1 -j4 -N1 "$var" 2>/dev/null | tr -d ' ')
    case $byte in 1) state=true ;; 0) state=false ;; esac
  fi
  printf '{"uefi":true,"secureBoot":%s}\n' "$state"
}

# Without iproute2's JSON (busybox's ip prints none, and busybox sh runs its own applet whatever PATH says),
# the same facts come from sysfs, written with ip's field names so the controller reads one format.
sysfs_links() {
  printf '['
  sep=''
  for dir in /sys/class/net/*; do
    name=${dir##*/}
    case $name in *[!A-Za-z0-9_.@-]*) continue ;; esac
    [ "$(cat "$dir/type" 2>/dev/null)" = 1 ] || continue
    state=$(tr 'a-z' 'A-Z' <"$dir/operstate" 2>/dev/null)
    printf '%s{"ifname":"%s","link_type":"ether","address":"%s","operstate":"%s"' "$sep" "$name" "$(cat "$dir/address")" "$state"
    if [ -e "$dir/device/subsystem" ]; then
      printf ',"parentbus":"%s"}' "$(basename "$(readlink -f "$dir/device/subsystem")")"
    else
      printf ',"linkinfo":{"info_kind":"virtual"}}'
    fi
    sep=','
  done
  printf ']\n'
}

# Asks a running lldpd for the switch ports; with a wait configured and lldpd installed but not running,
# starts one, listens for the announcements, and stops it again.
collect_lldp() {
  have lldpctl || return 0
  wait_for=${PLINTH_LLDP_WAIT:-$(cmdline_value plinth.lldp_wait)}
  case ${wait_for:-0} in *[!0-9]*) wait_for=0 ;; esac
  if ! lldpctl >/dev/null 2>&1 && [ "${wait_for:-0}" -gt 0 ] && have lldpd; then
    lldpd -d >/dev/null 2>&1 &
    lldpd_pid=$!
    sleep "$wait_for"
    collect lldp.json lldpctl -f json
    kill "$lldpd_pid" 2>/dev/null
    wait "$lldpd_pid" 2>/dev/null
    return 0
  fi
  collect lldp.json lldpctl -f json
}

collect_sections() {
  collect dmidecode.txt dmidecode
  collect lspci.txt lspci -vvnn
  collect lsblk.json lsblk -J -b -O
  collect ip-addr.json ip -j addr
  collect ip-link.json ip -d -j link
  collect_lldp
  collect ipmi-lan.txt ipmitool lan print
  collect lscpu.json lscpu -J
  collect cpuinfo.txt cat /proc/cpuinfo
  collect meminfo.txt cat /proc/meminfo
  for json in lsblk.json:{} lldp.json:{} lscpu.json:{} ip-addr.json:[] ip-link.json:[]; do check_json "${json%%:*}" "${json#*:}"; done
  [ -f "$work/ip-link.json" ] || sysfs_links >"$work/ip-link.json"
  # Real NICs only (those on a bus), as ethtool has nothing to say about bridges and tunnels.
  for device in /sys/class/net/*/device; do
    [ -e "$device" ] || continue
    iface=$(basename "$(dirname "$device")")
    have ethtool && collect "ethtool-$iface.txt" sh -c 'ethtool "$1"; ethtool -i "$1"' ethtool "$iface"
  done
  efi_state >"$work/efi.json"
  cat /etc/ssh/ssh_host_*_key.pub >"$work/ssh-host-keys.txt" 2>/dev/null || rm -f "$work/ssh-host-keys.txt"
  [ -s "$work/ssh-host-keys.txt" ] || rm -f "$work/ssh-host-keys.txt"
}

# Prints a file as one JSON string. Control characters other than tab, newline and CR carry nothing in
# these outputs and are dropped rather than escaped, which keeps the awk portable (mawk, busybox).
json_string() {
  tr -d '\000-\010\013\014\016-\037' <"$1" | awk '
    BEGIN { printf "\"" }
    { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); gsub(/\r/, "\\r"); printf "%s\\n", $0 }
    END { printf "\"" }'
}

# One JSON string per non-empty line of a file, as an array.
json_lines() {
  printf '['
  sep=''
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    printf '%s' "$sep"
    printf '%s\n' "$line" >"$work/.line"
    json_string "$work/.line" | sed 's/\\n"$/"/'
    sep=','
  done <"$1"
  printf ']'
}

# Writes the report document. With "text-only", the sections whose JSON came from the tools are left out
# (the fallback when the controller could not read them) and the NICs come from sysfs, which this script
# writes itself, so the machine can still be enrolled by MAC.
build_report() {
  mode=$1
  sep=''
  field() { printf '%s"%s":' "$sep" "$1"; sep=','; }
  printf '{"version":1,"agent":{"version":"%s"' "$AGENT_VERSION"
  boot_id=$(tr -cd '0-9a-fA-F-' </proc/sys/kernel/random/boot_id 2>/dev/null)
  [ -n "$boot_id" ] && printf ',"bootId":"%s"' "$boot_id"
  printf '},"collectedAt":"%s","sections":{' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for pair in dmidecode:dmidecode.txt lspci:lspci.txt ipmiLan:ipmi-lan.txt cpuinfo:cpuinfo.txt meminfo:meminfo.txt; do
    [ -f "$work/${pair#*:}" ] && { field "${pair%%:*}"; json_string "$work/${pair#*:}"; }
  done
  if [ "$mode" = full ]; then
    for pair in lsblk:lsblk.json ipAddr:ip-addr.json ipLink:ip-link.json lldp:lldp.json lscpu:lscpu.json; do
      [ -f "$work/${pair#*:}" ] && { field "${pair%%:*}"; cat "$work/${pair#*:}"; }
    done
  else
    field ipLink
    sysfs_links
  fi
  ethtool_sep=''
  for file in "$work"/ethtool-*.txt; do
    [ -f "$file" ] || continue
    [ -z "$ethtool_sep" ] && { field ethtool; printf '{'; }
    iface=$(basename "$file" .txt)
    printf '%s"%s":' "$ethtool_sep" "${iface#ethtool-}"
    json_string "$file"
    ethtool_sep=','
  done
  [ -n "$ethtool_sep" ] && printf '}'
  field efi
  cat "$work/efi.json"
  [ -f "$work/ssh-host-keys.txt" ] && { field sshHostKeys; json_lines "$work/ssh-host-keys.txt"; }
  printf '}'
  [ -n "$os_image" ] && printf ',"os":{"bootedFrom":"disk","image":"%s"}' "$os_image"
  printf '}\n'
}

# POSTs FILE once; prints the HTTP status (000 when no answer arrived).
post_once() {
  if have curl; then
    body_file=$1
    set -- curl -sS -o "$work/.response" -w '%{http_code}' --max-time 60 -X POST -H 'Content-Type: application/json'
    # Compressed, the report is about a ninth of its size, and the controller stores those very bytes.
    # Only with curl: busybox wget sends a --post-file up to its first NUL byte.
    if [ ! -f "$work/.plain" ] && have gzip && gzip -c "$body_file" >"$body_file.gz" 2>/dev/null; then
      set -- "$@" -H 'Content-Encoding: gzip' --data-binary "@$body_file.gz"
    else
      set -- "$@" --data-binary "@$body_file"
    fi
    # The token travels in a header file, never on a command line other processes can read.
    [ -s "$work/.auth" ] && set -- "$@" -H "@$work/.auth"
    "$@" "$url" 2>/dev/null || true
    return
  fi
  # busybox wget tells success from failure only, so every failure counts as retryable.
  set -- wget -q -O "$work/.response" --header 'Content-Type: application/json' --post-file "$1"
  [ -s "$work/.auth" ] && set -- "$@" --header "$(cat "$work/.auth")"
  if "$@" "$url" 2>/dev/null; then echo 200; else echo 000; fi
}

# Exponential backoff with jitter: a random time in [delay/2, delay], the delay doubling up to a cap, so that
# a rack of machines booted together does not retry in lockstep.
backoff() {
  awk -v attempt="$1" -v base="${PLINTH_RETRY_BASE:-2}" -v cap="${PLINTH_RETRY_MAX:-60}" -v seed="$$$1" '
    BEGIN { srand(seed + 0); d = base * 2 ^ (attempt - 1); if (d > cap) d = cap; printf "%.3f\n", d / 2 + rand() * d / 2 }'
}

send_report() {
  build_report full >"$work/report.json"
  attempt=1
  max=${PLINTH_MAX_ATTEMPTS:-8}
  while :; do
    status=$(post_once "$work/report.json")
    case $status in
      2??) log "report accepted (HTTP $status)"; return 0 ;;
      400)
        if [ ! -f "$work/.text-only" ]; then
          log "report refused as invalid (HTTP 400); resending without the tools' JSON sections"
          touch "$work/.text-only"
          build_report text-only >"$work/report.json"
          continue
        fi
        log "report refused (HTTP 400): $(head -c 500 "$work/.response" 2>/dev/null)"; return 3 ;;
      415)
        # A controller that takes no gzip refuses the coding, not the report.
        if [ ! -f "$work/.plain" ] && have curl && have gzip; then
          log "compressed report refused (HTTP 415); resending it uncompressed"
          touch "$work/.plain"
          continue
        fi
        log "report refused (HTTP 415)"; return 3 ;;
      409 | 413 | 401 | 403) log "report refused (HTTP $status)"; return 3 ;;
    esac
    if [ "$attempt" -ge "$max" ]; then log "giving up after $attempt attempts (last HTTP $status)"; return 4; fi
    delay=$(backoff "$attempt")
    log "attempt $attempt failed (HTTP $status); retrying in ${delay}s"
    sleep "$delay"
    attempt=$((attempt + 1))
  done
}

url=''
dump=''
os_image=''
while [ $# -gt 0 ]; do
  case $1 in
    --url) url=${2:-}; shift 2 ;;
    --dump) dump=${2:-}; shift 2 ;;
    --os-image) os_image=${2:-}; shift 2 ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) log "unknown argument: $1"; exit 2 ;;
  esac
done
[ -n "$url" ] || url=${PLINTH_REPORT_URL:-$(cmdline_value plinth.report_url)}
# The name goes into the JSON as it is, so it may hold only characters that need no escaping.
case ${os_image:-x} in *[!A-Za-z0-9._:+-]*) log "--os-image takes a name of letters, digits and . _ : + -"; exit 2 ;; esac
[ "${#os_image}" -le 253 ] || { log "--os-image takes a name of at most 253 characters"; exit 2; }
if [ -z "$dump" ] && [ -z "$url" ]; then log "no report URL: pass --url, set PLINTH_REPORT_URL or plinth.report_url="; exit 2; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/plinth-agent.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
umask 077
collect_sections

if [ -n "$dump" ]; then
  mkdir -p "$dump" && cp "$work"/*.txt "$work"/*.json "$dump"/ 2>/dev/null
  log "sections written to $dump"
  exit 0
fi
token=${PLINTH_TOKEN:-$(cmdline_value plinth.token)}
[ -n "$token" ] && printf 'Authorization: Bearer %s\n' "$token" >"$work/.auth"
send_report
