// Text that came from outside — a scanned server (certificate names, banners, error texts), a file
// (inventory names, waiver justifications, a report read back) or an agent's batch — is printed on
// an analyst's terminal. Raw, it can drive the terminal: ESC and CSI sequences move the cursor or
// recolour, OSC 52 writes the clipboard, `\r` overwrites a line with a fake "ALL CHECKS PASSED",
// bidirectional overrides show text reversed. Every such character is shown as a visible escape
// instead (`\x1b`, `\r` → `\x0d`, `\u202e`), so nothing is lost and nothing is obeyed.

/** C0 controls and DEL, C1 controls (8-bit CSI/OSC…), bidi marks, embeddings, overrides and isolates, line/paragraph separators. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same set minus C0, which JSON.stringify already writes as `\u001b`-style escapes. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}

/** One piece of outside text for a terminal line: every control character as a visible escape. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  });
}

/** Outside text for one log line: escaped as terminalText, and cut to `max` characters with an ellipsis. */
export function terminalLine(text: string, max = 200): string {
  const shown = terminalText(text);
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}

/**
 * JSON text (a report, an API answer) that may be printed on a terminal: the characters JSON leaves
 * raw are written as `\u009b`-style escapes. They can only occur inside strings, where the escape
 * means the same character: any JSON reader gets the same data.
 */
export function terminalJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`);
}
