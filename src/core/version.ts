// The tool's version, read from package.json once, for reports and the user agent.

import { readFileSync } from 'node:fs';
import { packageRoot } from './package-root.js';
import { join } from 'node:path';

let cached: string | undefined;
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
