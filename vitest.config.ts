import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['sidecar/src/**/*.test.ts', 'shortcodes/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/setup/mariadb.ts', 'test/setup/plugin-build.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
