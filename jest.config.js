/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/tests/support/buildOnce.js',
  testTimeout: 120000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/tests/support/closingLineReporter.js'],
};
