// How large an input file may be. A YAML document takes ~40 times its size in memory once parsed
// (a 100 MB inventory ran 150 s and died at 4.2 GB), so every file a command reads is refused above
// a documented size (README "Input size limits") before it is read: by its size on disk for a
// regular file, and by counting while reading for a pipe or device (`--inventory /dev/stdin`).
// Limits are far above real inputs: the largest built-in pack is 40 kB; 10 MB of inventory is tens
// of thousands of systems. JSON reports are parsed at ~4 times their size and can legitimately be
// large (every fact of every target), so they get the most room.

import { open, readFile, stat } from 'node:fs/promises';
import { InputError } from './errors.js';
import type { Localized } from './types.js';

const MB = 1024 * 1024;

const INPUT_LIMITS = {
  inventory: { bytes: 10 * MB, what: { en: 'an inventory', vi: 'tệp danh mục hệ thống' } },
  policy: { bytes: 2 * MB, what: { en: 'a policy pack', vi: 'tệp bộ quy tắc' } },
  waivers: { bytes: 10 * MB, what: { en: 'a waiver file', vi: 'tệp miễn trừ' } },
  manifest: { bytes: 1 * MB, what: { en: 'an evidence manifest', vi: 'tệp hồ sơ minh chứng' } },
  certificates: { bytes: 10 * MB, what: { en: 'a CA file', vi: 'tệp chứng thư CA' } },
  /** `cert verify FILE`: a chain is a few KiB; a megabyte holds hundreds of certificates. */
  certificate: { bytes: 1 * MB, what: { en: 'a certificate file', vi: 'tệp chứng thư số' } },
  report: { bytes: 256 * MB, what: { en: 'a report', vi: 'tệp báo cáo' } },
  targets: { bytes: 10 * MB, what: { en: 'a target list', vi: 'tệp danh sách đối tượng quét' } },
  /** govscan.yaml: a page of settings. */
  settings: { bytes: 1 * MB, what: { en: 'a settings file', vi: 'tệp cấu hình' } },
  nmap: { bytes: 64 * MB, what: { en: 'an nmap XML report', vi: 'tệp kết quả nmap (XML)' } },
} as const satisfies Record<string, { bytes: number; what: Localized }>;

export type InputKind = keyof typeof INPUT_LIMITS;

/**
 * The file's text, or InputError (exit 2) when it is larger than its kind's limit. Errors
 * of the file system (ENOENT, EACCES…) are thrown as they are, for the caller to word.
 */
export async function readInputText(file: string, kind: InputKind): Promise<string> {
  return (await readInputBytes(file, kind)).toString('utf8');
}

/** readInputText for binary inputs (DER certificates). */
export async function readInputBytes(file: string, kind: InputKind): Promise<Buffer> {
  const { bytes: limit } = INPUT_LIMITS[kind];
  const info = await stat(file);
  if (info.isFile()) {
    if (info.size > limit) throw tooLarge(file, kind, info.size);
    return readFile(file);
  }
  const handle = await open(file, 'r');
  try {
    // Read to at most one byte past the limit: a pipe's or a device's size is not known beforehand.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 * MB, limit + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw tooLarge(file, kind, null);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function tooLarge(file: string, kind: InputKind, size: number | null): InputError {
  const { bytes, what } = INPUT_LIMITS[kind];
  const limit = `${bytes / MB} MB`;
  const actual = (lang: 'en' | 'vi'): string =>
    size === null ? '' : `; ${lang === 'en' ? 'this one is' : 'tệp này'} ${megabytes(size, lang)}`;
  return InputError.inFile(file, {
    en: `larger than ${limit} (the limit for ${what.en}${actual('en')})`,
    vi: `lớn hơn ${limit} (giới hạn cho ${what.vi}${actual('vi')})`,
  });
}

function megabytes(size: number, lang: 'en' | 'vi'): string {
  const text = (size / MB).toFixed(1);
  return `${lang === 'vi' ? text.replace('.', ',') : text} MB`;
}

/** Why a file could not be read, in words in both languages (the errno code when it has no words). */
export function unreadableReason(err: unknown): Localized {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { en: 'no such file', vi: 'không có tệp này' };
  if (code === 'EACCES') return { en: 'permission denied', vi: 'không có quyền đọc' };
  if (code === 'EISDIR') return { en: 'is a folder', vi: 'là một thư mục' };
  return { en: code ?? String(err), vi: code ?? String(err) };
}
