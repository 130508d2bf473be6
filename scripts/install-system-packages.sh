#!/usr/bin/env bash
# Installs the Debian packages Nagrik needs (OCR, fonts, PDF tools, a browser for tests),
# asking apt only for what is missing, so a second run costs nothing.
set -euo pipefail

packages=(tesseract-ocr tesseract-ocr-hin fonts-noto-core poppler-utils chromium postgresql)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
