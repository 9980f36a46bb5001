// The TLS family's check id, for readers of its attempts (the server's certificate view).

/** `tls.endpoint` attempts: facts.leaf (src/pki/types.ts CertificateFacts: subject, issuer, notAfter). */
export const TLS_CHECK = 'tls.endpoint';
