#!/usr/bin/env bash
# Installs the Debian packages FDE Press needs that a fresh machine lacks.
#   scripts/system-deps.sh serve   fonts and PDF tools the app uses
#   scripts/system-deps.sh test    those, plus Chromium for the browser tests
set -euo pipefail
purpose=${1:-serve}
packages=(poppler-utils fonts-noto-cjk fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if [ "$purpose" = "test" ]; then
  packages+=(chromium)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "Cannot install ${missing[*]}: run this as root (or install them yourself)." >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
