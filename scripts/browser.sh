#!/usr/bin/env bash
# Installs what the page's browser test needs, if absent: Debian's Chromium and its chromedriver (at
# /usr/bin/chromium and /usr/bin/chromedriver). Idempotent; needs root or sudo for apt-get.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  exit 0
fi
echo "[browser] installing chromium and chromium-driver"
apt_get=(apt-get)
if [[ $(id -u) -ne 0 ]]; then apt_get=(sudo apt-get); fi
if ! DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -q chromium chromium-driver >/tmp/tsflow-browser-apt.log 2>&1; then
  # The package lists may be stale on a fresh machine.
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" update -q >>/tmp/tsflow-browser-apt.log 2>&1
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -q chromium chromium-driver >>/tmp/tsflow-browser-apt.log 2>&1
fi
echo "[browser] $(/usr/bin/chromedriver --version | head -1)"
