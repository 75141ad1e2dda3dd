#!/usr/bin/env bash
# Turns a `make install PREFIX=/usr DESTDIR=<root>` tree into a .deb (called by `make deb`):
#   build-deb.sh <root> <version> <architecture> <output.deb>
# Strips the binary, compresses the man pages and changelog, adds copyright, writes DEBIAN/ (control with
# Depends from dpkg-shlibdeps, conffiles, md5sums, maintainer scripts) and runs dpkg-deb.
set -euo pipefail
root=$1 version=$2 arch=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
doc="$root/usr/share/doc/modelwatch"

changelog_version=$(sed -n '1s/^modelwatch (\([^)]*\)).*/\1/p' "$here/debian/changelog")
if [ "$changelog_version" != "$version" ]; then
    echo "packaging/debian/changelog starts with $changelog_version, the package is $version: add an entry for $version" >&2
    exit 1
fi

# Debian policy: stripped binaries, compressed man pages and changelog, a copyright file.
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/usr/bin/modelwatch"
gzip -9nf "$root"/usr/share/man/man1/*.1
install -Dm644 "$here/debian/copyright" "$doc/copyright"
gzip -9nc "$here/debian/changelog" > "$doc/changelog.Debian.gz"
chmod 644 "$doc/changelog.Debian.gz"

install -d -m755 "$root/DEBIAN"
install -m755 "$here/debian/postinst" "$here/debian/prerm" "$here/debian/postrm" "$root/DEBIAN/"
install -m644 "$here/debian/conffiles" "$root/DEBIAN/conffiles"

# Depends: what the binary really links (dpkg-shlibdeps wants a debian/control to read), and adduser for postinst.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debian"
printf 'Source: modelwatch\n\nPackage: modelwatch\nArchitecture: any\n' > "$work/debian/control"
binary=$(cd "$root" && pwd)/usr/bin/modelwatch
shlibs=$(cd "$work" && dpkg-shlibdeps -O "$binary" | sed -n 's/^shlibs:Depends=//p')
if [ -z "$shlibs" ]; then echo "dpkg-shlibdeps found no dependencies for $binary" >&2; exit 1; fi
depends="$shlibs, adduser"

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@SIZE@|$size|" -e "s|@DEPENDS@|$depends|" \
    "$here/debian/control.in" > "$root/DEBIAN/control"

# md5sums of every shipped file except the conffiles (dpkg tracks those itself).
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\n' | LC_ALL=C sort \
    | grep -vxF -f <(sed 's|^/||' "$here/debian/conffiles") | xargs -d '\n' md5sum) > "$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/md5sums"

# Reproducible: file times from the last commit.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}
find "$root" -type d -exec chmod 755 {} +
mkdir -p "$(dirname "$out")"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out"
echo "Depends: $depends"
