// Prints vitest's JSON reports as the single line CI reads, summed over every run given (Node 22 and
// Node 24 passes of the same suite). A missing report (the build failed, or a runtime could not be
// installed, before any test ran) counts as one failure, so a broken pass can never look green.
// Failed tests are listed by file and name first, with the first line of their message, so a red run
// says what broke even when only the tail of the log is kept.
import { existsSync, readFileSync } from 'node:fs';

// `check:NAME=STATUS` arguments are whole-tree checks run before the tests (lint, layering, unused
// code): each counts as one test, failed when its exit status was not 0.
const args = process.argv.slice(2);
const checks = args.filter((a) => a.startsWith('check:')).map((a) => a.slice('check:'.length).split('='));
const files = args.filter((a) => !a.startsWith('check:'));
let passed = 0;
let failed = files.length === 0 ? 1 : 0;
let skipped = 0;
const failures = [];
for (const [name, status] of checks) {
  if (status === '0') passed += 1;
  else {
    failed += 1;
    failures.push(`check ${name}: exit ${status} (run \`npm run ${name}\` to see why)`);
  }
}
for (const file of files) {
  if (!existsSync(file)) {
    failed += 1;
    failures.push(`${file}: missing (the pass did not run)`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed +=
    (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  for (const suite of r.testResults ?? []) {
    const where = String(suite.name ?? '').replace(/^.*?\/test\//, 'test/');
    const failedTests = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failedTests) {
      const why = String((t.failureMessages ?? [])[0] ?? '')
        .split('\n')[0]
        .slice(0, 300);
      failures.push(`${file}: ${where} > ${t.fullName ?? t.title}: ${why}`);
    }
    if (suite.status === 'failed' && failedTests.length === 0) {
      failures.push(
        `${file}: ${where}: ${String(suite.message ?? '')
          .split('\n')[0]
          .slice(0, 300)}`,
      );
    }
  }
}
if (failures.length > 0) {
  console.log('== failed:');
  for (const line of failures) console.log(`FAILED ${line}`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
