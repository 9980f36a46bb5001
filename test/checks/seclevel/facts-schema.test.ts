// The published fact schemas describe what the probes really produce: run the three evidence
// checks on a generated folder (loopback collector up, NCSC down) and validate their facts.

import { createServer, type Server } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evidenceDocumentsCheck, seclevelDossierCheck } from '../../../checks/seclevel/checks.js';
import { fourLayerCheck } from '../../../checks/fourlayer/checks.js';
import type { CheckContext, Target } from '../../../src/core/types.js';
import { checkContext, compliantFolder } from '../../evidence/fixture.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const NOW = new Date('2026-11-20T00:00:00Z');
let server: Server;
beforeAll(async () => {
  server = createServer((c) => c.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
});
afterAll(() => server.close());

it('facts of seclevel.dossier, evidence.documents and fourlayer.evidence validate against their schemas', async () => {
  const port = (server.address() as { port: number }).port;
  const f = await compliantFolder({ now: NOW, collectorPort: port, ncscPort: 1 });
  const target: Target = {
    key: 'system://cong-dvc',
    kind: 'system',
    scheme: 'evidence',
    host: 'cong-dvc',
    port: 0,
    path: f.manifest,
    system: { id: 'cong-dvc', level: 3, evidence: f.manifest, evidenceResolved: true },
  };
  const ctx = checkContext(NOW, f.pki.root);
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const check of [seclevelDossierCheck, evidenceDocumentsCheck, fourLayerCheck]) {
    expect(check.appliesTo(target)).toBe(true);
    const facts = await (check.run as (t: Target, c: CheckContext) => Promise<unknown>)(target, ctx);
    const validate = ajv.compile(check.factsSchema);
    expect(validate(facts), `${check.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }
  const layers = await fourLayerCheck.run(target, ctx);
  expect(layers.monitoring.forwarder).toMatchObject({ reachable: true, config: { mentionsHost: true, mentionsPort: true } });
  expect(layers.ncsc.forwarder.reachable).toBe(false);
  expect(fourLayerCheck.appliesTo({ ...target, kind: 'web' })).toBe(false);
});
