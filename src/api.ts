// The package's public API: `import { verifyCertificate } from 'govscan'`. Certificate path
// validation as govscan's TLS check runs it (RFC 5280 paths, the web PKI profile, name constraints,
// RFC 9525 host names), with the same code: the scan and this entry point share src/pki/verify.ts.
// Importing it loads neither the command line nor the scanner.

export { verifyCertificate, verifyCertificateSync } from './pki/verify.js';
export type { CertificateInput, PathEntry, VerifyInput, VerifyResult } from './pki/verify.js';
export { PROBLEM_TEXT, VERIFY_PROBLEMS } from './pki/problems.js';
export type { VerifyProblem } from './pki/problems.js';
export type { AnchorSet, Localized } from './core/types.js';
export type { Usage } from './pki/profile.js';
