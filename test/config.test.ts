/**
 * Start-up configuration as an operator meets it: defaults, refusals that name the variable, the
 * agency directory file, and the development token script against the real app.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { AgencyDirectory } from '../platform/agencies.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import { harness, useTimeSkippingEnv } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'es-config-'));

/** The ConfigError loadConfig throws for `env` (fails the test when it does not throw one). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('listens on every interface only once a secret of its own is set, or when told to', () => {
    expect(loadConfig({ JWT_SECRET: 's'.repeat(40) }).API_HOST).toBe('0.0.0.0');
    expect(loadConfig({ API_HOST: '0.0.0.0' }).API_HOST).toBe('0.0.0.0');
    expect(loadConfig({}).API_HOST).toBe('127.0.0.1');
  });

  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      // The public development secret: loopback only, until JWT_SECRET is set.
      API_HOST: '127.0.0.1',
      API_PORT: 3000,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'enforcement-supervision',
      TEMPORAL_TLS: false,
      TEMPORAL_DEV_SERVER_PORT: 7233,
      TEMPORAL_UI_PORT: 8233,
      JWT_EXPIRES_IN: '12h',
      REVIEW_WORKING_DAYS: 5,
      REVIEW_EXTENSION_WORKING_DAYS: 5,
      MATERIAL_WORKING_DAYS: 5,
      RESPONSE_WORKING_DAYS: 3,
      COORDINATION_WORKING_DAYS: 10,
      DECISION_WORKING_DAYS: 5,
      REMINDER_WORKING_DAYS_BEFORE: 1,
      REMINDER_HOUR: 9,
      ESCALATION_REPEAT_WORKING_DAYS: 1,
    });
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(config.agenciesFile).toBe(resolve('config/agencies.json'));
    expect(config.dataDir).toBe(resolve('data'));
  });

  it('reads numbers and booleans from their text', () => {
    const config = loadConfig({ API_PORT: '8080', REVIEW_WORKING_DAYS: '7', REMINDER_HOUR: '0', TEMPORAL_TLS: 'yes', TEMPORAL_ADDRESS: 'temporal.internal:7233' });
    expect(config).toMatchObject({ API_PORT: 8080, REVIEW_WORKING_DAYS: 7, REMINDER_HOUR: 0, TEMPORAL_TLS: true, TEMPORAL_ADDRESS: 'temporal.internal:7233' });
    expect(loadConfig({ TEMPORAL_TLS: '0' }).TEMPORAL_TLS).toBe(false);
  });

  it.each([
    ['API_PORT', 'abc', 'API_PORT: 无效输入：期望 数字，实际接收 NaN'],
    ['API_PORT', '70000', 'API_PORT: 数值过大：期望 number <=65535'],
    ['API_PORT', '', 'API_PORT: must not be blank'],
    ['REVIEW_WORKING_DAYS', '0', 'REVIEW_WORKING_DAYS: 数值过小：期望 number >=1'],
    ['REVIEW_WORKING_DAYS', '2.5', 'REVIEW_WORKING_DAYS: 无效输入：期望 int'],
    ['REMINDER_HOUR', '24', 'REMINDER_HOUR: 数值过大：期望 number <=23'],
    ['REMINDER_HOUR', ' ', 'REMINDER_HOUR: must not be blank'],
    ['JWT_SECRET', 'too-short', 'JWT_SECRET: must be at least 32 characters'],
    ['TEMPORAL_TLS', 'maybe', 'TEMPORAL_TLS: 无效选项'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL: 无效选项'],
    ['PUBLIC_URL', 'not a url', 'PUBLIC_URL: 无效URL'],
  ])('refuses %s=%j and names the variable', (name, value, expected) => {
    const err = configError({ [name]: value });
    expect(err.name).toBe('ConfigError');
    expect(err.message).toMatch(/^invalid configuration:\n/);
    expect(err.message).toContain(expected);
  });

  it('lists every bad variable at once', () => {
    const err = configError({ API_PORT: 'abc', REVIEW_WORKING_DAYS: '0', JWT_SECRET: 'short' });
    const lines = err.message.split('\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.trim().split(':')[0]).sort()).toEqual(['API_PORT', 'JWT_SECRET', 'REVIEW_WORKING_DAYS']);
  });

  it('refuses the development secrets in production', () => {
    const err = configError({ NODE_ENV: 'production', WEBHOOK_SECRET: 'a-real-webhook-secret' });
    expect(err.message).toContain('JWT_SECRET: must be set in production');
    expect(err.message).not.toContain('WEBHOOK_SECRET');
    // Setting the dev secret explicitly does not get round it.
    const explicit = configError({ NODE_ENV: 'production', JWT_SECRET: loadConfig({}).JWT_SECRET, WEBHOOK_SECRET: 'a-real-webhook-secret' });
    expect(explicit.message).toContain('JWT_SECRET: must be set in production');
    expect(configError({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40) }).message).toContain('WEBHOOK_SECRET: must be set in production');

    const ok = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), WEBHOOK_SECRET: 'a-real-webhook-secret' });
    expect(ok.NODE_ENV).toBe('production');
    // Outside production the dev secret is fine.
    expect(() => loadConfig({ NODE_ENV: 'test' })).not.toThrow();
  });

  it('wants the TLS certificate and key together', () => {
    expect(configError({ TEMPORAL_TLS_CERT_PATH: '/etc/tls/client.pem' }).message).toContain(
      'TEMPORAL_TLS_KEY_PATH: TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together',
    );
    expect(loadConfig({ TEMPORAL_TLS_CERT_PATH: '/etc/tls/client.pem', TEMPORAL_TLS_KEY_PATH: '/etc/tls/client.key' }).TEMPORAL_TLS_KEY_PATH).toBe('/etc/tls/client.key');
  });
});

describe('AgencyDirectory.fromFile', () => {
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const write = (name: string, content: string) => {
    const path = join(tmp, name);
    writeFileSync(path, content);
    return path;
  };
  const good = { id: 'county-market', name: '县市场监督管理局', level: 'county', webhookUrl: null };

  it('reads the shipped directory', () => {
    const directory = AgencyDirectory.fromFile(join(root, 'config/agencies.json'));
    expect(directory.demo().id).toBe('county-market');
    expect(directory.get('town-chengguan')).toMatchObject({ name: '城关镇人民政府', level: 'township', webhookUrl: null });
    expect(directory.has('county-nowhere')).toBe(false);
  });

  it('names the file and the field of a bad entry', () => {
    const path = write('bad-level.json', JSON.stringify([good, { ...good, id: 'county-ecology', level: 'province' }]));
    expect(() => AgencyDirectory.fromFile(path)).toThrow(`AGENCIES_FILE ${path}: [1.level]`);
    const badId = write('bad-id.json', JSON.stringify([{ ...good, id: 'County Market' }]));
    expect(() => AgencyDirectory.fromFile(badId)).toThrow(`AGENCIES_FILE ${badId}: [0.id] lower-case letters, digits and dashes`);
    const badUrl = write('bad-url.json', JSON.stringify([{ ...good, webhookUrl: 'not a url' }]));
    expect(() => AgencyDirectory.fromFile(badUrl)).toThrow(`AGENCIES_FILE ${badUrl}: [0.webhookUrl]`);
    const twice = write('twice.json', JSON.stringify([good, { ...good, name: '另一个局' }]));
    expect(() => AgencyDirectory.fromFile(twice)).toThrow(`AGENCIES_FILE ${twice}: [1.id] 'county-market' appears twice`);
  });

  it('names the file when it is not JSON, missing, or empty', () => {
    const notJson = write('not-json.json', '[{"id": "county-market",');
    expect(() => AgencyDirectory.fromFile(notJson)).toThrow(new RegExp(`^AGENCIES_FILE ${notJson}: .*JSON`));
    const missing = join(tmp, 'missing.json');
    expect(() => AgencyDirectory.fromFile(missing)).toThrow(`AGENCIES_FILE ${missing}: ENOENT`);
    const empty = write('empty.json', '[]');
    expect(() => AgencyDirectory.fromFile(empty)).toThrow(`AGENCIES_FILE ${empty}: [] 数值过小`);
  });
});

describe('scripts/token.ts', () => {
  const testEnv = useTimeSkippingEnv();

  const secret = 'token-script-test-secret-0123456789abcdef';
  /** Runs the script as `npm run token` does, with the given secret; resolves even on a non-zero exit. */
  async function token(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const childEnv = { ...process.env, NODE_ENV: 'development', JWT_SECRET: secret, AGENCIES_FILE: 'config/agencies.json' };
    try {
      const { stdout, stderr } = await promisify(execFile)('npx', ['tsx', 'scripts/token.ts', ...args], { cwd: root, env: childEnv, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw err;
      return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  it('prints an office token the app accepts, and only for the same secret', async () => {
    const printed = await token('--role', 'office');
    expect(printed.code).toBe(0);
    const jwt = printed.stdout.trim();
    expect(jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'office', role: 'office' });
    expect(claims.agencyId).toBeUndefined();

    const h = await harness(testEnv(), { JWT_SECRET: secret });
    const other = await harness(testEnv()); // the default development secret
    await h.run(() =>
      other.run(async () => {
        const accepted = await h.app.inject({ method: 'GET', url: '/api/reminders', headers: { authorization: `Bearer ${jwt}` } });
        expect(accepted.statusCode).toBe(200);
        expect(accepted.json()).toEqual({ items: [], unread: 0, total: 0 });
        const refused = await other.app.inject({ method: 'GET', url: '/api/reminders', headers: { authorization: `Bearer ${jwt}` } });
        expect(refused.statusCode).toBe(401);
      }),
    );
  });

  it('prints an agency token for the demo agency by default', async () => {
    const printed = await token('--role', 'agency', '--name', '王五');
    expect(printed.code).toBe(0);
    const claims = JSON.parse(Buffer.from(printed.stdout.trim().split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ role: 'agency', agencyId: 'county-market', sub: 'county-market:agency', name: '王五' });
    const h = await harness(testEnv(), { JWT_SECRET: secret });
    await h.run(async () => {
      const res = await h.app.inject({ method: 'GET', url: '/api/reminders', headers: { authorization: `Bearer ${printed.stdout.trim()}` } });
      expect(res.statusCode).toBe(200);
    });
  });

  it('exits 2 with a message for an unknown role or agency, printing no token', async () => {
    const badRole = await token('--role', 'nope');
    expect(badRole.code).toBe(2);
    expect(badRole.stdout).toBe('');
    expect(badRole.stderr).toContain('--role must be one of agency, legal-review, agency-head, office');

    const noRole = await token();
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toContain('--role must be one of');

    const badAgency = await token('--role', 'agency', '--agency', 'county-nowhere');
    expect(badAgency.code).toBe(2);
    expect(badAgency.stdout).toBe('');
    expect(badAgency.stderr).toContain("--agency 'county-nowhere' is not in");
    expect(badAgency.stderr).toContain('known: county-market, county-ecology, county-transport, town-chengguan');
  });

  it('prints its usage for --help, and for an unknown option with exit 2, never a stack trace', async () => {
    const help = await token('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run -s token -- --role <agency|legal-review|agency-head|office>');
    const unknown = await token('--bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    expect(unknown.stderr).toContain('npm run -s token');
    expect(unknown.stderr).not.toContain('    at ');
  });
});
