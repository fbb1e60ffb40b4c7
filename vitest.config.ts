import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One suite, run on PGlite by default and on PostgreSQL when DATABASE_URL is set.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'web/dist/**'],
    pool: 'forks',
    // Vitest's default is one file fewer than there are CPUs: one at a time on a 2-CPU machine,
    // where files spend much of their time waiting on PostgreSQL, child processes and the
    // browser. Two at a time took the PGlite suite from 722 s to 429 s there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/global-setup.ts'],
    env: { NODE_ENV: 'test' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
