// @ts-nocheck
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once per run, so `npx vitest run` alone tests what the CLI tests start.
    globalSetup: ['test/setup/build-dist.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
