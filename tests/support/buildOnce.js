/**
 * Jest global setup: compiles the server once (`tsc -p tsconfig.build.json`, as `npm start`
 * does) before any test runs. Tests that start real processes (shutdown, the benchmark suite)
 * then run dist/ as it is, so two test files never rewrite dist/ while a child process reads it.
 */
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function buildOnce() {
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
};
