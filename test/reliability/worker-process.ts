/**
 * A worker as its own OS process, for the fault suites to SIGKILL: the product's createWorker
 * (worker/worker.ts) with the product's activities, configured from the environment like
 * `npm run worker` (TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE, AGENCIES_FILE, WEBHOOK_SECRET).
 *
 * Two test-only knobs:
 * - WORKFLOW_BUNDLE_PATH: the workflow code bundled once by the test file, so a restart takes a
 *   second instead of a re-bundle.
 * - COMPRESS_DEADLINES=<remindAfterSeconds>,<dueAfterSeconds>: the calendar's answer for every new
 *   deadline keeps its due date but moves its reminder and due instants to that many seconds from
 *   now. Product deadlines are whole working days; this is how a suite watches a timer fall due
 *   while the Temporal server is down without waiting a day. The workflow code is untouched.
 *
 * Run it as `node --import tsx test/reliability/worker-process.ts` (one process: `npx tsx` puts a
 * CLI process in front of node, and a SIGKILL would reach only that one).
 */
import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { createCalendarActivities } from '../../activities/calendar.js';
import { AgencyDirectory } from '../../platform/agencies.js';
import { loadConfig } from '../../platform/config.js';
import { connectionOptions } from '../../platform/temporal-connection.js';
import { connectRecords } from '../../platform/records/connect.js';
import { createWorker } from '../../worker/worker.js';

Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
});

const config = loadConfig();
const agencies = AgencyDirectory.fromFile(config.agenciesFile);
const connection = await NativeConnection.connect(connectionOptions(config));

const records = config.DATABASE_URL ? await connectRecords(config, { max: 4 }) : undefined;
const compress = process.env.COMPRESS_DEADLINES?.split(',').map(Number);
const worker = await createWorker({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  agencies,
  webhookSecret: config.WEBHOOK_SECRET,
  records: records?.db,
  ...(process.env.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH } } : {}),
});

if (compress) {
  // createWorker registered the product's activities; replace the calendar's deadline answer only.
  const real = createCalendarActivities().calendarDeadline;
  const [remindAfter, dueAfter] = compress as [number, number];
  const registered = (worker as unknown as { options: { activities?: Map<string, unknown> } }).options.activities;
  if (!(registered instanceof Map) || !registered.has('calendarDeadline')) throw new Error('COMPRESS_DEADLINES: the worker has no calendarDeadline activity to replace');
  registered.set('calendarDeadline', async (req: Parameters<typeof real>[0]) => {
    const answer = await real(req);
    return { ...answer, remindAt: new Date(Date.now() + remindAfter * 1000).toISOString(), dueAt: new Date(Date.now() + dueAfter * 1000).toISOString() };
  });
}

process.stdout.write(`worker-ready ${process.pid}\n`);
await worker.run();
await connection.close();
