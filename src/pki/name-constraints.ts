// RFC 5280 §4.2.1.10 name constraints, applied the way browsers and pyca/cryptography apply them:
// every subjectAltName (DNS, IP, email, directoryName) and the subject DN (and its legacy
// emailAddress attributes) of each certificate a constrained CA vouches for must lie in a permitted
// subtree of its type, when the CA permits any of that type, and in no excluded subtree. A name type
// this validator cannot compare (URI, otherName…) meeting a constraint of the same type fails
// closed. The subject CN is never checked because it never names the host (hostname.ts).

import type { GeneralName, Name, NameConstraints } from './fields.js';
import {
  dirNameWithin,
  dnsConstraintExcludes,
  dnsConstraintPermits,
  emailConstraintMatches,
  ipConstraintMatches,
  ipConstraintValid,
  parseMailbox,
} from './names.js';
import type { ParsedCert } from './parsed.js';

const EMAIL_ATTRIBUTE = '1.2.840.113549.1.9.1';

/** Counts comparisons across one path build, so a hostile chain cannot make them quadratic forever. */
export interface ConstraintBudget {
  remaining: number;
}

export type ConstraintVerdict = 'ok' | 'violation' | 'exhausted';

/** The names of `cert` that name constraints apply to. */
function constrainedNames(cert: ParsedCert): GeneralName[] {
  const f = cert.fields;
  const names: GeneralName[] = [...(f.subjectAltNames ?? [])];
  if (f.subject.length) names.push({ type: 'dirName', value: f.subject });
  for (const rdn of f.subject) {
    for (const a of rdn) if (a.type === EMAIL_ATTRIBUTE && a.value !== null) names.push({ type: 'email', value: a.value });
  }
  return names;
}

type Match = boolean | 'unsupported' | 'other-type';

function matches(constraint: GeneralName, name: GeneralName, excluded: boolean): Match {
  if (constraint.type !== name.type) return 'other-type';
  switch (name.type) {
    case 'dns': {
      const base = (constraint as { value: string }).value;
      const r = excluded ? dnsConstraintExcludes(base, name.value) : dnsConstraintPermits(base, name.value);
      return r === null ? 'unsupported' : r;
    }
    case 'ip': {
      const c = (constraint as { value: Buffer }).value;
      if (!ipConstraintValid(c) || (name.value.length !== 4 && name.value.length !== 16)) return 'unsupported';
      return ipConstraintMatches(c, name.value);
    }
    case 'email': {
      const mailbox = parseMailbox(name.value);
      const r = mailbox ? emailConstraintMatches((constraint as { value: string }).value, mailbox) : null;
      return r === null ? 'unsupported' : r;
    }
    case 'dirName':
      return dirNameWithin(name.value, (constraint as { value: Name }).value);
    default:
      // Same kind on both sides (URI, otherName, x400, ediParty, registeredID): not comparable here.
      return name.type === 'other' && constraint.type === 'other' && name.tag !== constraint.tag ? 'other-type' : 'unsupported';
  }
}

/** Whether every constrained name of `cert` satisfies `nc`. */
export function checkNameConstraints(nc: NameConstraints, cert: ParsedCert, budget: ConstraintBudget): ConstraintVerdict {
  for (const name of constrainedNames(cert)) {
    if (nc.permitted?.length) {
      let applicable = false;
      let permitted = false;
      for (const c of nc.permitted) {
        if (--budget.remaining < 0) return 'exhausted';
        const m = matches(c, name, false);
        if (m === 'other-type') continue;
        if (m === 'unsupported') return 'violation';
        applicable = true;
        if (m) {
          permitted = true;
          break;
        }
      }
      if (applicable && !permitted) return 'violation';
    }
    for (const c of nc.excluded ?? []) {
      if (--budget.remaining < 0) return 'exhausted';
      const m = matches(c, name, true);
      if (m === 'other-type') continue;
      if (m === 'unsupported' || m) return 'violation';
    }
  }
  return 'ok';
}
