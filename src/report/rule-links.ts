// Where a rule's reference page (docs/rules/<ID>.md) is opened from a report: SARIF `helpUri` and the
// HTML report's rule links. Like Trivy (avd.aquasec.com) and Checkov (its guideline URL), the link is
// absolute: SARIF's schema wants a URI, and a report is read away from the machine that wrote it.
// When package.json names the repository, pages are linked there at this version's tag; otherwise
// (a source checkout or a package without that field) a `file:` URL to the page the package ships.
// Rules of a user's own pack have no page, so no link.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Lang } from '../core/types.js';
import { packageRoot } from '../core/package-root.js';

export interface PackageLinks {
  version: string;
  repository?: string | { url?: string };
  homepage?: string;
}

/** The web folder of docs/rules/ for a package.json, or null when it names no repository or homepage. */
export function repositoryDocsBase(pkg: PackageLinks): string | null {
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const github = repo ? githubRepo(repo) : pkg.homepage ? githubRepo(pkg.homepage) : null;
  if (github) return `https://github.com/${github}/blob/v${pkg.version}/docs/rules/`;
  const web = repo && /^https?:\/\//.test(repo) ? repo : pkg.homepage;
  if (!web || !/^https?:\/\//.test(web)) return null;
  return `${web.replace(/[#?].*$/, '').replace(/\.git$/, '').replace(/\/+$/, '')}/docs/rules/`;
}

/** owner/name of a GitHub repository written any way npm accepts (github:o/n, o/n, git+https://github.com/o/n.git). */
function githubRepo(text: string): string | null {
  const short = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(text);
  if (short?.[1]) return short[1].replace(/\.git$/, '');
  const url = /^(?:git\+)?(?:https?|ssh|git):\/\/(?:[^@/]+@)?github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?(?:[/#?].*)?$/.exec(text);
  return url?.[1] ?? null;
}

let base: { web: string | null; dir: string } | undefined;

function docsBase(): { web: string | null; dir: string } {
  if (!base) {
    const root = packageRoot();
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageLinks;
    base = { web: repositoryDocsBase(pkg), dir: join(root, 'docs', 'rules') };
  }
  return base;
}

/** The reference page of a built-in rule, in the reader's language; undefined for a rule without one. */
export function ruleDocUri(ruleId: string, lang: Lang): string | undefined {
  if (!/^[A-Z0-9][A-Z0-9-]*$/.test(ruleId)) return undefined;
  const page = lang === 'vi' ? `vi/${ruleId}.md` : `${ruleId}.md`;
  if (!links.has(page)) {
    const { web, dir } = docsBase();
    links.set(page, existsSync(join(dir, page)) ? (web ? web + page : pathToFileURL(join(dir, page)).href) : undefined);
  }
  return links.get(page);
}

// A report names the same rules over and over: the file system is asked once per page.
const links = new Map<string, string | undefined>();
