# Sourced by the image builds (live/build.sh, golden/build.sh): fills $work/root (the initramfs tree) from
# $work/pkg (the unpacked packages). stage_files is the live system's own.
# Uses from the build: work, here, repo, programs, modules, libdir, authorized_keys, fetch, candidates, log, fail.

# A merged-/usr layout, as Debian has it: /bin, /sbin, /lib and /lib64 point into /usr.
stage_layout() {
  root=$work/root
  mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/$libdir" "$root/usr/lib64" "$root/usr/lib/plinth" \
    "$root/etc/ssh" "$root/etc/plinth" "$root/root" "$root/var/empty" "$root/usr/share/misc"
  ln -s usr/bin "$root/bin"
  ln -s usr/sbin "$root/sbin"
  ln -s usr/lib "$root/lib"
  ln -s usr/lib64 "$root/lib64"
  mkdir -p "$root/usr/lib/modules"
}

stage_programs() {
  for program in $programs; do
    [ -f "$work/pkg/$program" ] || fail "$program is not in the downloaded packages"
    case $program in
      sbin/* | */sbin/*) cp -L "$work/pkg/$program" "$work/root/usr/sbin/" ;;
      *) cp -L "$work/pkg/$program" "$work/root/usr/bin/" ;;
    esac
  done
}

# Shared libraries a file needs (its DT_NEEDED entries).
needed_libraries() {
  readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

# Finds LIBRARY in the unpacked packages; prints its path or nothing.
find_staged_library() {
  for dir in "$work/pkg/lib/x86_64-linux-gnu" "$work/pkg/usr/lib/x86_64-linux-gnu" "$work/pkg/lib" "$work/pkg/usr/lib"; do
    [ -e "$dir/$1" ] && { printf '%s\n' "$dir/$1"; return 0; }
  done
  return 0
}

# Downloads the packages that hold LIBRARIES. They are named by dpkg's database, which knows every file of the
# packages installed here; the files themselves always come from the downloaded packages.
fetch_library_packages() {
  owners=''
  for library in "$@"; do
    path=''
    for dir in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu; do [ -e "$dir/$library" ] && path=$(readlink -f "$dir/$library") && break; done
    [ -n "$path" ] || fail "no package known to hold $library: install the package that provides it here so its name can be found"
    # usrmerge: dpkg may have recorded the file under /lib or under /usr/lib.
    owner=$(dpkg -S "$path" 2>/dev/null || dpkg -S "${path#/usr}" 2>/dev/null || true)
    owner=$(printf '%s' "$owner" | head -n 1 | cut -d : -f 1)
    [ -n "$owner" ] || fail "dpkg knows no package holding $path ($library)"
    owners="$owners $owner"
  done
  for line in $(candidates $(printf '%s\n' $owners | sort -u)); do fetch "$line"; done
}

# Copies the dynamic loader and every library the programs need, transitively (what ldd resolves, found
# statically so no program from the packages is ever run on this machine).
stage_libraries() {
  loader=$(find_staged_library ld-linux-x86-64.so.2)
  [ -n "$loader" ] || { fetch "$(candidates libc6)"; loader=$(find_staged_library ld-linux-x86-64.so.2); }
  cp -L "$loader" "$work/root/$libdir/ld-linux-x86-64.so.2"
  ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$work/root/usr/lib64/ld-linux-x86-64.so.2"
  pending=$(ls "$work/root/usr/bin/"* "$work/root/usr/sbin/"*)
  rounds=0
  while [ -n "$pending" ]; do
    rounds=$((rounds + 1))
    [ "$rounds" -le 50 ] || fail 'library closure did not converge'
    next=''
    missing=''
    for file in $pending; do
      for library in $(needed_libraries "$file"); do
        [ -e "$work/root/$libdir/$library" ] && continue
        [ -n "$(find_staged_library "$library")" ] || missing="$missing $library"
      done
    done
    [ -z "$missing" ] || fetch_library_packages $(printf '%s\n' $missing | sort -u)
    for file in $pending; do
      for library in $(needed_libraries "$file"); do
        [ -e "$work/root/$libdir/$library" ] && continue
        source=$(find_staged_library "$library")
        [ -n "$source" ] || fail "$library (needed by ${file##*/}) is not in its package"
        cp -L "$source" "$work/root/$libdir/$library"
        next="$next $work/root/$libdir/$library"
      done
    done
    pending=$next
  done
}

stage_modules() {
  release=$(ls "$work/pkg/lib/modules" | head -n 1)
  [ -n "$release" ] || fail 'the kernel package holds no modules'
  for module in $modules; do
    file=$(find "$work/pkg/lib/modules/$release/kernel" -name "$module.ko" | head -n 1)
    [ -n "$file" ] || fail "kernel module $module.ko is not in $release"
    cp "$file" "$work/root/usr/lib/modules/$module.ko"
  done
}

stage_files() {
  root=$work/root
  install -m 0755 "$here/init" "$root/init"
  # The shell /init runs under, before it installs the other busybox applets.
  ln -s busybox "$root/usr/bin/sh"
  install -m 0755 "$here/udhcpc.script" "$root/etc/udhcpc.script"
  install -m 0644 "$here/sshd_config" "$root/etc/ssh/sshd_config"
  install -m 0755 "$repo/boot-assets/discovery-agent.sh" "$root/usr/lib/plinth/discovery-agent.sh"
  install -m 0644 "$here/init-functions.sh" "$root/usr/lib/plinth/init-functions.sh"
  [ -f "$work/pkg/usr/share/misc/pci.ids" ] && cp "$work/pkg/usr/share/misc/pci.ids" "$root/usr/share/misc/pci.ids"
  [ -n "$authorized_keys" ] && install -m 0600 "$authorized_keys" "$root/etc/plinth/authorized_keys"
  # sshd's privilege separation runs as "sshd"; lldpd's as "_lldpd".
  printf 'root:x:0:0:root:/root:/bin/sh\nsshd:x:100:65534::/run/sshd:/usr/sbin/nologin\n_lldpd:x:101:101::/run/lldpd:/usr/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\n_lldpd:x:101:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'root:*:1::::::\n' >"$root/etc/shadow"
  chmod 0600 "$root/etc/shadow"
  printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
  printf '127.0.0.1 localhost\n' >"$root/etc/hosts"
}

# Packs the tree ROOT into the gzip'd cpio OUT reproducibly: every file gets the time EPOCH and root ownership,
# entries are sorted, and gzip records no name or time.
pack_initramfs() {
  find "$1" -exec touch -h -d "@$3" {} +
  (cd "$1" && find . -mindepth 1 | sort | cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -6 -n >"$2"
}
