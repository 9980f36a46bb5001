// Shared set-up for policy tests: recorded facts, targets and attempts, no network.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Attempt, Target } from '../../src/core/types.js';
import type { TlsFacts } from '../../checks/tls/facts.js';
import { KNOWN_CHECKS } from '../../src/engine/registry.js';

/** The registered checks with their facts schemas, as every command loads packs. */
export const KNOWN = { knownChecks: KNOWN_CHECKS };

/** Only some checks registered (each with its real facts schema): packs naming others fail to load. */
export function knownOnly(...ids: string[]): { knownChecks: ReadonlyMap<string, Record<string, unknown>> } {
  return { knownChecks: new Map([...KNOWN_CHECKS].filter(([id]) => ids.includes(id))) };
}

/** Evaluation time of the recorded facts, so daysToExpiry and dates agree. */
export const NOW = new Date('2026-05-10T08:00:00.000Z');

function fixturePath(...parts: string[]): string {
  return fileURLToPath(new URL(`../fixtures/${parts.join('/')}`, import.meta.url));
}

export function readFacts(name: string): TlsFacts {
  return JSON.parse(readFileSync(fixturePath('facts', `${name}.json`), 'utf8')) as TlsFacts;
}

export function target(overrides: Partial<Target> = {}): Target {
  return {
    key: 'https://portal.example.gov.vn:443',
    kind: 'web',
    scheme: 'https',
    host: 'portal.example.gov.vn',
    port: 443,
    path: '/',
    ...overrides,
  };
}

export function okAttempt(facts: unknown, t: Target = target()): Attempt {
  return { check: 'tls.endpoint', target: t.key, status: 'ok', facts, startedAt: NOW.toISOString(), durationMs: 42 };
}

/** These suites judge the TLS pack; the IPv6 pack has its own tests under test/checks/ipv6. */
export const isTlsPack = (p: { id: string }): boolean => p.id === 'vn-ct02-2022-tls';
