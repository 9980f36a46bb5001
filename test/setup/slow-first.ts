// Which test files start first. With two workers the run ends when the slowest file ends: a long file
// that happens to start late leaves one worker idle for minutes. Vitest orders by past durations when
// it has them and by file size on a fresh clone (CI), where the packaging test (npm pack, an npm
// install of the tarball, then the installed CLI and server at work) is a small file. Files named
// here start first, in this order.

import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOW_FIRST = [
  'test/packaging/pack.test.ts',
  'test/worker/campaign-workers.test.ts',
  'test/cli/evidence.test.ts',
  'test/server/dashboard-views.test.ts',
  'test/worker/campaign-embedded.test.ts',
];

export class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = SLOW_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i === -1 ? SLOW_FIRST.length : i;
    };
    // Array.prototype.sort is stable: the others keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
