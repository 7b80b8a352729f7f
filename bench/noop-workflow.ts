/**
 * The no-op floor of the benchmark (scenario 0, issue 13): a workflow that does nothing but answer an
 * Update at once. It runs on an in-process worker of the benchmark, with a task queue of its own, on
 * the same Temporal server as the system, so the system's submissions and actions can be read as
 * ratios to what the server and the SDK cost alone.
 */
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

/** Answers with its argument, at once: no validation, no state, no activity. */
export const noopUpdate = defineUpdate<number, [number]>('noop');
/** Lets a no-op workflow end (the benchmark also starts them with an execution timeout). */
export const finishSignal = defineSignal('finish');

export async function noopWorkflow(): Promise<void> {
  let finished = false;
  setHandler(noopUpdate, (n) => n);
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
}
