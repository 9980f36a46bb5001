import { Args, Flags } from '@oclif/core';
import { isIP } from 'node:net';
import { EXIT, GovscanCommand, langFlag, repeatable } from '../../cli/base.js';
import { InputError } from '../../core/errors.js';
import { isValidHost } from '../../core/targets.js';
import { fillBoth } from '../../core/messages.js';
import { C } from './messages.js';

export default class CertVerify extends GovscanCommand {
  static override summary = 'Check a certificate chain file offline: path to a trusted root, validity, name, as browsers judge it';
  static override description =
    `Builds and validates the path from the first certificate of the first FILE (the server's) through the other certificates given (any order) to a trust anchor — the public store govscan uses, or --ca-file — with the same code as the scan's TLS check (RFC 5280, the CA/Browser Forum profile, name constraints, RFC 9525 names). FILE: PEM (one or more CERTIFICATE blocks), DER, or a PKCS#7 bundle. Nothing is fetched from the network.

Exit codes: 0 valid (trusted, valid for --name when given, every certificate in its validity at --at); 1 not valid; 2 bad input (file: what is wrong) or usage.`;
  static override examples = [
    '<%= config.bin %> cert verify fullchain.pem --name portal.example.gov.vn',
    '<%= config.bin %> cert verify server.crt intermediate.crt --ca-file vnrca.pem --at 2026-07-01 --format json',
    '<%= config.bin %> cert verify server.pem --name dichvucong.example.gov.vn --lang vi',
  ];
  static override strict = false;
  static override args = {
    files: Args.string({ required: true, description: 'Certificate files (PEM, DER or PKCS#7), the server certificate first' }),
  };
  static override flags = {
    'ca-file': repeatable({ description: 'Trust anchors (PEM) instead of the public store' }),
    name: Flags.string({ description: 'DNS name or IP address the certificate must be valid for' }),
    at: Flags.string({ description: 'Judge at this ISO-8601 date or time instead of now (e.g. 2026-07-01)' }),
    format: Flags.option({ options: ['table', 'json'] as const, default: 'table' as const, char: 'f', description: 'Output format' })(),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(CertVerify);
    this.lang = flags.lang;
    const files = argv as string[];
    const name = flags.name === undefined ? null : checkName(flags.name);
    const at = flags.at === undefined ? new Date() : checkAt(flags.at);
    const [{ readCertificates }, { loadCustomAnchors }, { verifyCertificate }, { renderJson, renderTable }] = await Promise.all([
      import('./bundle.js'),
      import('../../pki/trust-anchors.js'),
      import('../../pki/verify.js'),
      import('./render.js'),
    ]);
    const chain: Buffer[] = [];
    for (const file of files) chain.push(...(await readCertificates(file)));
    const anchors = await loadCustomAnchors({ files: flags['ca-file'] ?? [] });
    const result = await verifyCertificate({ chain, name, at, ...(anchors ? { anchors } : {}) });
    const report = { files, name, at: at.toISOString(), ...result };
    const text = flags.format === 'json' ? renderJson(report) : renderTable(report, this.lang);
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    if (!result.valid) this.exit(EXIT.findings);
  }
}

function checkName(name: string): string {
  const bare = name.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) || isValidHost(bare.replace(/\.$/, '').toLowerCase())) return bare;
  throw InputError.unlocated(fillBoth(C.badName, { name }));
}

/** ISO-8601: a calendar date (midnight UTC) or a date-time with its offset. */
function checkAt(at: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/.test(at);
  const ms = iso ? Date.parse(at.length === 10 ? `${at}T00:00:00Z` : at) : Number.NaN;
  if (!Number.isFinite(ms) || (at.length === 10 && new Date(ms).toISOString().slice(0, 10) !== at))
    throw InputError.unlocated(fillBoth(C.badAt, { at }));
  return new Date(ms);
}
