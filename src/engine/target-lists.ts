// Targets in bulk: a plain list (`--targets-file`, one target per line, as testssl.sh --file) and an
// nmap XML report (`--from-nmap`, as sslyze --targets_in reads nmap's findings): every open port
// nmap saw speaking TLS becomes a target. Both files are size-limited like every input, and a bad
// line or malformed XML is `FILE:LINE: what is wrong` (exit 2) before any packet is sent.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isIP } from 'node:net';
import { InputError } from '../core/errors.js';
import { readInputText, unreadableReason } from '../core/input-limits.js';
import { hostForUrl, isPort, isValidHost, parseTarget } from '../core/targets.js';
import type { Target } from '../core/types.js';

/** A target list: `#` starts a comment (at the start of a line or after a space); blank lines are skipped. */
export async function loadTargetsFile(file: string): Promise<Target[]> {
  return (await targetLines(file)).map((t) => t.target);
}

/**
 * The targets of a list with the text each was written as (`govscan campaign create --targets-file`
 * sends the text to the server, which parses it again); a bad line is `FILE:LINE` (exit 2).
 */
export async function targetLines(file: string): Promise<{ text: string; target: Target }[]> {
  const text = await readInput(file, 'targets');
  const targets: { text: string; target: Target }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    if (/\s/.test(line))
      throw new InputError(file, i + 1, null, {
        en: `one target per line: "${line}" holds several`,
        vi: `mỗi dòng một đối tượng quét: "${line}" có nhiều đối tượng quét`,
      });
    const parsed = parseTarget(line, { source: { file, line: i + 1, column: raw.indexOf(line) + 1 } });
    if (!parsed.ok) throw new InputError(file, i + 1, null, parsed.error);
    targets.push({ text: line, target: parsed.target });
  });
  if (!targets.length) throw InputError.inFile(file, { en: 'the file lists no target', vi: 'tệp không liệt kê đối tượng quét nào' });
  return targets;
}

/**
 * Services nmap names that are TLS from the first byte, by their nmap-services name (what a port
 * scan without -sV reports for a well-known port); -sV says `tunnel="ssl"` for any TLS it detects.
 */
const TLS_SERVICES = new Set([
  'ssl',
  'https',
  'https-alt',
  'smtps',
  'submissions',
  'imaps',
  'pop3s',
  'ldapssl',
  'ftps',
  'ftps-data',
  'ircs',
  'nntps',
  'telnets',
  'xmpps',
]);
/** Services that carry HTTP inside TLS: scanned as https:// (the web checks apply too). */
const WEB_SERVICES = new Set(['http', 'https', 'https-alt', 'http-alt', 'http-proxy', 'http-mgmt', 'ssl/http']);

interface NmapAttrs {
  [attr: string]: string | undefined;
}
interface NmapNode {
  [child: string]: NmapNode[] | NmapAttrs | undefined;
}

/** Targets from an nmap XML report (`nmap -sV -oX FILE`): open TCP ports with a TLS service. */
export async function loadNmapTargets(file: string): Promise<Target[]> {
  const text = await readInput(file, 'nmap');
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    throw new InputError(file, valid.err.line, valid.err.col, {
      en: `not well-formed XML: ${valid.err.msg}`,
      vi: `XML không hợp lệ: ${valid.err.msg}`,
    });
  }
  // Entities are never expanded (there are none in nmap's output): no DTD, no entity bombs.
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    attributesGroupName: '@',
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: () => true,
  });
  let doc: NmapNode;
  try {
    doc = parser.parse(text) as NmapNode;
  } catch (err) {
    // A declaration the parser refuses (an external entity): nmap never writes one.
    const why = err instanceof Error ? err.message : String(err);
    throw InputError.inFile(file, { en: `not usable as an nmap report: ${why}`, vi: `không dùng được làm báo cáo nmap: ${why}` });
  }
  const root = children(doc, 'nmaprun')[0];
  if (!root) {
    const first = Object.keys(doc).find((k) => k !== '@' && k !== '#text');
    throw InputError.inFile(file, {
      en: `not an nmap XML report (the root element is <${first ?? ''}>, not <nmaprun>): write one with nmap -oX FILE`,
      vi: `không phải báo cáo XML của nmap (phần tử gốc là <${first ?? ''}>, không phải <nmaprun>): hãy tạo bằng nmap -oX FILE`,
    });
  }
  const targets: Target[] = [];
  for (const host of children(root, 'host')) {
    if (attrs(children(host, 'status')[0]).state === 'down') continue;
    const address = children(host, 'address')
      .map(attrs)
      .find((a) => a.addrtype === 'ipv4' || a.addrtype === 'ipv6')?.addr;
    if (!address || isIP(address) === 0) continue;
    const names = children(children(host, 'hostnames')[0], 'hostname').map(attrs);
    // What the operator typed first, then the reverse-DNS name; else the address itself.
    const name = [names.find((n) => n.type === 'user')?.name, names.find((n) => n.type === 'PTR')?.name].find(
      (n) => n && isIP(n) === 0 && isValidHost(n),
    );
    const host_ = (name ?? address).toLowerCase();
    for (const port of children(children(host, 'ports')[0], 'port')) {
      const p = attrs(port);
      if (p.protocol !== 'tcp' || attrs(children(port, 'state')[0]).state !== 'open') continue;
      const number = Number(p.portid);
      if (!isPort(number)) continue;
      const service = attrs(children(port, 'service')[0]);
      const serviceName = (service.name ?? '').toLowerCase();
      const tls = service.tunnel === 'ssl' || TLS_SERVICES.has(serviceName);
      if (!tls) continue;
      const authority = `${hostForUrl(host_)}:${number}`;
      const parsed = parseTarget(WEB_SERVICES.has(serviceName) || answersHttp(service.servicefp) ? `https://${authority}` : authority);
      if (parsed.ok) targets.push(parsed.target);
    }
  }
  if (!targets.length) {
    throw InputError.inFile(file, {
      en: 'the nmap report shows no open port with a TLS service (scan with -sV so nmap detects TLS, e.g. nmap -sV -p 443,8443 -oX FILE HOSTS)',
      vi: 'báo cáo nmap không có cổng mở nào chạy dịch vụ TLS (quét với -sV để nmap nhận ra TLS, ví dụ nmap -sV -p 443,8443 -oX FILE HOSTS)',
    });
  }
  return targets;
}

/**
 * A service nmap could not name (`unknown`) whose fingerprint shows an HTTP answer to its GET probe
 * (`r(GetRequest,LEN,"HTTP/1\.1\x20200…`): a web server without a banner nmap knows, scanned as https://.
 */
function answersHttp(servicefp: string | undefined): boolean {
  return /r\(GetRequest,[0-9A-F]+,(?:&quot;|")HTTP\/1\\?\./.test(servicefp ?? '');
}

function children(node: NmapNode | undefined, name: string): NmapNode[] {
  const c = node?.[name];
  return Array.isArray(c) ? c : [];
}

function attrs(node: NmapNode | undefined): NmapAttrs {
  const a = node?.['@'];
  // The attribute group comes as a one-element list (every node is read as a list).
  const group = Array.isArray(a) ? a[0] : a;
  return group && typeof group === 'object' && !Array.isArray(group) ? (group as NmapAttrs) : {};
}

/** The file's text; a file that cannot be read is exit 2 with the reason, as for every input. */
async function readInput(file: string, kind: 'targets' | 'nmap'): Promise<string> {
  try {
    return await readInputText(file, kind);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const why = unreadableReason(err);
    throw InputError.inFile(file, { en: `cannot read: ${why.en}`, vi: `không đọc được: ${why.vi}` });
  }
}
