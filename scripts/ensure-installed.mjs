#!/usr/bin/env node
// Runs before `npm start` and `npm test`: installs what a fresh clone lacks, skips what is there.
// Plain Node with no dependencies, because it runs before node_modules exists.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function dependenciesCurrent() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return false;
  const lock = join(root, 'package-lock.json');
  const manifest = join(root, 'package.json');
  const installedAt = statSync(marker).mtimeMs;
  return [lock, manifest].every((f) => !existsSync(f) || statSync(f).mtimeMs <= installedAt);
}

if (!dependenciesCurrent()) {
  console.log('installing npm dependencies …');
  // `npm install` follows package-lock.json. Not `npm ci`: npm 11 refuses this lock file because it
  // leaves out other platforms' optional @swc/core binaries, which a Linux install never needs.
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

const { installTemporal } = await import('./install-temporal.mjs');
installTemporal();
