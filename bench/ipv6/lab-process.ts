// The benchmark's IPv6 lab (DNS fixture, web, SMTP servers) in a process of its own, so the servers
// and the scanner do not share an event loop and the scanner's measured RSS is its own.
// Prints the scan arguments as one JSON line, then serves until its stdin closes.

import { startIpv6Lab } from '../../src/lab/dns-lab.js';
import { benchScenarios } from './scenarios.js';

const n = Number(process.argv[2] ?? '1000');
const scenarios = benchScenarios(n);
const lab = await startIpv6Lab({ scenarios });
process.stdout.write(JSON.stringify({ args: lab.args() }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => void lab.close().then(() => process.exit(0)));
