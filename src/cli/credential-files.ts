// Files that let a command reach a govscan server: `--token-file FILE`, a bearer token kept in a file
// rather than on the command line, where `ps` and the shell history would show it (it holds the token
// as `govscan server token create` prints it, one line, or that command's `--json` output); and the
// PEM file of a private CA that issued the server's certificate.

import { InputError } from '../core/errors.js';
import { readInputText, unreadableReason } from '../core/input-limits.js';
import type { Localized } from '../core/types.js';

/** A token is one word of printable ASCII: anything else is not what `token create` printed. */
const TOKEN_SHAPE = /^[\x21-\x7e]{8,512}$/;

export async function readTokenFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readInputText(file, 'settings');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const why = unreadableReason(err);
    throw InputError.inFile(file, { en: `cannot read the token: ${why.en}`, vi: `không đọc được token: ${why.vi}` });
  }
  const trimmed = text.trim();
  const token = trimmed.startsWith('{') ? tokenInJson(trimmed) : trimmed;
  if (!token || !TOKEN_SHAPE.test(token)) throw InputError.inFile(file, NOT_A_TOKEN);
  return token;
}

const NOT_A_TOKEN: Localized = {
  en: 'not a token file: it must hold the one line `govscan server token create` printed',
  vi: 'không phải tệp token: tệp phải chứa đúng một dòng do `govscan server token create` in ra',
};

function tokenInJson(text: string): string | null {
  try {
    const value = JSON.parse(text) as { token?: unknown } | null;
    return typeof value?.token === 'string' ? value.token : null;
  } catch {
    return null;
  }
}

/** The PEM text of `file`, named by `flag` in the error when it cannot be read (exit 2). */
export async function readCaFile(file: string, flag: string): Promise<string> {
  try {
    return await readInputText(file, 'certificates');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const why = unreadableReason(err);
    throw InputError.unlocated({ en: `${flag}: cannot read ${file}: ${why.en}`, vi: `${flag}: không đọc được ${file}: ${why.vi}` });
  }
}
