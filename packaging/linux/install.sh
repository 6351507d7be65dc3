#!/bin/sh
# Install (or remove) the Token Budget bundle for one user or for the whole machine, with its
# menu entry, icons and AppStream metadata. No Python needed.
#
#   sh install.sh                         # for you: ~/.local/lib/tokenbudget, ~/.local/bin/tokenbudget
#   sudo sh install.sh --prefix /usr/local # for everyone
#   sh install.sh --uninstall [--prefix DIR]
#   sh install.sh --bundle path/to/TokenBudget   # a bundle somewhere else
#
# Works from the release tarball (this script beside TokenBudget/) and from a checkout after
# packaging/build (the bundle in dist/TokenBudget).
set -eu
APP_ID=org.tokenbudget.TokenBudget
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX="${HOME}/.local"
BUNDLE=""
ACTION=install
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="$2"; shift 2 ;;
    --bundle) BUNDLE="$2"; shift 2 ;;
    --uninstall) ACTION=uninstall; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
LIBDIR="$PREFIX/lib/tokenbudget"
BINLINK="$PREFIX/bin/tokenbudget"
APPS="$PREFIX/share/applications"
ICONS="$PREFIX/share/icons/hicolor"
METAINFO="$PREFIX/share/metainfo"

refresh() {
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$APPS" || true; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t "$ICONS" || true; fi
}

if [ "$ACTION" = uninstall ]; then
  rm -rf "$LIBDIR"
  rm -f "$BINLINK" "$APPS/$APP_ID.desktop" "$METAINFO/$APP_ID.metainfo.xml" "$ICONS/scalable/apps/$APP_ID.svg"
  for size in 16 24 32 48 64 128 256; do rm -f "$ICONS/${size}x${size}/apps/$APP_ID.png"; done
  refresh
  echo "Token Budget removed from $PREFIX"
  exit 0
fi

if [ -z "$BUNDLE" ]; then
  for candidate in "$HERE/TokenBudget" "$HERE/../../dist/TokenBudget"; do
    if [ -x "$candidate/TokenBudget" ]; then BUNDLE="$candidate"; break; fi
  done
fi
if [ -z "$BUNDLE" ] || [ ! -x "$BUNDLE/TokenBudget" ]; then
  echo "install.sh: no bundle found; build one with packaging/build or pass --bundle DIR" >&2
  exit 2
fi
BUNDLE=$(cd "$BUNDLE" && pwd)
# The menu entry and AppStream file: beside this script in a release tarball, else in the bundle's
# resources (the wheel ships them there too), else in a checkout's resources/linux.
META="$HERE"
for candidate in "$HERE" "$BUNDLE/_internal/resources/linux" "$HERE/../../resources/linux"; do
  if [ -f "$candidate/$APP_ID.desktop" ]; then META=$(cd "$candidate" && pwd); break; fi
done
for file in "$META/$APP_ID.desktop" "$META/$APP_ID.metainfo.xml"; do
  [ -f "$file" ] || { echo "install.sh: $file is missing" >&2; exit 2; }
done

mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$APPS" "$METAINFO" "$ICONS/scalable/apps"
rm -rf "$LIBDIR.new"
cp -a "$BUNDLE" "$LIBDIR.new"            # copy first, then swap, so a failed copy keeps the old install
rm -rf "$LIBDIR"
mv "$LIBDIR.new" "$LIBDIR"
ln -sf "$LIBDIR/TokenBudget" "$BINLINK"
# The menu entry names the executable by absolute path: ~/.local/bin is often not on a session's PATH.
sed -e "s#^Exec=tokenbudget #Exec=$BINLINK #" -e "s#^TryExec=tokenbudget\$#TryExec=$BINLINK#" \
  "$META/$APP_ID.desktop" > "$APPS/$APP_ID.desktop"
cp "$META/$APP_ID.metainfo.xml" "$METAINFO/$APP_ID.metainfo.xml"
ICON_SRC="$LIBDIR/_internal/resources/icons"
for size in 16 24 32 48 64 128 256; do
  mkdir -p "$ICONS/${size}x${size}/apps"
  cp "$ICON_SRC/tokenbudget-$size.png" "$ICONS/${size}x${size}/apps/$APP_ID.png"
done
cp "$ICON_SRC/tokenbudget.svg" "$ICONS/scalable/apps/$APP_ID.svg"
refresh
echo "Token Budget installed in $LIBDIR"
echo "  menu entry: $APPS/$APP_ID.desktop"
echo "  command:    $BINLINK (add $PREFIX/bin to PATH to use it from a terminal)"
