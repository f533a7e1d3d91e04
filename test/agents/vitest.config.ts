import { defineConfig } from 'vitest/config';

// The real-agent suite (npm run test:agents): slow, needs the agent CLIs from test/agents/setup.sh, so it is not part of npm test.
export default defineConfig({
  test: {
    include: ['test/agents/**/*.agents.ts'],
    // One agent at a time: each starts a CLI of a few hundred MB on a shared machine.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
