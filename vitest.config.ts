import { defineConfig } from 'vitest/config';

// Tests wait for conditions, never for the machine to be fast: the per-test limit is only a backstop
// against a hang, so it is generous (a loaded 2-core machine runs a CLI process in hundreds of ms).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
