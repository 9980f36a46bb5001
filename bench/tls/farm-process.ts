// The benchmark's farm in a process of its own, so servers and scanners do not share an event loop.
// Prints the endpoints as one JSON line, then serves until its stdin closes.

import { startPlainFarm } from '../../src/lab/bench-farm.js';

const n = Number(process.argv[2] ?? '200');
const farm = await startPlainFarm(n);
process.stdout.write(
  JSON.stringify({ endpoints: farm.endpoints.map((e) => ({ host: e.host, port: e.port })), rootPem: farm.publicRootPemFile }) + '\n',
);
process.stdin.resume();
process.stdin.on('end', () => void farm.close().then(() => process.exit(0)));
