import { resolve } from 'node:path';
import { z } from 'zod';
// zod's Chinese messages for an operator too, whichever module loads first.
import '../domain/zod-locale.js';

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A whole number from the environment; a blank value is refused instead of being read as 0. */
const integer = (min: number, max: number) =>
  z.string().trim().min(1, 'must not be blank').transform(Number).pipe(z.number().int().min(min).max(max));

const port = integer(0, 65535);

/** Development secrets: fine on a laptop, refused when NODE_ENV=production. */
const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-in-production-0123456789';
const DEV_WEBHOOK_SECRET = 'dev-only-webhook-secret';

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    /**
     * Where the API listens. Unset: every interface once JWT_SECRET is set, but loopback while the
     * public development secret is in use, since anyone on the office network could otherwise mint
     * tokens with it (and the development login page hands them out).
     */
    API_HOST: z.string().min(1).optional(),
    API_PORT: port.default(3000),
    /** Public base URL printed at start-up and used in links. */
    PUBLIC_URL: z.url().optional(),

    /** When set, nothing embedded is started: worker and API connect to this cluster. */
    TEMPORAL_ADDRESS: z.string().min(1).optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('enforcement-supervision'),
    TEMPORAL_TLS: boolean.default(false),
    TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
    TEMPORAL_API_KEY: z.string().min(1).optional(),

    /** The embedded dev server used by `npm start` when TEMPORAL_ADDRESS is not set. */
    TEMPORAL_DEV_SERVER_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    DATA_DIR: z.string().min(1).default('data'),
    TEMPORAL_CLI_PATH: z.string().min(1).optional(),
    TEMPORAL_TEST_SERVER_PATH: z.string().min(1).optional(),

    /**
     * The records database (PostgreSQL): every case, site and duty, their full-process records,
     * deadlines, published decisions and reports. When unset, `npm start` embeds a server with its
     * data under DATA_DIR/postgres on POSTGRES_PORT.
     */
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
    POSTGRES_PORT: port.default(5433),

    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
    JWT_EXPIRES_IN: z.string().min(1).default('12h'),
    WEBHOOK_SECRET: z.string().min(8, 'must be at least 8 characters').default(DEV_WEBHOOK_SECRET),
    AGENCIES_FILE: z.string().min(1).default('config/agencies.json'),

    /** Working days the legal-review body has for one review round (流程图时限; default 5). */
    REVIEW_WORKING_DAYS: integer(1, 60).default(5),
    /** Working days an extension of the review adds (one extension, with a reason). */
    REVIEW_EXTENSION_WORKING_DAYS: integer(1, 60).default(5),
    /** Working days the agency has to supply material the review body asked for. */
    MATERIAL_WORKING_DAYS: integer(1, 60).default(5),
    /** Working days the agency has to accept or dispute an opinion. */
    RESPONSE_WORKING_DAYS: integer(1, 60).default(3),
    /** Working days coordination of a dispute may take. */
    COORDINATION_WORKING_DAYS: integer(1, 60).default(10),
    /** Working days the head has to decide once the review has passed. */
    DECISION_WORKING_DAYS: integer(1, 60).default(5),
    /** Reminders go out this many working days before a deadline, at REMINDER_HOUR (Asia/Shanghai). */
    REMINDER_WORKING_DAYS_BEFORE: integer(0, 30).default(1),
    REMINDER_HOUR: integer(0, 23).default(9),
    /** While a deadline stays overdue the office is escalated to again every N working days. */
    ESCALATION_REPEAT_WORKING_DAYS: integer(1, 60).default(1),
    /** Pass mark (general score + bonus) of a demonstration site's acceptance; the seed states none. */
    DEMO_SITE_PASS_MARK: z.string().trim().min(1, 'must not be blank').transform(Number).pipe(z.number().min(0).max(106)).default(90),
    /** Working days the office has to screen an application, publish a notice, confirm a site. */
    OFFICE_WORKING_DAYS: integer(1, 60).default(10),
    /** A deadline is yellow (due soon) within this many working days; red once overdue. */
    WARNING_YELLOW_WORKING_DAYS: integer(0, 30).default(2),
    /**
     * Days the embedded dev server (`npm start`) keeps a closed workflow: its record, published
     * decision and history. A production cluster's namespace retention is set by its operator.
     */
    RECORD_RETENTION_DAYS: integer(1, 36_600).default(3_660),
    /**
     * Workflows ask the working-day calendar with local activities (workflows/calendar.ts); false
     * keeps regular activities, for workers run without a workflow cache.
     */
    CALENDAR_LOCAL_ACTIVITIES: boolean.default(true),
    /** Seconds the compliance overview is answered from its last computation (0: always afresh). */
    COMPLIANCE_CACHE_SECONDS: integer(0, 3600).default(10),
    /** Score from which a reviewed case file is graded 优秀 (70 or less always fails: 70分以下 includes 70). */
    CASE_FILE_EXCELLENT_FROM: integer(70, 100).default(90),
    /** Working days ahead that the agencies' yearly duties are reminded. */
    DUTY_REMINDER_WORKING_DAYS_BEFORE: integer(0, 30).default(5),
    /** Objections a client may submit per minute on the public endpoint. */
    OBJECTION_RATE_LIMIT_PER_MINUTE: integer(1, 10_000).default(5),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (env.JWT_SECRET === DEV_JWT_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set in production' });
      }
      if (env.WEBHOOK_SECRET === DEV_WEBHOOK_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'must be set in production' });
      }
    }
    if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_TLS_KEY_PATH'],
        message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together',
      });
    }
  });

export type Config = Omit<z.output<typeof envSchema>, 'API_HOST'> & { API_HOST: string; agenciesFile: string; dataDir: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return {
    ...parsed.data,
    API_HOST: parsed.data.API_HOST ?? (parsed.data.JWT_SECRET === DEV_JWT_SECRET ? '127.0.0.1' : '0.0.0.0'),
    agenciesFile: resolve(parsed.data.AGENCIES_FILE),
    dataDir: resolve(parsed.data.DATA_DIR),
  };
}
