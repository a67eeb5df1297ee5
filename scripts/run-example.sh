#!/bin/sh
# Serves cluster-repo-example the way a cluster is run: a Git repository (prepared here, on local disk)
# followed by `plinth serve` with the embedded store. Usage: scripts/run-example.sh [DATA_DIR] [HOST:PORT]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-"${TMPDIR:-/tmp}/plinth-example"}
listen=${2:-127.0.0.1:8080}
remote="$data/cluster-repo.git"
mkdir -p "$data"
if [ ! -d "$remote" ]; then
  work=$(mktemp -d)
  cp -R "$root/cluster-repo-example/." "$work/"
  git -C "$work" init -q -b main
  git -C "$work" add -A
  git -C "$work" -c user.name=plinth -c user.email=plinth@localhost commit -q -m "cluster-repo-example"
  git clone -q --bare "$work" "$remote"
  rm -rf "$work"
  echo "prepared $remote"
fi
cd "$root"
[ -f dist/reconciler/cli/main.js ] || npm run build
exec node bin/plinth.js serve --repo "$remote" --branch main --data "$data/state" --listen "$listen" --cluster pub1 --poll-interval 30
