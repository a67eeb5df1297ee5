# Sourced by the image builds (boot-assets/live/build.sh, boot-assets/golden/build.sh): fetching Debian packages
# with `apt-get download` into a shared .deb cache, unpacking them with `dpkg-deb -x`, and publishing a finished
# build under a folder named by its content hash.
# The sourcing script defines log and fail, and sets: debs (the .deb cache), work (its scratch folder, with
# $work/pkg the unpacked packages), work_list (a temporary file).

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

# The versioned kernel package behind a metapackage (linux-image-cloud-amd64 → linux-image-6.1.0-N-cloud-amd64).
resolve_kernel_package() {
  resolved=$(apt-cache depends "$1" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
  [ -n "$resolved" ] || fail "cannot resolve $1 to a kernel package (run apt-get update?)"
  printf '%s\n' "$resolved"
}

# One build at a time per .deb cache: concurrent builds would download the same files into it, and two builds of
# the same output would replace each other's folder. The second one then finds the first one's output.
lock_deb_cache() {
  mkdir -p "$debs"
  exec 9>"$debs/.lock"
  flock 9
}

# Takes the cache lock, then ends the script printing TARGET when a build with the same key is already there:
# the content hash says it is this build, so there is nothing to do. Needs out_root (where builds go).
reuse_finished_build() {
  mkdir -p "$out_root"
  lock_deb_cache
  if [ -f "$1/SHA256SUMS" ]; then
    log "up to date: $1"
    printf '%s\n' "$1"
    exit 0
  fi
}

# Downloads PACKAGE=VERSION into the shared .deb cache unless it is there, then unpacks it into DIR
# (default $work/pkg) and records it in $work/packages.
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
  dpkg-deb -x "$deb" "${2:-$work/pkg}"
  printf '%s=%s\n' "$name" "$version" >>"$work/packages"
}

# Moves FILES from $work into OUT_ROOT/KEY in one rename.
publish_build() {
  out_root=$1
  key=$2
  shift 2
  target="$out_root/$key"
  mkdir -p "$target.tmp"
  for file in "$@"; do mv "$work/$file" "$target.tmp/"; done
  rm -rf "$target"
  mv "$target.tmp" "$target"
}

# Removes the builds in OUT_ROOT superseded by KEY (every folder with a SHA256SUMS but that one; the .deb cache stays).
prune_old_builds() {
  for old in "$1"/*; do
    case ${old##*/} in "$2" | debs) ;; *) [ -f "$old/SHA256SUMS" ] && rm -rf "$old" ;; esac
  done
  return 0
}
