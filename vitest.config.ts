import { defineConfig } from 'vitest/config';
import { SlowFirst } from './test/setup/slow-first.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores: live-server tests share them, so keep the pool small and timeouts generous.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One PostgreSQL server for the run (GOVSCAN_TEST_PG, or a throwaway cluster): the storage,
    // API and fault tests run against it as well as against SQLite.
    globalSetup: ['test/setup/postgres.ts'],
    sequence: { sequencer: SlowFirst },
  },
});
