// A small test PKI: issues X.509 certificates with any defect a scanner must detect (SHA-1, weak
// keys, odd dates, missing SAN…) and signs OCSP responses. Used by tests, `govscan demo` and the
// benchmark, so it is product code and must stay fast: key pairs are cached per process.

// tsyringe (inside @peculiar/x509) refuses to load without a Reflect metadata polyfill, and ESM
// evaluates imports in order, so this line must stay above the x509 import.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate, randomBytes, webcrypto } from 'node:crypto';

/** @peculiar/x509, safe to use: importing it from here guarantees the polyfill loaded first. */
export { x509 };

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

export type KeySpec = { type: 'rsa'; bits?: number } | { type: 'ec'; curve?: 'P-256' | 'P-384' } | { type: 'ed25519' };
type SignatureHash = 'SHA-1' | 'SHA-256' | 'SHA-384';

export interface CertSpec {
  subjectCN?: string;
  /** Full DN such as "CN=x, O=y"; overrides subjectCN. */
  subject?: string;
  /** Omitted or empty lists mean no SAN extension at all. */
  sans?: { dns?: string[]; ip?: string[] };
  /** Default: now − 1 day. */
  notBefore?: Date;
  /** Default: now + 90 days. */
  notAfter?: Date;
  /** Default: RSA 2048. */
  key?: KeySpec;
  /** Hash of the issuer's signature over this certificate. Default SHA-256; ignored for Ed25519 issuers. */
  signatureHash?: SignatureHash;
  isCA?: boolean;
  pathLength?: number;
  /** Absent: self-signed. */
  issuer?: IssuedCert;
  /** Names of KeyUsageFlags (digitalSignature, keyCertSign…); [] leaves the extension out. */
  keyUsage?: string[];
  /** Names (serverAuth, clientAuth…) or dotted OIDs; [] leaves the extension out. */
  extKeyUsage?: string[];
  ocspUrl?: string;
  caIssuersUrl?: string;
  /** Hex serial; random positive 128-bit when absent. */
  serial?: string;
  /**
   * Which cached key pair to use. Leaves share one pair per KeySpec and CAs get one per subject
   * by default, so a farm of many leaves costs one key generation; set this to force a distinct key.
   */
  keyId?: string;
  /** Generate a new key pair, bypassing the cache. */
  freshKey?: boolean;
}

export interface IssuedCert {
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
  der: Buffer;
  cert: X509Certificate;
  /** WebCrypto key; an RSA one is bound to SHA-256, since WebCrypto ties the hash to RSA keys. */
  privateKey: CryptoKey;
  spec: CertSpec;
  publicKey?: CryptoKey;
  /** The same certificate as @peculiar/x509 parsed it, for building children. */
  x509?: x509.X509Certificate;
}

const DAY = 86_400_000;

x509.cryptoProvider.set(webcrypto);

interface CachedKey {
  pair: CryptoKeyPair;
  pkcs8: Buffer;
  keyPem: string;
  spec: Required<KeySpec>;
}

const keyCache = new Map<string, Promise<CachedKey>>();

function normaliseKeySpec(spec: KeySpec | undefined): Required<KeySpec> {
  if (!spec || spec.type === 'rsa') return { type: 'rsa', bits: spec?.type === 'rsa' ? (spec.bits ?? 2048) : 2048 };
  if (spec.type === 'ec') return { type: 'ec', curve: spec.curve ?? 'P-256' };
  return { type: 'ed25519' };
}

function keySpecId(spec: Required<KeySpec>): string {
  switch (spec.type) {
    case 'rsa':
      return `rsa-${spec.bits}`;
    case 'ec':
      return `ec-${spec.curve}`;
    case 'ed25519':
      return 'ed25519';
  }
}

function importParams(
  spec: Required<KeySpec>,
  hash: SignatureHash = 'SHA-256',
): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm {
  switch (spec.type) {
    case 'rsa':
      return { name: 'RSASSA-PKCS1-v1_5', hash };
    case 'ec':
      return { name: 'ECDSA', namedCurve: spec.curve };
    case 'ed25519':
      return { name: 'Ed25519' };
  }
}

async function generateKey(spec: Required<KeySpec>): Promise<CachedKey> {
  const subtle = webcrypto.subtle;
  let pair: CryptoKeyPair;
  switch (spec.type) {
    case 'rsa':
      pair = (await subtle.generateKey(
        { name: 'RSASSA-PKCS1-v1_5', modulusLength: spec.bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['sign', 'verify'],
      )) as CryptoKeyPair;
      break;
    case 'ec':
      pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: spec.curve }, true, ['sign', 'verify'])) as CryptoKeyPair;
      break;
    case 'ed25519':
      pair = (await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      break;
  }
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', pair.privateKey));
  return { pair, pkcs8, keyPem: toPem(pkcs8, 'PRIVATE KEY'), spec };
}

function getKey(spec: Required<KeySpec>, slot: string, fresh: boolean): Promise<CachedKey> {
  if (fresh) return generateKey(spec);
  const id = `${slot}|${keySpecId(spec)}`;
  let entry = keyCache.get(id);
  if (!entry) {
    entry = generateKey(spec);
    // A failed generation must not poison the cache for later callers.
    entry.catch(() => keyCache.delete(id));
    keyCache.set(id, entry);
  }
  return entry;
}

/** Generates the key pairs a farm will need in parallel (WebCrypto runs them on the thread pool). */
export async function warmKeys(specs: { key?: KeySpec; keyId: string }[]): Promise<void> {
  await Promise.all(specs.map((s) => getKey(normaliseKeySpec(s.key), s.keyId, false)));
}

function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

// The issuer's RSA key is bound to SHA-256 by WebCrypto; a SHA-1 or SHA-384 signature needs the same
// key imported again with that hash.
const rsaKeysByHash = new WeakMap<CryptoKey, Map<SignatureHash, Promise<CryptoKey>>>();

async function issuerSigningKey(issuer: IssuedCert, hash: SignatureHash): Promise<CryptoKey> {
  const spec = normaliseKeySpec(issuer.spec.key);
  if (spec.type !== 'rsa' || hash === 'SHA-256') return issuer.privateKey;
  let byHash = rsaKeysByHash.get(issuer.privateKey);
  if (!byHash) {
    byHash = new Map();
    rsaKeysByHash.set(issuer.privateKey, byHash);
  }
  let key = byHash.get(hash);
  if (!key) {
    const pkcs8 = new Uint8Array(pemToDer(issuer.keyPem));
    key = webcrypto.subtle.importKey('pkcs8', pkcs8, importParams(spec, hash), false, ['sign']);
    byHash.set(hash, key);
  }
  return key;
}

function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

function signingAlgorithm(
  issuerKey: Required<KeySpec>,
  hash: SignatureHash,
): webcrypto.Algorithm | webcrypto.EcdsaParams | webcrypto.RsaHashedImportParams {
  switch (issuerKey.type) {
    case 'rsa':
      return { name: 'RSASSA-PKCS1-v1_5', hash };
    case 'ec':
      return { name: 'ECDSA', hash };
    case 'ed25519':
      return { name: 'Ed25519' };
  }
}

function keyUsageFlags(names: string[]): number {
  let flags = 0;
  for (const name of names) {
    const flag = (x509.KeyUsageFlags as unknown as Record<string, number | undefined>)[name];
    if (flag === undefined) throw new Error(`unknown key usage ${name}`);
    flags |= flag;
  }
  return flags;
}

const EKU_OIDS: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
};

function ekuOid(name: string): string {
  const oid = EKU_OIDS[name] ?? (/^\d+(\.\d+)+$/.test(name) ? name : undefined);
  if (!oid) throw new Error(`unknown extended key usage ${name}`);
  return oid;
}

function defaultKeyUsage(isCA: boolean, key: Required<KeySpec>): string[] {
  if (isCA) return ['digitalSignature', 'keyCertSign', 'cRLSign'];
  return key.type === 'rsa' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'];
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  // Positive and without a leading zero octet, as RFC 5280 DER encoding of a positive INTEGER wants.
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes.toString('hex');
}

function subjectName(spec: CertSpec): string {
  if (spec.subject) return spec.subject;
  return `CN=${(spec.subjectCN ?? 'govscan lab').replace(/([,+"\\<>;=])/g, '\\$1')}`;
}

/** Who signs a certificate: enough to name the issuer, link the key identifier and sign. */
interface Signer {
  name: x509.Name | string;
  keySpec: Required<KeySpec>;
  /** Source of the authority key identifier; absent for self-signed certificates. */
  akiSource: x509.X509Certificate | CryptoKey | null;
  signingKey(hash: SignatureHash): Promise<CryptoKey>;
}

function signerOfIssued(issuer: IssuedCert): Signer {
  const issuerX509 = issuer.x509 ?? new x509.X509Certificate(issuer.der);
  return {
    // The issuer's own encoded Name, so the chain links byte for byte.
    name: issuerX509.subjectName,
    keySpec: normaliseKeySpec(issuer.spec.key),
    akiSource: issuerX509,
    signingKey: (hash) => issuerSigningKey(issuer, hash),
  };
}

function signerOfKey(name: string, key: CachedKey, selfSigned: boolean): Signer {
  return {
    name,
    keySpec: key.spec,
    akiSource: selfSigned ? null : key.pair.publicKey,
    signingKey: async (hash) =>
      key.spec.type === 'rsa' && hash !== 'SHA-256'
        ? webcrypto.subtle.importKey('pkcs8', new Uint8Array(key.pkcs8), importParams(key.spec, hash), false, ['sign'])
        : key.pair.privateKey,
  };
}

function keyFor(spec: CertSpec): Promise<CachedKey> {
  const slot = spec.keyId ?? (spec.isCA ? `ca:${subjectName(spec)}` : 'leaf');
  return getKey(normaliseKeySpec(spec.key), slot, spec.freshKey ?? false);
}

async function build(spec: CertSpec, key: CachedKey, signer: Signer | null): Promise<IssuedCert> {
  const keySpec = key.spec;
  const isCA = spec.isCA ?? false;
  const subject = subjectName(spec);
  const now = Date.now();
  const notBefore = spec.notBefore ?? new Date(now - DAY);
  const notAfter = spec.notAfter ?? new Date(now + 90 * DAY);
  const hash = spec.signatureHash ?? 'SHA-256';
  const by = signer ?? signerOfKey(subject, key, true);

  const extensions: x509.Extension[] = [];
  extensions.push(new x509.BasicConstraintsExtension(isCA, isCA ? spec.pathLength : undefined, true));
  const ku = spec.keyUsage ?? defaultKeyUsage(isCA, keySpec);
  if (ku.length > 0) extensions.push(new x509.KeyUsagesExtension(keyUsageFlags(ku), true));
  const eku = spec.extKeyUsage ?? (isCA ? [] : ['serverAuth']);
  if (eku.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(eku.map(ekuOid), false));
  const sanNames: x509.JsonGeneralName[] = [
    ...(spec.sans?.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(spec.sans?.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (sanNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sanNames, false));
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(key.pair.publicKey as never, false));
  if (by.akiSource) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(by.akiSource as never, false));
  if (spec.ocspUrl || spec.caIssuersUrl) {
    extensions.push(
      new x509.AuthorityInfoAccessExtension({
        ...(spec.ocspUrl ? { ocsp: [new x509.GeneralName('url', spec.ocspUrl)] } : {}),
        ...(spec.caIssuersUrl ? { caIssuers: [new x509.GeneralName('url', spec.caIssuersUrl)] } : {}),
      }),
    );
  }

  const generated = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serial ?? randomSerial(),
    notBefore,
    notAfter,
    subject,
    issuer: by.name,
    publicKey: key.pair.publicKey as never,
    signingKey: (await by.signingKey(hash)) as never,
    signingAlgorithm: signingAlgorithm(by.keySpec, hash),
    extensions,
  });

  const der = Buffer.from(generated.rawData);
  return {
    certPem: toPem(der, 'CERTIFICATE'),
    keyPem: key.keyPem,
    der,
    cert: new X509Certificate(der),
    privateKey: key.pair.privateKey,
    publicKey: key.pair.publicKey,
    spec,
    x509: generated,
  };
}

export async function issueCertificate(spec: CertSpec): Promise<IssuedCert> {
  const key = await keyFor(spec);
  return build(spec, key, spec.issuer ? signerOfIssued(spec.issuer) : null);
}

/**
 * Issues a chain downwards from `anchor`: specs[0] is issued by the anchor, each later spec by the
 * one before it; any `issuer` in the specs is ignored. Every link is signed at once rather than one
 * after another, which makes deep chains cheap. Returned in spec order (top first).
 */
export async function issueChain(anchor: IssuedCert, specs: CertSpec[]): Promise<IssuedCert[]> {
  const keys = await Promise.all(specs.map(keyFor));
  const issued = await Promise.all(
    specs.map((spec, i) => {
      const above = specs[i - 1];
      const aboveKey = keys[i - 1];
      const signer = i === 0 || !above || !aboveKey ? signerOfIssued(anchor) : signerOfKey(subjectName(above), aboveKey, false);
      return build({ ...spec, issuer: undefined }, keys[i]!, signer);
    }),
  );
  // Link each spec to the IssuedCert above it only now that all exist.
  const chain = issued.map((cert) => ({ ...cert }));
  for (const [i, cert] of chain.entries()) cert.spec = { ...cert.spec, issuer: i === 0 ? anchor : chain[i - 1] };
  return chain;
}

/** Concatenated PEM of the given certificates, in order (leaf first for a server chain). */
export function chainPem(certs: IssuedCert[]): string {
  return certs.map((c) => c.certPem).join('');
}

export { createOcspResponse, type OcspResponseOptions } from './ocsp-response.js';
