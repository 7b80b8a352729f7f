import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AgencyDirectory } from '../platform/agencies.js';
import type { Config } from '../platform/config.js';
import type { RecordsDb } from '../platform/records/database.js';
import { auth } from './plugins/auth.js';
import { clientErrorHandler, errorHandler, frameworkErrors } from './plugins/errors.js';
import { agencyRoutes } from './routes/agencies.js';
import { calendarNoticeRoutes, calendarRoutes } from './routes/calendar.js';
import { complianceRoutes } from './routes/compliance.js';
import { decisionRoutes } from './routes/decisions.js';
import { dutyRoutes } from './routes/duties.js';
import { healthRoutes } from './routes/health.js';
import { publicRoutes } from './routes/public.js';
import { reminderRoutes } from './routes/reminders.js';
import { siteRoutes } from './routes/sites.js';
import { uiRoutes } from './routes/ui.js';
import { createCalendarBook, type CalendarBook } from '../platform/calendar-book.js';
import { createFacades } from './facades/index.js';
import { strictValidatorCompiler } from './schemas.js';
import './types.js';

export interface AppDeps {
  config: Config;
  temporal: Client;
  agencies: AgencyDirectory;
  /** The calendar in force; one is made on `temporal` when absent. */
  calendarBook?: CalendarBook;
  /** The records database the lists and records are read from (platform/records/). */
  records?: RecordsDb;
  /** pino options or false; tests pass false to keep output quiet. */
  logger?: FastifyServerOptions['logger'];
}

/**
 * The HTTP API as a Fastify app that does not listen: server.ts listens, tests call app.inject.
 * Routes reach a case, a site or an agency's duties through its facade (`app.cases`, `app.sites`,
 * `app.duties`: api/facades/), and other workflows through `app.temporal`.
 */
export async function buildApp({ config, temporal, agencies, calendarBook, records, logger = false }: AppDeps) {
  const app = Fastify({
    logger,
    // The framework's own refusals (414, a path it cannot decode …) in the API's one error body.
    frameworkErrors,
    clientErrorHandler,
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();

  // Give the request id back (the caller's own x-request-id, or the generated one) on every response,
  // refusals included, so a caller can quote it; the 500 body points to the log by this id.
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  app.setValidatorCompiler(strictValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorate('config', config);
  app.decorate('temporal', temporal);
  app.decorate('agencies', agencies);
  app.decorate('records', records);
  const book = calendarBook ?? createCalendarBook({ client: temporal, onError: (err) => app.log.warn({ err }, 'calendar notices not refreshed') });
  // Without the notices the calendar is still the published schedule and the regulation; serve it rather than fail.
  await book.refresh().catch((err: unknown) => app.log.warn({ err }, 'calendar notices not loaded at start'));
  app.decorate('calendarBook', book);
  const facades = createFacades(temporal, agencies, config, records);
  app.decorate('cases', facades.cases);
  app.decorate('sites', facades.sites);
  app.decorate('duties', facades.duties);
  if (!calendarBook) app.addHook('onClose', async () => book.close());

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // Served over plain HTTP inside a county office's network too: no forced upgrade to HTTPS.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(errorHandler);
  await app.register(auth);

  await app.register(swagger, {
    openapi: {
      info: {
        title: '行政执法监督 API — administrative-enforcement supervision',
        description:
          'Legal review of major enforcement decisions (重大执法决定法制审核), demonstration-site creation (示范点创建), ' +
          'deadlines in working days of the official Chinese calendar. Bearer tokens carry the role and agency.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes);
  await app.register(agencyRoutes);
  await app.register(calendarRoutes);
  await app.register(calendarNoticeRoutes);
  await app.register(reminderRoutes);
  await app.register(decisionRoutes);
  await app.register(siteRoutes);
  await app.register(publicRoutes);
  await app.register(dutyRoutes);
  await app.register(complianceRoutes);
  await app.register(uiRoutes);

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
