// Loading an agency inventory (DESIGN §3). Every target keeps the file and line it was declared on.

import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InventoryDocumentSchema as schema, type InventoryDocument } from './inventory-schema.js';
import { InputError } from '../core/errors.js';
import { readInputText } from '../core/input-limits.js';
import { compileSchema, dottedPath, schemaErrors } from '../core/schema-errors.js';
import { nodeAt, parseYamlOrThrow, positionOf, type PathSegment } from '../core/yaml-source.js';
import { domainTarget, isValidHost, parseTarget } from '../core/targets.js';
import type { SystemRef, Target } from '../core/types.js';

interface InventorySystem extends SystemRef {
  endpoints: string[];
}

export interface Inventory {
  file: string;
  agency?: string;
  /** The inventory-wide `legalBasis`. */
  legalBasis?: string;
  systems: InventorySystem[];
  targets: Target[];
  /** Per system id: the `legalBasis` its entry (else the inventory) names, and where (file:line). */
  legalBases: Map<string, { id: string; where: string }>;
  /** `params:` — values for pack parameters, as `--param` takes them (NAME or PACK:NAME). */
  params: { key: string; value: unknown; where: string }[];
  /** Per system id: what its evidence manifest says about the regime (only manifests that exist). */
  manifests: Map<string, ManifestSummary>;
}

/** The parts of a system's evidence manifest the choice of its regime reads. */
export interface ManifestSummary {
  file: string;
  legalBasis?: string;
  /** approval.date */
  approved?: string;
}

let validator: ReturnType<typeof compileSchema<InventoryDocument>> | undefined;
/** Compiled on first use: a scan without an inventory should not pay for it. */
function validate(): ReturnType<typeof compileSchema<InventoryDocument>> {
  validator ??= compileSchema<InventoryDocument>(schema);
  return validator;
}

export async function loadInventory(file: string): Promise<Inventory> {
  let text: string;
  try {
    text = await readInputText(file, 'inventory');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw InputError.inFile(file, `cannot read inventory: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const inventory = parseInventory(text, file);
  await checkEvidenceManifests(inventory);
  return inventory;
}

/**
 * A malformed evidence manifest is bad input like a malformed inventory: exit 2 with its file:line
 * before any probe runs. A manifest that does not exist yet is a finding (SECLEVEL-NOT-DECLARED), not
 * an input error. What a manifest says about its regime is kept: the regime is chosen before probing.
 */
async function checkEvidenceManifests(inventory: Inventory): Promise<void> {
  const systems = inventory.systems.filter((s) => s.evidence);
  if (!systems.length) return;
  const { loadManifest } = await import('../evidence/manifest.js');
  for (const s of systems) {
    const file = resolve(dirname(inventory.file), s.evidence ?? '');
    const exists = await stat(file).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    const m = (await loadManifest(file)).doc;
    inventory.manifests.set(s.id, {
      file: s.evidence ?? file,
      ...(m.legalBasis ? { legalBasis: m.legalBasis } : {}),
      ...(m.approval?.date ? { approved: m.approval.date } : {}),
    });
  }
}

/** An inventory from its YAML text (`file` names it in errors); evidence manifests are not read. */
export function parseInventory(text: string, file: string): Inventory {
  const { source, value } = parseYamlOrThrow(text, file);
  if (value === null || value === undefined) {
    throw new InputError(file, 1, 1, 'inventory is empty: expected a mapping with "systems"');
  }
  const check = validate();
  if (!check(value)) {
    const [first] = schemaErrors(check.errors ?? [], value, source, { describePath: (path) => dottedPath(path) || 'inventory' });
    throw first ?? new InputError(file, 1, 1, 'invalid inventory');
  }
  const locate = (path: readonly PathSegment[]): { line: number; col: number } => positionOf(source, nodeAt(source, path));

  const ids = new Map<string, number>();
  const legalBases = new Map<string, { id: string; where: string }>();
  const targets: Target[] = [];
  const domains: Target[] = [];
  // Every system is a target of its own: the security-level and 4-layer checks read its evidence
  // manifest, and a system whose inventory entry names none is itself a finding (the law asks every
  // system for a security level), not something the scan passes over.
  const systems: Target[] = [];
  value.systems.forEach((sys, i) => {
    const prev = ids.get(sys.id);
    if (prev !== undefined) {
      const pos = locate(['systems', i, 'id']);
      const first = locate(['systems', prev, 'id']);
      throw new InputError(file, pos.line, pos.col, `duplicate system id "${sys.id}" (first declared on line ${first.line})`);
    }
    ids.set(sys.id, i);
    const system: SystemRef = { id: sys.id };
    if (sys.name !== undefined) system.name = sys.name;
    if (sys.level !== undefined) system.level = sys.level;
    if (sys.domain !== undefined) system.domain = sys.domain;
    if (sys.kind !== undefined) system.kind = sys.kind;
    if (sys.evidence !== undefined) system.evidence = sys.evidence;
    // The entry's own legalBasis, else the inventory's: both are "the system's inventory legalBasis".
    const basisAt: PathSegment[] | null =
      sys.legalBasis !== undefined ? ['systems', i, 'legalBasis'] : value.legalBasis !== undefined ? ['legalBasis'] : null;
    const basis = sys.legalBasis ?? value.legalBasis;
    if (basis !== undefined && basisAt) legalBases.set(sys.id, { id: basis, where: `${file}:${locate(basisAt).line}` });
    if (sys.domain !== undefined) {
      // The system's domain is a target of its own (after every endpoint, so endpoint order is kept): DNS, name-server, mail and IPv6 checks read it.
      const pos = locate(['systems', i, 'domain']);
      if (!isValidHost(sys.domain) || !sys.domain.includes('.'))
        throw new InputError(file, pos.line, pos.col, `system "${sys.id}": "${sys.domain}" is not a domain name`);
      domains.push(
        domainTarget(sys.domain, {
          system,
          ...(value.agency !== undefined ? { agency: value.agency } : {}),
          source: { file, line: pos.line, column: pos.col },
        }),
      );
    }
    // Located at `evidence:` when given, else at the system's id: where the fix goes.
    const at = locate(['systems', i, sys.evidence !== undefined ? 'evidence' : 'id']);
    systems.push({
      key: `system://${sys.id}`,
      kind: 'system',
      scheme: 'evidence',
      host: sys.id,
      port: 0,
      path: sys.evidence ?? '',
      system,
      ...(value.agency !== undefined ? { agency: value.agency } : {}),
      source: { file, line: at.line, column: at.col },
    });
    (sys.endpoints ?? []).forEach((endpoint, j) => {
      const pos = locate(['systems', i, 'endpoints', j]);
      const parsed = parseTarget(endpoint, {
        system,
        ...(value.agency !== undefined ? { agency: value.agency } : {}),
        source: { file, line: pos.line, column: pos.col },
      });
      if (!parsed.ok) throw new InputError(file, pos.line, pos.col, `system "${sys.id}": ${parsed.error}`);
      targets.push(parsed.target);
    });
  });
  // One by one: an inventory may declare 100,000s of targets, too many to spread into a call.
  for (const t of [...domains, ...systems]) targets.push(t);
  const params = Object.entries(value.params ?? {}).map(([key, v]) => ({
    key,
    value: v,
    where: `${file}:${locate(['params', key]).line}`,
  }));
  return {
    file,
    ...(value.agency !== undefined ? { agency: value.agency } : {}),
    ...(value.legalBasis !== undefined ? { legalBasis: value.legalBasis } : {}),
    systems: value.systems.map(({ legalBasis: _basis, ...s }) => ({ ...s, endpoints: s.endpoints ?? [] })),
    targets,
    legalBases,
    params,
    manifests: new Map(),
  };
}
