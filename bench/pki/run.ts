// npm run bench:pki — verifyCertificate over every x509-limbo server case: agreement with the
// expected result by family, and the time one chain takes (median, p95). Asserts nothing.
//
//   BENCH_PKI_ROUNDS  how many times the whole suite is run for timing (default 3; the first round
//                     also warms caches and the JIT, so each case's time is its median over rounds)
//   BENCH_PKI_LIST    set to 1 to print every disagreement with the problems found

import { availableParallelism, loadavg } from 'node:os';
import { loadAllowlist, loadLimbo, runLimboCase, type LimboOutcome } from './limbo.js';

const ROUNDS = Math.max(1, Number(process.env.BENCH_PKI_ROUNDS ?? 3));

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(2)} %`;

const cases = loadLimbo();
const allowed = new Set(loadAllowlist().map((a) => a.id));
const times: number[][] = cases.map(() => []);
const cpuTimes: number[][] = cases.map(() => []);
let last: LimboOutcome[] = [];
for (let round = 0; round < ROUNDS; round++) {
  last = cases.map((tc, i) => {
    const o = runLimboCase(tc);
    times[i]!.push(o.ms);
    cpuTimes[i]!.push(o.cpuMs);
    return o;
  });
}

const families = new Map<string, { n: number; agree: number; falseTrust: number; falseReject: number }>();
for (const o of last) {
  const f = families.get(o.family) ?? { n: 0, agree: 0, falseTrust: 0, falseReject: 0 };
  f.n++;
  if (o.expected === o.actual) f.agree++;
  else if (o.actual) f.falseTrust++;
  else f.falseReject++;
  families.set(o.family, f);
}

console.log(`x509-limbo server cases: ${cases.length}, ${ROUNDS} round(s)\n`);
console.log(
  `${'family'.padEnd(44)} ${'cases'.padStart(6)} ${'agree'.padStart(9)} ${'false trust'.padStart(12)} ${'false reject'.padStart(13)}`,
);
for (const [name, f] of [...families].sort((a, b) => a[0].localeCompare(b[0]))) {
  console.log(
    `${name.padEnd(44)} ${String(f.n).padStart(6)} ${pct(f.agree, f.n).padStart(9)} ${String(f.falseTrust).padStart(12)} ${String(f.falseReject).padStart(13)}`,
  );
}
const agree = last.filter((o) => o.expected === o.actual).length;
const falseTrust = last.filter((o) => !o.expected && o.actual).length;
const falseReject = last.filter((o) => o.expected && !o.actual).length;
const unexplained = last.filter((o) => o.expected !== o.actual && !allowed.has(o.id)).length;
console.log(
  `\nagreement: ${agree}/${cases.length} = ${pct(agree, cases.length)} (false trust ${falseTrust}, false reject ${falseReject}; ${unexplained} not in the allowlist)`,
);

// Each case's median over the rounds, then quantiles over the cases. The parsed-certificate cache
// holds 512 certificates and the suite has ~24,000 distinct ones, so every round is a cold one.
const spread = (all: number[][], label: string): void => {
  const perCase = all.map((t) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)] ?? 0).sort((a, b) => a - b);
  const total = perCase.reduce((sum, t) => sum + t, 0);
  console.log(
    `per-chain ${label}: median ${quantile(perCase, 0.5).toFixed(3)} ms, p95 ${quantile(perCase, 0.95).toFixed(3)} ms, max ${quantile(perCase, 1).toFixed(2)} ms, suite ${total.toFixed(0)} ms`,
  );
};
spread(times, 'wall time');
// CPU time of this process: what the validation itself costs when other processes share the cores.
spread(cpuTimes, 'CPU time ');
console.log(
  `load average while measuring: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`,
);

if (process.env.BENCH_PKI_LIST === '1') {
  for (const o of last.filter((x) => x.expected !== x.actual)) {
    console.log(
      `${allowed.has(o.id) ? 'allowed ' : 'NEW     '} ${o.id}: expected ${o.expected ? 'valid' : 'invalid'}; ${o.result.problems.join(', ') || 'valid'}`,
    );
  }
}
