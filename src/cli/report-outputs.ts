// Where one scan's report goes: --format/--output as before, and any number of `--report FORMAT[=FILE]`
// (as Checkov's several -o and InSpec's several --reporter), all written from the same findings. Each
// file is written whole or not at all (core/atomic-file.ts); stdout takes at most one report, and two
// reports to one file are refused, both before any packet is sent.

import { tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { outputTarget, writeChunksAtomic, writeTextAtomic } from '../core/atomic-file.js';
import { InputError } from '../core/errors.js';
import { defineMessages, format as fill, localize } from '../core/i18n/index.js';
import type { Lang, Localized, Report } from '../core/types.js';
import type { Format } from '../report/index.js';
import type { ReportSpill } from '../report/spill.js';
import { repeatable } from './base.js';
import { colorWanted } from './color.js';
import { onInterrupt } from './interrupt.js';
import { M } from './messages.js';
import { assertOutputsWritable } from './output-target.js';

export const REPORT_FLAGS = {
  report: repeatable({
    helpValue: 'FORMAT[=FILE]',
    description:
      'Write the report in FORMAT (table, json, sarif, junit, html, markdown, codequality) to FILE, or to stdout without =FILE; repeatable: several formats from one run. With --report, --format/--output add a report only when given',
  }),
};

const MESSAGES = defineMessages({
  badFormat: {
    en: '--report {spec}: unknown format "{format}" (use one of {formats})',
    vi: '--report {spec}: định dạng "{format}" không hợp lệ (dùng một trong {formats})',
  },
  emptyFile: { en: '--report {spec}: no file after "="', vi: '--report {spec}: thiếu tên tệp sau dấu "="' },
  stdoutTwice: {
    en: 'two reports to stdout ({first} and {second}): give all but one a file (--report FORMAT=FILE)',
    vi: 'hai báo cáo cùng ghi ra stdout ({first} và {second}): hãy chỉ định tệp cho các báo cáo còn lại (--report FORMAT=FILE)',
  },
  fileTwice: {
    en: 'two reports to the same file {file} ({first} and {second})',
    vi: 'hai báo cáo cùng ghi vào tệp {file} ({first} và {second})',
  },
});

/** One report of the run: its format, and its file (stdout when absent). */
export interface ReportOutput {
  format: Format;
  file?: string;
  /** How the user asked for it (`--format json`, `--report sarif=x.sarif`), for messages. */
  asked: string;
}

export interface PrimaryOutput {
  format: Format;
  output: string | undefined;
  /** --format or --output was given (flag, variable or settings file), not left at their defaults. */
  given: boolean;
}

/**
 * The run's reports: every --report, plus --format/--output when they were given or when there is no
 * --report (the table on stdout of a plain `govscan scan`). Throws InputError (exit 2) on a malformed
 * --report, two reports to stdout or to one file, or a file that cannot be written.
 */
export async function planReportOutputs(reports: readonly string[], primary: PrimaryOutput): Promise<ReportOutput[]> {
  const { FORMATS, isFormat } = await import('../report/index.js');
  const outputs: ReportOutput[] = [];
  if (!reports.length || primary.given) {
    outputs.push({
      format: primary.format,
      ...(primary.output ? { file: primary.output } : {}),
      asked: primary.output ? `--format ${primary.format} --output ${primary.output}` : `--format ${primary.format}`,
    });
  }
  for (const spec of reports) {
    const eq = spec.indexOf('=');
    const format = eq < 0 ? spec : spec.slice(0, eq);
    const file = eq < 0 ? undefined : spec.slice(eq + 1);
    if (!isFormat(format)) throw inputError(MESSAGES.badFormat, { spec, format, formats: FORMATS.join(', ') });
    if (file === '') throw inputError(MESSAGES.emptyFile, { spec });
    outputs.push({ format, ...(file ? { file } : {}), asked: `--report ${spec}` });
  }
  const toStdout = outputs.filter((o) => !o.file);
  if (toStdout.length > 1) throw inputError(MESSAGES.stdoutTwice, { first: toStdout[0]?.asked, second: toStdout[1]?.asked });
  const byPath = new Map<string, ReportOutput>();
  for (const o of outputs) {
    if (!o.file) continue;
    const earlier = byPath.get(resolve(o.file));
    if (earlier) throw inputError(MESSAGES.fileTwice, { file: o.file, first: earlier.asked, second: o.asked });
    byPath.set(resolve(o.file), o);
  }
  await assertOutputsWritable(
    outputs.filter((o) => o.file).map((o) => [o.asked.startsWith('--report') ? '--report' : '--output', o.file, 'file'] as const),
  );
  return outputs;
}

/** JUnit lists a testcase per rule × target and HTML lists passes per target: both need every finding kept. */
export function needsEveryFinding(outputs: readonly ReportOutput[]): boolean {
  return outputs.some((o) => o.format === 'junit' || o.format === 'html');
}

/**
 * A JSON report holds every fact and finding: they go to a spill file as targets complete and the
 * report is streamed from it, so memory stays that of a lean scan at any size. Not when another
 * report needs every finding kept in memory anyway (JSON is then rendered from that).
 */
export async function openOutputSpill(outputs: readonly ReportOutput[]): Promise<ReportSpill | null> {
  const json = outputs.find((o) => o.format === 'json');
  return json && !needsEveryFinding(outputs) ? openSpill(json.file, json.asked.startsWith('--report') ? '--report' : '--output') : null;
}

/**
 * Every report of the run, files first and stdout last. A Ctrl-C while one is written abandons it
 * (its temporary file removed) and the rest: returns true then, for the caller to end as interrupted.
 */
export async function writeReports(
  report: Report,
  outputs: readonly ReportOutput[],
  spill: ReportSpill | null,
  opts: { lang: Lang; color: boolean | undefined; quiet: boolean },
): Promise<boolean> {
  const { render } = await import('../report/index.js');
  const ordered = [...outputs.filter((o) => o.file), ...outputs.filter((o) => !o.file)];
  for (const o of ordered) {
    if (o.format === 'json' && spill) {
      const { jsonChunks } = await import('../report/json.js');
      if (await streamOut(jsonChunks(report, spill), o.file)) return true;
    } else {
      const text = render(report, o.format, { lang: opts.lang, color: !o.file && colorWanted(process.stdout, opts.color) });
      if (o.file) await writeTextAtomic(o.file, text);
      else await new Promise<void>((done) => process.stdout.write(text.endsWith('\n') ? text : text + '\n', () => done()));
    }
    if (o.file && !opts.quiet) process.stderr.write(localize(M.reportWritten, opts.lang, { file: o.file }) + '\n');
  }
  return false;
}

/**
 * The spill of a JSON scan: next to a report file (same file system, so it is renamed into place), in
 * TMPDIR for stdout or a device (`-o /dev/null` must not leave a spill file in /dev).
 */
async function openSpill(output: string | undefined, flag: string): Promise<ReportSpill> {
  const { ReportSpill } = await import('../report/spill.js');
  const file = output ? await outputTarget(output).catch(() => null) : null;
  const dir = file?.kind === 'file' ? dirname(file.path) : tmpdir();
  try {
    return ReportSpill.open(dir, output && file?.kind === 'file' ? basename(output) : 'govscan');
  } catch (err) {
    // Before any packet is sent: a report that could not be written must not cost a whole scan.
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
    throw new InputError(null, null, null, `${file?.kind === 'file' ? flag : 'TMPDIR'}: cannot write in ${dir}: ${why}`);
  }
}

/**
 * A streamed report to FILE (whole or not at all) or to stdout. A Ctrl-C while it is written
 * abandons it (the temporary file is removed): returns true then, for the caller to end as interrupted.
 */
async function streamOut(chunks: AsyncIterable<string | Uint8Array>, output: string | undefined): Promise<boolean> {
  const abandon = new AbortController();
  const interrupt = onInterrupt(() => abandon.abort(new Error('interrupted')));
  try {
    if (output) {
      await writeChunksAtomic(output, chunks, { mode: 0o666, signal: abandon.signal });
    } else {
      // `end: false`: stdout stays open for whatever follows; the empty write resolves once all before it is flushed.
      await pipeline(Readable.from(chunks), process.stdout, { end: false, signal: abandon.signal });
      await new Promise<void>((done) => process.stdout.write('', () => done()));
    }
    return false;
  } catch (err) {
    if (abandon.signal.aborted) return true;
    // The reader closed the pipe (`| head`): it has what it wanted; the exit code still tells the verdict.
    if (!output && (err as NodeJS.ErrnoException).code === 'EPIPE') return false;
    throw err;
  } finally {
    interrupt.release();
  }
}

function inputError(text: Localized, vars: Record<string, unknown>): InputError {
  return new InputError(null, null, null, { en: fill(text.en, vars), vi: fill(text.vi, vars) });
}
