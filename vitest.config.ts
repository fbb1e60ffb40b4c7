import { defineConfig } from 'vitest/config';

// One suite, run on PGlite by default and on PostgreSQL when DATABASE_URL is set.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'web/dist/**'],
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    env: { NODE_ENV: 'test' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
