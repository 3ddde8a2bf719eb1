#!/usr/bin/env bash
# The .deb that `cpack -G DEB` makes from the build: its control fields, its
# conffile and maintainer scripts, its files, and its binary running on the
# data it ships (unpacked with dpkg-deb -x, not installed).
#   deb_test.sh BUILD_DIR
set -uo pipefail
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log" >&2; exit 1; }
debs=("$tmp"/out/rebalance_*.deb)
if [ ${#debs[@]} != 1 ] || [ ! -f "${debs[0]}" ]; then
  echo "FAIL: expected one rebalance_*.deb, found: ${debs[*]}" >&2
  exit 1
fi
deb=${debs[0]}

dpkg-deb -f "$deb" Package | grep -qx rebalance || fail "Package is not rebalance"
depends=$(dpkg-deb -f "$deb" Depends)
needed=(adduser fonts-dejavu-core libsqlite3-0 libsodium23 libpq5 libcairo2 libstdc++6)
grep -q "^REBALANCE_ALLOCATOR:STRING=tcmalloc" "$build/CMakeCache.txt" && needed+=(libtcmalloc-minimal4)
for d in "${needed[@]}"; do
  [[ "$depends" == *"$d"* ]] || fail "Depends lacks $d (dpkg-shlibdeps or the list in cmake/Packaging.cmake): $depends"
done

dpkg-deb -e "$deb" "$tmp/control"
grep -qx /etc/rebalance/rebalance.conf "$tmp/control/conffiles" || fail "/etc/rebalance/rebalance.conf is not a conffile"
for s in postinst prerm postrm; do
  [ -x "$tmp/control/$s" ] || fail "$s is missing or not executable"
  sh -n "$tmp/control/$s" || fail "$s is not valid sh"
done
grep -q "adduser --system" "$tmp/control/postinst" || fail "postinst does not create the system user"
grep -q "rm -rf /var/lib/rebalance" "$tmp/control/postrm" || fail "postrm does not delete the state on purge"

dpkg-deb -c "$deb" >"$tmp/contents"
for f in ./usr/bin/rebalance ./usr/share/rebalance/data/kb.json ./lib/systemd/system/rebalance.service \
         ./etc/rebalance/rebalance.conf ./usr/share/doc/rebalance/README.md; do
  grep -q " $f\$" "$tmp/contents" || fail "the .deb lacks $f"
done
grep -q " ./usr/local" "$tmp/contents" && fail "the .deb has files under /usr/local"

dpkg-deb -x "$deb" "$tmp/root"
grep -qx "ExecStart=/usr/bin/rebalance serve --config /etc/rebalance/rebalance.conf" \
  "$tmp/root/lib/systemd/system/rebalance.service" || fail "the unit does not start /usr/bin/rebalance with /etc/rebalance"
readelf -S "$tmp/root/usr/bin/rebalance" | grep -q "\.debug_info" && fail "usr/bin/rebalance is not stripped"
# The packaged binary loads the packaged data (and not the source tree's):
# it runs, and a broken packaged kb.json is what it reports.
bin=$tmp/root/usr/bin/rebalance
env -u REBALANCE_DATA "$bin" tests >/dev/null 2>"$tmp/err" || fail "the packaged binary on its packaged data: $(head -c 400 "$tmp/err")"
echo "{" >"$tmp/root/usr/share/rebalance/data/kb.json"
env -u REBALANCE_DATA "$bin" tests >/dev/null 2>"$tmp/err" && fail "a broken packaged kb.json went unnoticed"
grep -qF "$tmp/root/usr/share/rebalance/data" "$tmp/err" || fail "the packaged binary did not load the packaged data: $(head -c 400 "$tmp/err")"

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "the .deb: ok ($(du -k "$deb" | cut -f1) KiB)"
