import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Redis, PostgreSQL and Prometheus: installed and started when missing (test/services.sh).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Suites that start servers or use Redis isolate themselves; files run in parallel on 2 cores.
    pool: 'forks',
    // Services the suites start as processes (serve, worker) check every answer against the
    // documented contract too (http.checkResponses).
    env: { JPKI_HTTP__CHECK_RESPONSES: 'true' },
    sequence: { concurrent: false },
  },
});
