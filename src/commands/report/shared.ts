// What `report convert` and `report merge` share: reading JSON reports (exit 2 with the file named
// when one is not a govscan report), and writing the result whole or not at all.

import { writeTextAtomic } from '../../core/atomic-file.js';
import { Flags } from '@oclif/core';
import { InputError } from '../../core/errors.js';
import { readInputText } from '../../core/input-limits.js';
import type { Report } from '../../core/types.js';
import { defineMessages } from '../../core/i18n/index.js';

export { FORMATS as REPORT_FORMATS, type Format as ReportFormat } from '../../report/index.js';

export const reportCommandMessages = defineMessages({
  sarifDirWritten: {
    en: '{count} SARIF file(s) for GitHub code scanning written to {dir} (one per category, waived results left out)',
    vi: 'đã ghi {count} tệp SARIF cho GitHub code scanning vào {dir} (mỗi hạng mục một tệp, bỏ các kết quả được miễn trừ)',
  },
  merged: {
    en: 'merged {count} reports: {targets} targets, {findings} findings',
    vi: 'đã gộp {count} báo cáo: {targets} đối tượng quét, {findings} phát hiện',
  },
});

export const sarifDirFlag = Flags.string({
  description:
    'Also write SARIF for GitHub code scanning into DIR: one file per category, waived results left out (point upload-sarif at DIR)',
  helpValue: 'DIR',
});

export async function readReport(file: string): Promise<Report> {
  const { parseJsonReport } = await import('../../report/json.js');
  let text: string;
  try {
    text = await readInputText(file, 'report');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw InputError.inFile(file, code === 'ENOENT' ? 'no such file' : `cannot read: ${(err as Error).message}`);
  }
  return parseJsonReport(text, file);
}

/** A report is either written whole or not at all: a crash mid-write must not leave half a file. */
export const writeAtomically = writeTextAtomic;

export function writeStdout(text: string): Promise<void> {
  return new Promise<void>((resolve) => process.stdout.write(text.endsWith('\n') ? text : text + '\n', () => resolve()));
}
