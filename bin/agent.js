#!/usr/bin/env node
// govscan-agent entry point: a hand-written command line (dist/agent/cli.js, built by `npm run build`),
// not oclif, so the resident loop stays small.
import { assertNodeVersion } from './node-version.js';

assertNodeVersion('govscan-agent');
const { main } = await import('../dist/agent/cli.js');

process.exitCode = await main(process.argv.slice(2));
