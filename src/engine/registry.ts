// Every check family registers here, one line each (checks/<family>/index.ts exports its CheckFamily,
// src/core/family.ts); policies may only name checks of these families. test/checks/family-shape.test.ts
// fails when a family folder is missing here or breaks the shape.

import { tlsFamily } from '../../checks/tls/index.js';
import { ipv6Family } from '../../checks/ipv6/index.js';
import { seclevelFamily } from '../../checks/seclevel/index.js';
import { fourLayerFamily } from '../../checks/fourlayer/index.js';
import { hostFamily } from '../../checks/host/index.js';
import type { CheckFamily, FamilyContext, FamilyOption, FamilyOptionValues } from '../core/family.js';
import type { Check } from '../core/types.js';

export const FAMILIES: readonly CheckFamily[] = [tlsFamily, ipv6Family, seclevelFamily, fourLayerFamily, hostFamily];

export const CHECKS: readonly Check[] = FAMILIES.flatMap((f) => f.checks);

/** Every check id with the JSON Schema of its facts, against which policy packs are checked when loaded. */
export const KNOWN_CHECKS: ReadonlyMap<string, Record<string, unknown>> = new Map(CHECKS.map((c) => [c.id, c.factsSchema]));

/** The flags the families add to `govscan scan`, in registry order. */
export const FAMILY_OPTIONS: readonly FamilyOption[] = FAMILIES.flatMap((f) => f.options);

/** What the families add to the probes' context for these option values (throws InputError on a bad one). */
export async function prepareFamilies(values: FamilyOptionValues): Promise<FamilyContext> {
  const prepared = await Promise.all(FAMILIES.map((f) => f.prepare?.(values) ?? {}));
  return Object.assign({}, ...prepared) as FamilyContext;
}
