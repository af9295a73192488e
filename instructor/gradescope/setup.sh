#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu 22.04 base). The grader
# (source/grader.mjs) needs only Node ≥ 20; this installs Node 22 and isolated-vm for speed (V8 isolates instead
# of the embedded QuickJS interpreter). If isolated-vm cannot be installed, grading still works, in QuickJS.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl gnupg
curl -fsSL https://deb.nodesource.com/setup_22.x | bash -
apt-get install -y --no-install-recommends nodejs
node --version
cd /autograder/source
# Prebuilt binaries for Node 22 on linux-x64 (glibc) ship in the package: no compiler needed.
if npm install --no-save --no-package-lock --no-audit --no-fund isolated-vm@@IVM_VERSION@; then
  node --no-node-snapshot -e "require('isolated-vm'); console.log('isolated-vm loads')" || echo "isolated-vm does not load; the autograder will use QuickJS"
else
  echo "isolated-vm could not be installed; the autograder will use QuickJS (same scores, slower)"
fi
