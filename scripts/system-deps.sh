#!/usr/bin/env bash
# Installs the Debian packages Lokalnie needs when they are missing (only as root).
#   system-deps.sh run   — what the app needs (WeasyPrint's Pango, fonts)
#   system-deps.sh test  — plus Chromium for browser tests and gettext for the catalogue check
set -euo pipefail
purpose="${1:-test}"
need=()
if [ "$purpose" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v xgettext >/dev/null 2>&1 || need+=(gettext)
fi
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
