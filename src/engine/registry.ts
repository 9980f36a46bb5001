// Every check family registers here; policies may only name checks listed in this registry.

import { tlsEndpointCheck } from '../../checks/tls/index.js';
import { IPV6_CHECKS } from '../../checks/ipv6/index.js';
import { SECLEVEL_CHECKS } from '../../checks/seclevel/index.js';
import { fourLayerCheck } from '../../checks/fourlayer/index.js';
import { hostLocalCheck } from '../../checks/host/index.js';
import type { Check } from '../core/types.js';

export const CHECKS: readonly Check[] = [tlsEndpointCheck as Check, ...IPV6_CHECKS, ...SECLEVEL_CHECKS, fourLayerCheck as Check, hostLocalCheck as Check];

/** Every check id with the JSON Schema of its facts, against which policy packs are checked when loaded. */
export const KNOWN_CHECKS: ReadonlyMap<string, Record<string, unknown>> = new Map(CHECKS.map((c) => [c.id, c.factsSchema]));

export function checksById(ids: Iterable<string>): Check[] {
  const wanted = new Set(ids);
  return CHECKS.filter((c) => wanted.has(c.id));
}
