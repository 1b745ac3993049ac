#!/usr/bin/env bash
# Builds the embedded database engine (FerretDB, SQLite backend) into the project's git-ignored tools folder.
# A plain `go install ...@version` fails behind this machine's module proxy, and the published module lacks the
# generated build/version/version.txt (without it the binary panics at start), so we build from a patched copy.
# Idempotent: exits at once when the binary of the pinned version is already there.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tools="${TOOLS_DIR:-$root/.tools}"
module="github.com/FerretDB/FerretDB"
version="$(awk -v m="$module" '$1 == m { print $2 } $2 == m { print $3 }' "$here/go.mod" | head -n 1)"
out="$tools/ferretdb"

# No pipe into grep -q here: with pipefail, an early exit of grep can kill the writer with SIGPIPE (status 141).
built_version() { [ -x "$out" ] && "$out" --version 2>/dev/null | head -n 1 || true; }
if [ "$(built_version)" = "version: $version" ]; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "The embedded database engine needs Go to build (https://go.dev/dl or 'apt-get install golang')," >&2
  echo "or a 'ferretdb' binary on PATH, or MONGODB_URI pointing at a MongoDB-compatible server." >&2
  exit 3
fi

echo "Building the embedded database engine (FerretDB $version); the first build takes a few minutes..." >&2
mkdir -p "$tools"
work="$tools/build"
rm -rf "$work"
mkdir -p "$work/mod"

(cd "$here" && go mod download "$module")
src="$(cd "$here" && go list -m -f '{{.Dir}}' "$module")"
cp -R "$src" "$work/src"
chmod -R u+w "$work/src"
printf '%s\n' "$version" > "$work/src/build/version/version.txt"

cp "$here/go.mod" "$here/go.sum" "$here/tools.go" "$work/mod/"
cd "$work/mod"
go mod edit -replace "$module=$work/src"
CGO_ENABLED=0 go build -trimpath -o "$out.tmp" "$module/cmd/ferretdb"
mv "$out.tmp" "$out"
rm -rf "$work"
echo "Built $(built_version)" >&2
