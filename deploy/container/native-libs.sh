#!/usr/bin/env bash
# Copies libpcap and the shared libraries it loads (all but the C library itself) from this build machine into DIR, with
# each one's Debian copyright file, for the container image: the .NET base images carry no libpcap, and the SDK's
# container publishing layers files onto a base image but cannot install a package into it.
#
#   deploy/container/native-libs.sh DIR
#
# The image sets LD_LIBRARY_PATH to that folder, so SharpPcap's dlopen("libpcap.so.0.8") finds these copies. Only the C
# library (libc, libm, ld-linux …) comes from the base image, which must be glibc as new as the build machine's or newer
# (the .NET images are: Ubuntu 24.04 has glibc 2.39, Debian 12 has 2.36). Exit 1 when libpcap is not installed here.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: native-libs.sh DIR" >&2; exit 2; }
out=$1
pcap=$(ldconfig -p | awk '/libpcap\.so\.0\.8 .*x86-64/ { print $NF; exit }')
[ -n "$pcap" ] || { echo "native-libs.sh: no libpcap.so.0.8 on this machine: apt-get install libpcap0.8" >&2; exit 1; }
mkdir -p "$out/licenses"
# ldd lists the whole closure (libpcap's needs and theirs); the C library and the loader stay the base image's.
mapfile -t libs < <(ldd "$pcap" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | grep -vE '/(libc|libm|libdl|libpthread|librt|ld-linux[^/]*)\.so' || true)
for lib in "$pcap" "${libs[@]}"; do
  real=$(readlink -f "$lib")
  cp "$real" "$out/$(basename "$lib")"
  command -v dpkg >/dev/null 2>&1 || continue
  # dpkg records a library under /lib or /usr/lib as its package installed it, whichever the merged /usr resolves to.
  for path in "$lib" "$real" "${real#/usr}" "/usr${lib#/usr}"; do
    package=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1) || continue
    [ -z "$package" ] || { [ ! -f "/usr/share/doc/$package/copyright" ] || cp "/usr/share/doc/$package/copyright" "$out/licenses/$package.copyright"; break; }
  done
done
