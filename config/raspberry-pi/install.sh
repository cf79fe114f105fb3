#!/bin/bash
# Install or update the Ter Plekke kiosk on a Raspberry Pi. See docs/raspberry-pi.md, step by step.
#
# Run as root from a copy of the kiosk's code (a git clone, or a folder copied from a USB stick):
#     sudo ./config/raspberry-pi/install.sh
# Safe to run again: that is also how the kiosk is updated. The records (/var/lib/ter-plekke-kiosk) and
# the settings (/etc/ter-plekke-kiosk/kiosk.toml) are never overwritten.
set -eu -o pipefail

PREFIX=/opt/ter-plekke-kiosk
APP_DIR=$PREFIX/app
VENV=$PREFIX/venv
CONFIG_DIR=/etc/ter-plekke-kiosk
CONFIG_FILE=$CONFIG_DIR/kiosk.toml
DATA_DIR=/var/lib/ter-plekke-kiosk
KIOSK_USER=kiosk
UNIT=ter-plekke-kiosk.service
HERE=$(cd "$(dirname "$0")" && pwd)
SOURCE=$(cd "$HERE/../.." && pwd)

# cage: the kiosk compositor; xwayland: Kivy's SDL2 from PyPI draws through X11 (see the unit file);
# libpam-systemd + dbus: the login session that gives cage the screen; the rest: what Kivy's wheel loads
# at run time (OpenGL ES/EGL through Mesa, X11 client libraries, mtdev for touch).
PACKAGES=(
    cage xwayland libpam-systemd dbus
    python3 python3-venv ca-certificates
    libgl1 libgl1-mesa-dri libegl1 libgles2 libmtdev1
    libx11-6 libxext6 libxcursor1 libxi6 libxrandr2 libxss1 libxkbcommon0 xkb-data
)

usage() {
    cat <<EOF
Usage: sudo $0 [--help]

Installs the Ter Plekke kiosk on Raspberry Pi OS Lite (Bookworm, 64-bit), or updates it:
  - system packages: ${PACKAGES[*]}
  - a user "$KIOSK_USER" that runs the kiosk (no password, no login)
  - the code in $APP_DIR, its Python environment in $VENV
  - the settings $CONFIG_FILE (only if missing: yours are kept)
  - the data folder $DATA_DIR (never touched: records survive updates)
  - the service $UNIT (starts the kiosk at boot, restarts it when it stops)
  - the command /usr/local/bin/kiosk (e.g. sudo kiosk doctor)
Run it again after getting a newer version of the code: that is the update.
EOF
}

say() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf '\nStopped: %s\n' "$*" >&2; exit 1; }

for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option \"$arg\"" ;;
    esac
done

[ "$(id -u)" = 0 ] || die "run me as root: sudo $0"
if [ ! -f "$SOURCE/pyproject.toml" ] || [ ! -d "$SOURCE/kiosk" ]; then
    die "$SOURCE does not hold the kiosk's code (pyproject.toml and kiosk/ are missing)."
fi
command -v apt-get >/dev/null 2>&1 || die "this script is for Raspberry Pi OS (or Debian): apt-get is missing."
arch=$(dpkg --print-architecture)
case "$arch" in
    arm64|amd64) ;;
    *) die "this system is $arch. Use Raspberry Pi OS Lite (64-bit): the kiosk's screen library (Kivy) has ready-made packages only for 64-bit." ;;
esac
# shellcheck disable=SC1091  # a system file, present on every Debian
. /etc/os-release
case "${VERSION_CODENAME:-}" in
    bookworm|trixie) ;;
    *) note "Note: made for Raspberry Pi OS Bookworm; this is ${PRETTY_NAME:-unknown}. Going on." ;;
esac
was_running=no
if systemctl is-active --quiet "$UNIT" 2>/dev/null; then was_running=yes; fi

say "1/7 System packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"

say "2/7 The user \"$KIOSK_USER\""
if id "$KIOSK_USER" >/dev/null 2>&1; then
    note "already there"
else
    useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
        --shell /usr/sbin/nologin --comment "Ter Plekke kiosk" "$KIOSK_USER"
    note "created"
fi
# video and render: the screen and the graphics chip (logind grants them too; this also covers a
# session started without it); audio: the sound card, for reading the screens aloud.
for group in video render audio; do
    if getent group "$group" >/dev/null; then usermod -a -G "$group" "$KIOSK_USER"; fi
done
install -d -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0750 "$DATA_DIR"

say "3/7 The code, in $APP_DIR"
if [ "$SOURCE" = "$APP_DIR" ]; then
    note "running from $APP_DIR itself: nothing to copy"
else
    mkdir -p "$PREFIX"
    rm -rf "$APP_DIR.new" "$APP_DIR.old"
    mkdir "$APP_DIR.new"
    tar -C "$SOURCE" -cf - \
        --exclude=./.git --exclude=./.venv --exclude=./.buildozer --exclude=./bin --exclude=./build \
        --exclude=./dist --exclude=./data --exclude=./screenshots --exclude='*.egg-info' \
        --exclude=__pycache__ --exclude=.pytest_cache --exclude=.hypothesis . \
        | tar -C "$APP_DIR.new" -xf -
    chown -R root:root "$APP_DIR.new"
    chmod -R u+rwX,go+rX,go-w "$APP_DIR.new"
    if [ -d "$APP_DIR" ]; then mv "$APP_DIR" "$APP_DIR.old"; fi
    mv "$APP_DIR.new" "$APP_DIR"
    rm -rf "$APP_DIR.old"
    note "copied from $SOURCE"
fi

say "4/7 The Python environment, in $VENV"
# The system's Python (/usr/bin/python3), never one from a user's home the kiosk user cannot reach.
if ! runuser -u "$KIOSK_USER" -- "$VENV/bin/python" -c "" 2>/dev/null; then
    # Missing, made by an older Python (after a system upgrade), or not usable by the kiosk: make it anew.
    rm -rf "$VENV"
    /usr/bin/python3 -m venv "$VENV"
fi
# pip's chatter goes to a log, shown only when something fails.
pip_log=$(mktemp)
pip_install() {
    if ! "$VENV/bin/python" -m pip install --quiet "$@" >"$pip_log" 2>&1; then
        cat "$pip_log" >&2
        die "could not install the kiosk's Python packages (see above). Is the network working?"
    fi
}
pip_install --upgrade pip
# Editable: the kiosk finds its pictograms, fonts and default settings next to its code in $APP_DIR.
pip_install --editable "$APP_DIR"
rm -f "$pip_log"
"$VENV/bin/python" -m compileall -q "$APP_DIR/kiosk" >/dev/null || true
note "installed: $("$VENV/bin/kiosk" --version 2>/dev/null || echo 'kiosk (version unknown)')"

say "5/7 Settings, in $CONFIG_FILE"
install -d -m 0755 "$CONFIG_DIR"
if [ -f "$CONFIG_FILE" ]; then
    note "kept as it is (yours)"
else
    sed "s|^folder = .*|folder = \"$DATA_DIR\"|" "$APP_DIR/kiosk/assets/config/kiosk.toml" > "$CONFIG_FILE.new"
    mv "$CONFIG_FILE.new" "$CONFIG_FILE"
    note "created from the defaults: set the office address and token in it (see the guide)"
fi
# Files the default settings name next to themselves (e.g. a demo calendar), only if missing.
for extra in "$APP_DIR"/config/*.ics; do
    if [ -f "$extra" ] && [ ! -e "$CONFIG_DIR/$(basename "$extra")" ]; then install -m 0644 "$extra" "$CONFIG_DIR/"; fi
done
# The token is a secret: readable by root and the kiosk only.
chown root:"$KIOSK_USER" "$CONFIG_FILE"
chmod 0640 "$CONFIG_FILE"
if ! runuser -u "$KIOSK_USER" -- env KIOSK_CONFIG="$CONFIG_FILE" KIOSK_DATA_DIR="$DATA_DIR" \
        "$VENV/bin/kiosk" check-config; then
    note "The settings above have mistakes: correct them with  sudo nano $CONFIG_FILE"
fi

say "6/7 The service and the kiosk command"
install -m 0644 "$HERE/pam-ter-plekke-kiosk" /etc/pam.d/ter-plekke-kiosk
install -m 0644 "$HERE/$UNIT" "/etc/systemd/system/$UNIT"
install -m 0755 "$HERE/kiosk-command" /usr/local/bin/kiosk
# USB sticks for staff exports: mounted for the kiosk under /media/kiosk (the service may write there).
install -d -m 0755 /media/kiosk
install -m 0755 "$HERE/usb-stick" /usr/local/sbin/ter-plekke-usb-stick
install -m 0644 "$HERE/99-ter-plekke-usb.rules" /etc/udev/rules.d/99-ter-plekke-usb.rules
if command -v udevadm >/dev/null 2>&1 && [ -d /run/udev ]; then udevadm control --reload || true; fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
systemctl enable "$UNIT"
# Raspberry Pi OS Lite boots to a text console (multi-user.target); the kiosk belongs to graphical.target.
if [ "$(systemctl get-default)" != graphical.target ]; then systemctl set-default graphical.target; fi

say "7/7 Done"
if [ "$was_running" = yes ]; then
    systemctl restart "$UNIT"
    note "The kiosk was running: it has been restarted with the new version. Check it with: sudo kiosk doctor"
else
    cat <<EOF
    Next steps:
      1. Settings: the office address and this kiosk's token, the places it visits:
             sudo nano $CONFIG_FILE
      2. The staff PIN:
             sudo kiosk set-pin
      3. Restart the Raspberry Pi; the kiosk starts by itself:
             sudo reboot
      4. Check the device (over SSH, or with a keyboard on the second console, Ctrl+Alt+F2):
             sudo kiosk doctor
EOF
fi
