import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // web/src tests choose jsdom with a `// @vitest-environment jsdom` comment at their top
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts', 'web/src/**/*.test.tsx'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
})
