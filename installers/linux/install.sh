#!/usr/bin/env sh
# Install the unpacked bundle for every user of this machine (run as root from the bundle):
#   sudo ./install.sh [/opt/raccordo]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TARGET=${1:-/opt/raccordo}
if [ "$HERE" != "$TARGET" ]; then
    rm -rf "$TARGET"
    mkdir -p "$(dirname "$TARGET")"
    cp -a "$HERE" "$TARGET"
fi
sed "s|/opt/raccordo|$TARGET|" "$TARGET/share/applications/raccordo.desktop" \
    >/usr/share/applications/raccordo.desktop
for size in 256x256 scalable; do
    mkdir -p "/usr/share/icons/hicolor/$size/apps"
    cp "$TARGET/share/icons/hicolor/$size/apps/"raccordo.* "/usr/share/icons/hicolor/$size/apps/"
done
ln -sf "$TARGET/raccordo" /usr/local/bin/raccordo
ln -sf "$TARGET/raccordo-gui" /usr/local/bin/raccordo-gui
mkdir -p /etc/raccordo
[ -f /etc/raccordo/raccordo.ini ] || cp "$TARGET/raccordo.ini.example" /etc/raccordo/raccordo.ini
echo "Raccordo installato in $TARGET; configurazione di sede: /etc/raccordo/raccordo.ini"
