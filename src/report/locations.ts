// Where a finding points in a repository, for the formats CI systems annotate (SARIF for GitHub, Code
// Quality for GitLab): the line that declares its target (an inventory or a --targets-file, relative
// to the repository root), else one synthetic path per endpoint, `targets/HOST/PORT`.

import { posix, relative, resolve, sep } from 'node:path';
import type { Finding, Target } from '../core/types.js';
import { hostPort, targetLabel } from './text.js';

export type FindingPlace =
  | { kind: 'declared' /** relative to cwd, `/` separators, not URI-encoded */; path: string; line: number; column?: number }
  | { kind: 'endpoint' /** `targets/HOST/PORT`, HOST URI-encoded */; path: string };

export function findingPlace(finding: Finding, target: Target | undefined, cwd: string): FindingPlace {
  const file = target?.source ? repositoryPath(target.source.file, cwd) : null;
  if (target?.source && file) {
    return {
      kind: 'declared',
      path: file,
      line: Math.max(1, target.source.line),
      ...(target.source.column >= 1 ? { column: target.source.column } : {}),
    };
  }
  const endpoint = endpointOf(finding, target);
  return { kind: 'endpoint', path: `targets/${encodeURIComponent(endpoint.host)}/${endpoint.port}` };
}

/** The endpoint a finding is about, from its target, or from its key when the report lacks the target (merged or hand-edited). */
export function endpointOf(finding: Finding, target: Target | undefined): { display: string; host: string; port: number } {
  if (target) return { display: targetLabel(target), host: target.host, port: target.port };
  try {
    const url = new URL(finding.target);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port ? Number(url.port) : 443;
    return { display: hostPort(host, port), host, port };
  } catch {
    return { display: finding.target, host: finding.target, port: 0 };
  }
}

/**
 * The file's path relative to cwd with `/` separators, or null when it lies outside cwd (or is a URL):
 * a `../` path means nothing to GitHub or GitLab, which resolve locations against the repository root.
 */
function repositoryPath(file: string, cwd: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return null;
  const rel = relative(resolve(cwd), resolve(cwd, file)).split(sep).join(posix.sep);
  if (rel === '' || rel === '..' || rel.startsWith('../') || posix.isAbsolute(rel) || /^[a-z]:/i.test(rel)) return null;
  return rel;
}

/** `file:line` relative to cwd even when outside it, so the place is never lost from a result. */
export function declaredAt(file: string, line: number, cwd: string): string {
  const rel = /^[a-z][a-z0-9+.-]*:\/\//i.test(file) ? file : relative(resolve(cwd), resolve(cwd, file)).split(sep).join(posix.sep);
  return `${rel}:${line}`;
}
