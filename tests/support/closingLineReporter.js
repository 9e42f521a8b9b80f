/**
 * Prints the plain closing line `N passed, N failed, N skipped` after Jest's own summary,
 * so that tools which read only a run's last line see the totals.
 */
class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`);
  }
}
module.exports = ClosingLineReporter;
