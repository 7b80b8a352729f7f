/**
 * Replays the committed histories in test/histories (recorded by scripts/record-histories.ts)
 * against the worker's current workflow code: a change that would break running workflows fails here.
 * Never re-record to make this pass; guard the change with patched() instead. Histories recorded
 * before a patch stay, renamed `<name>.before-<patch>.json`, beside the ones recorded after it, so
 * both paths keep replaying (e.g. `*.before-local-calendar.json`: the calendar as regular activities).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { quietRuntime, workflowBundle } from './helpers.js';

const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));
const files = readdirSync(historiesDir).filter((f) => f.endsWith('.json')).sort();

function loadHistory(file: string): History {
  // protobufjs@8 is a top-level dependency so the SDK's proto types and its JSON converter share one copy.
  return historyFromJSON(JSON.parse(readFileSync(`${historiesDir}${file}`, 'utf8')));
}

beforeAll(async () => {
  quietRuntime();
  await workflowBundle();
}, 120_000);

describe('replay of recorded workflow histories', () => {
  it('has histories of every workflow to replay', () => {
    expect(files.some((f) => f.startsWith('legal-review-'))).toBe(true);
    expect(files.some((f) => f.startsWith('inbox-'))).toBe(true);
    expect(files.some((f) => f.startsWith('demo-site-'))).toBe(true);
    expect(files.some((f) => f.startsWith('demo-campaign-'))).toBe(true);
    expect(files.some((f) => f.startsWith('agency-duties-'))).toBe(true);
    expect(files.some((f) => f.startsWith('calendar-notice-'))).toBe(true);
    expect(files.some((f) => f.startsWith('legal-review-calendar-moved'))).toBe(true);
  });

  it.each(files)('replays %s deterministically against the current workflow code', async (file) => {
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: file }, loadHistory(file));
  });

  it('fails when the workflow code no longer matches a recorded history', async () => {
    const altered = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./fixtures/nondeterministic-workflows.ts', import.meta.url)),
      logger: new DefaultLogger('ERROR'),
    });
    const file = files.find((f) => f.startsWith('legal-review-'))!;
    await expect(Worker.runReplayHistory({ workflowBundle: altered, replayName: `${file} (altered)` }, loadHistory(file))).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});
