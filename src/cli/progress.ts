// Progress while a scan runs: listr2 on a terminal (one line per target with its counts), plain lines
// when stderr is not a TTY (CI logs), nothing with --quiet. Always on stderr: stdout carries the report.

import { Listr, ProcessOutput, type ListrTask } from 'listr2';
import type { Attempt, Finding, Lang, Target } from '../core/types.js';
import { localize } from '../core/i18n/index.js';
import { M } from './messages.js';
// Target names and probe reasons come from files and servers: shown, never obeyed, by the terminal.
import { terminalText as safe } from '../report/terminal-text.js';

export interface ProgressSink {
  start(target: Target): void;
  done(target: Target, attempts: Attempt[], findings: Finding[]): void;
  /** Run the scan with the display attached; resolves when both are finished. */
  wrap<T>(work: () => Promise<T>): Promise<T>;
}

function counts(attempts: Attempt[], findings: Finding[], lang: Lang): string {
  const reason = notTestedReason(attempts, findings, lang);
  if (reason !== null) return localize(M.progressNotTested, lang, { reason });
  const failed = findings.filter((f) => f.outcome === 'fail').length;
  const passed = findings.filter((f) => f.outcome === 'pass').length;
  return localize(M.progressCounts, lang, { failed, passed });
}

/** Why nothing of the target could be judged (every probe failed, no rule passed or failed); null when something was. */
function notTestedReason(attempts: Attempt[], findings: Finding[], lang: Lang): string | null {
  const errors = attempts.filter((a) => a.status === 'error');
  if (!errors.length || findings.some((f) => f.outcome === 'fail' || f.outcome === 'pass')) return null;
  return safe([...new Set(errors.map((e) => e.reasonText?.[lang] ?? e.reason ?? e.errorKind ?? ''))].join('; '));
}

export function createProgress(opts: { mode: 'tty' | 'plain' | 'quiet'; targets: Target[]; lang: Lang }): ProgressSink {
  if (opts.mode === 'quiet') return { start: () => undefined, done: () => undefined, wrap: (work) => work() };
  // listr2 draws its live list only when stdout is a terminal; otherwise it falls back to a renderer
  // that writes to stdout, into the report (`govscan scan -f json > report.json`). Plain lines then.
  if (opts.mode === 'plain' || !process.stdout.isTTY) return plainProgress(opts.targets.length, opts.lang);
  return listrProgress(opts.targets, opts.lang);
}

function plainProgress(total: number, lang: Lang): ProgressSink {
  let finished = 0;
  return {
    start: () => undefined,
    done(target, attempts, findings) {
      finished++;
      process.stderr.write(`[${finished}/${total}] ${safe(target.key)} — ${counts(attempts, findings, lang)}\n`);
    },
    wrap: (work) => work(),
  };
}

/** A line per target until this many; beyond it one aggregate line says more than a wall of text. */
const MAX_LINES = 40;

interface Line {
  /** Finish the line: ✔ with its title, or, given a reason, listr2's yellow ↓ with that text instead. */
  settle: (notTested?: string) => void;
  setTitle: (title: string) => void;
  task: ListrTask;
}

function line(initial: string): Line {
  let settle!: (notTested: string | undefined) => void;
  const settled = new Promise<string | undefined>((resolve) => (settle = resolve));
  let pendingTitle: string | undefined;
  let setter: ((t: string) => void) | undefined;
  const l: Line = {
    settle: (notTested) => settle(notTested),
    setTitle: (t) => (setter ? setter(t) : (pendingTitle = t)),
    task: {
      title: initial,
      task: async (_ctx, task) => {
        setter = (t) => (task.title = t);
        if (pendingTitle) setter(pendingTitle);
        // A target nothing could be judged on must not end with the green ✔ of a target that passed.
        const notTested = await settled;
        if (notTested !== undefined) task.skip(notTested);
      },
    },
  };
  return l;
}

function listrProgress(targets: Target[], lang: Lang): ProgressSink {
  const aggregate = targets.length > MAX_LINES;
  const lines = new Map<string, Line>();
  const summary = line(localize(M.progressAggregate, lang, { done: 0, total: targets.length, failed: 0 }));
  if (!aggregate) for (const t of targets) lines.set(t.key, line(safe(t.key)));
  let finished = 0;
  let failed = 0;
  return {
    start(target) {
      lines.get(target.key)?.setTitle(`${safe(target.key)} …`);
    },
    done(target, attempts, findings) {
      finished++;
      failed += findings.filter((f) => f.outcome === 'fail').length;
      summary.setTitle(localize(M.progressAggregate, lang, { done: finished, total: targets.length, failed }));
      const l = lines.get(target.key);
      const title = `${safe(target.key)} — ${counts(attempts, findings, lang)}`;
      l?.setTitle(title);
      l?.settle(notTestedReason(attempts, findings, lang) === null ? undefined : title);
    },
    async wrap(work) {
      const tasks = aggregate ? [summary.task] : [...lines.values()].map((l) => l.task);
      const listr = new Listr(tasks, {
        concurrent: true,
        exitOnError: false,
        // listr2's own Ctrl-C handler calls process.exit(127): the scan handles SIGINT itself, writes
        // the report and exits 130.
        registerSignalListeners: false,
        rendererOptions: { processOutput: new ProcessOutput(process.stderr, process.stderr) },
      });
      const display = listr.run().catch(() => undefined);
      try {
        return await work();
      } finally {
        summary.settle();
        for (const l of lines.values()) l.settle();
        await display;
      }
    },
  };
}
