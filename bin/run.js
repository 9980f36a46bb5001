#!/usr/bin/env node
// govscan entry point: oclif reads the command table from dist/ (built by `npm run build`).
import { assertNodeVersion } from './node-version.js';

assertNodeVersion('govscan');
const { execute } = await import('@oclif/core');

// `govscan help X --lang vi` reads as `govscan X --help --lang vi`: oclif's own `help` command knows no
// --lang, while `--help` goes through govscan's help class, which speaks both languages.
const argv = process.argv.slice(2);
const dashDash = argv.indexOf('--');
const flags = dashDash < 0 ? argv : argv.slice(0, dashDash);
const args =
  argv[0] === 'help' && flags.some((a) => a === '--lang' || a.startsWith('--lang='))
    ? [...flags.slice(1), '--help', ...argv.slice(flags.length)]
    : argv;

await execute({ args, dir: import.meta.url });
