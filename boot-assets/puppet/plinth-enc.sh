#!/bin/sh
# Puppet exec node terminus for plinth (puppet.conf: node_terminus = exec, external_nodes = this file).
# Puppet calls it with the node's certname; it prints the ENC plinth published for that node, or exits 1
# so that Puppet refuses to compile a catalog for a node plinth does not know.
# ENC_DIR is the folder plinth writes to (one <certname>.yaml per node, replaced atomically).
set -u
enc_dir="${ENC_DIR:-/var/lib/plinth/enc}"
certname="${1:-}"

# A certname names a file: refuse anything that could leave the folder or reach a temporary file.
case "$certname" in
  '' | .* | */* | *[!a-z0-9._-]*)
    echo "plinth-enc: invalid certname '$certname'" >&2
    exit 1
    ;;
esac

enc="$enc_dir/$certname.yaml"
if [ ! -r "$enc" ]; then
  echo "plinth-enc: no ENC published for $certname in $enc_dir" >&2
  exit 1
fi
exec cat "$enc"
