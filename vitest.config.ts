import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Redis, PostgreSQL and Prometheus: installed and started when missing (test/services.sh).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Suites that start servers or use Redis isolate themselves (port 0, key prefixes, databases of
    // their own, the vpcd lock), so files run in parallel: two at once. vitest's default here would
    // be one (cores − 1), and most of a file's time is spent waiting on services and processes.
    pool: 'forks',
    maxWorkers: 2,
    // Services the suites start as processes (serve, worker) check every answer against the
    // documented contract too (http.checkResponses).
    env: { JPKI_HTTP__CHECK_RESPONSES: 'true' },
    sequence: { concurrent: false },
  },
});
