import { defineConfig } from 'vitest/config';

// Real Docker, Packer and Ansible: builds take seconds each and share one engine.
export default defineConfig({
  test: {
    include: ['__tests__/**/*.itg.test.ts'],
    globalSetup: ['__tests__/integration-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
