import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One real PostgreSQL server for the run; each file makes its own database on it.
    globalSetup: ['test/global-postgres.ts'],
    // Workflow tests start real Temporal servers and bundle workflow code; time itself is skipped.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Each file starts its own server: two at a time fit the 2-core machines this runs on.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
