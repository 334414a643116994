#!/usr/bin/env bash
# System packages the tests and the document previews need on a fresh Debian 12 machine:
# LibreOffice 25.2 from bookworm-backports (SPEC: keeps content-control tags), poppler-utils,
# Chromium (browser tests), Samba (forms copied through a real SMB share) and PostgreSQL (the
# store's second backend; the tests start a throwaway cluster of their own, as user postgres).
# Idempotent: does nothing when they are all there.
set -euo pipefail
if command -v soffice >/dev/null && [ -f /usr/lib/python3/dist-packages/uno.py ] && command -v pdftoppm >/dev/null && command -v chromium >/dev/null \
   && [ -x /usr/sbin/smbd ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "install-system-packages: not root, skipping" >&2; exit 0; fi
uri=$( (grep -rhoE '^(URIs:|deb) +[^ ]+debian/?' /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null || true) \
      | awk '{print $2}' | grep -v security | head -1 || true)
uri=${uri:-http://deb.debian.org/debian}
if ! grep -rqs bookworm-backports /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null; then
  echo "deb $uri bookworm-backports main" > /etc/apt/sources.list.d/backports.list
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -t bookworm-backports libreoffice-writer-nogui python3-uno >/dev/null
apt-get install -y -qq poppler-utils fonts-dejavu-core fonts-crosextra-carlito >/dev/null
# Chromium for the browser tests of the web interface (driven by Playwright, no browser download).
apt-get install -y -qq chromium >/dev/null
# Samba: the tests copy forms onto a real SMB share on 127.0.0.1, the way Windows Explorer does.
apt-get install -y -qq samba >/dev/null
# PostgreSQL: the tests run initdb/pg_ctl themselves; the packaged cluster is not needed.
apt-get install -y -qq postgresql >/dev/null
