#!/bin/sh
# The "loaded machine" check: clone this repository into an empty directory and run `npm test` there beside one
# CPU burner per core (CI machines are shared). Usage: sh scripts/test-beside-burner.sh [N]  → log in /tmp/burnN.log
set -u
N=${1:-1}
REPO=$(cd "$(dirname "$0")/.." && pwd)
DIR=/tmp/burn$N
rm -rf "$DIR" && mkdir "$DIR" && git clone -q "$REPO" "$DIR/udbhabon" && cd "$DIR/udbhabon" || exit 1
git log --oneline -1 > "/tmp/burn$N.log"
PIDS=""
for _ in $(seq "$(nproc)"); do
  timeout 3600 sh -c 'while :; do :; done' &
  PIDS="$PIDS $!"
done
/usr/bin/time npm test >> "/tmp/burn$N.log" 2>&1
STATUS=$?
echo "EXIT $STATUS" >> "/tmp/burn$N.log"
kill $PIDS 2>/dev/null
tail -4 "/tmp/burn$N.log"
exit $STATUS
