// Facts shapes declared outside a family's definition (src/pki's certificate and trust facts,
// src/evidence's manifest and document facts, the host facts the server reads) must stay exactly what
// the family's facts schema publishes. Checked by the typecheck (`npm run typecheck` covers test/).

import { describe, expectTypeOf, it } from 'vitest';
import type { HostCertificateFileFact } from '../../checks/host/check-id.js';
import type { certificateFile } from '../../checks/host/facts.schema.js';
import type { documentFacts, manifest } from '../../checks/seclevel/facts.schema.js';
import type { certificate, trust } from '../../checks/tls/facts.schema.js';
import type { Static } from '../../src/core/schema-builders.js';
import type { ManifestFacts } from '../../src/evidence/bundle.js';
import type { DocumentFacts } from '../../src/evidence/documents.js';
import type { CertificateFacts, TrustFacts } from '../../src/pki/types.js';

type Certificate = Static<typeof certificate>;

describe('facts types declared outside their schema', () => {
  it('match the published facts schemas', () => {
    expectTypeOf<Static<typeof trust>>().toEqualTypeOf<TrustFacts>();
    // One known gap: src/pki types signatureAlgorithm.hash as any string (an RSA-PSS hash it cannot
    // name is kept as its dotted OID), while the published schema lists the names it knows.
    expectTypeOf<Omit<Certificate, 'signatureAlgorithm'>>().toEqualTypeOf<Omit<CertificateFacts, 'signatureAlgorithm'>>();
    expectTypeOf<Certificate['signatureAlgorithm']>().toExtend<CertificateFacts['signatureAlgorithm']>();
    expectTypeOf<Static<typeof manifest>>().toEqualTypeOf<ManifestFacts>();
    expectTypeOf<Static<typeof documentFacts>>().toEqualTypeOf<DocumentFacts>();
    expectTypeOf<Static<typeof certificateFile>>().toExtend<HostCertificateFileFact>();
  });
});
