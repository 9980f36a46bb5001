// Standalone HTML report (DESIGN §5): one file a manager can open or print and send upward. It
// fetches nothing — CSS is inline, no fonts, no scripts, and a Content-Security-Policy forbids any
// load — so it renders the same offline, from a mail attachment, or on an air-gapped network.
// The summary comes first; details follow in the order a reader acts on them: failures, then each
// target, then waivers and what could not be tested, then the policies and their legal basis.

import { SEVERITIES, type Finding, type Lang, type Report, type Target } from '../core/types.js';
import { format } from '../core/i18n/index.js';
import { htmlMessages } from './html-messages.js';
import { CSS } from './html-style.js';
import { displayDate } from '../core/i18n/dates.js';
import { citationText } from '../core/i18n/citations.js';
import { outcomeTags, severityLabels } from './messages.js';
import { countsTowardThreshold, severityRank } from './summary.js';
import { evidenceValue, findingText, oneLine, pick, reasonText, targetLabel } from './text.js';
import { POLICY_MESSAGES } from '../policy/messages.js';
import { ruleDocUri } from './rule-links.js';
import { legalBasisMessages, paramLines, regimeStateLabels, systemLegalBases, targetLegalBasis } from './legal-basis.js';

const m = htmlMessages;

export interface HtmlOptions {
  lang: Lang;
}

export function toHtml(report: Report, opts: HtmlOptions): string {
  const { lang } = opts;
  const targets = new Map(report.targets.map((t) => [t.key, t] as const));
  const title = m.title[lang];
  const body = [
    header(report, lang),
    summarySection(report, lang),
    failedSection(report, targets, lang),
    targetsSection(report, targets, lang),
    waivedSection(report, targets, lang),
    notTestedSection(report, targets, lang),
    policiesSection(report, lang),
    `<footer>${esc(m.footer[lang])}</footer>`,
  ].filter(Boolean);
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="govscan ${esc(report.tool.version)}">
<title>${esc(title)}${report.run.agency ? ` — ${esc(report.run.agency)}` : ''}</title>
<style>${CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

function header(report: Report, lang: Lang): string {
  const meta: string[] = [];
  if (report.run.agency) meta.push(`<dt>${esc(m.agency[lang])}</dt><dd>${esc(report.run.agency)}</dd>`);
  if (report.run.inventory) meta.push(`<dt>${esc(m.inventory[lang])}</dt><dd><code>${esc(report.run.inventory)}</code></dd>`);
  const policies = report.policies.map((p) => `${p.id}${p.version ? `@${p.version}` : ''}`).join(', ');
  if (policies) meta.push(`<dt>${esc(m.policiesApplied[lang])}</dt><dd>${esc(policies)}</dd>`);
  const generated = format(m.generated[lang], {
    start: when(report.run.startedAt, lang),
    end: when(report.run.finishedAt, lang),
    version: report.tool.version,
    host: report.run.scannerHost || '—',
  });
  return `<header>
<h1>${esc(m.title[lang])}</h1>
<p class="muted">${esc(generated)}</p>
${meta.length ? `<dl class="meta">${meta.join('')}</dl>` : ''}
</header>`;
}

function summarySection(report: Report, lang: Lang): string {
  const s = report.summary;
  const failOn = report.run.failOn;
  let verdict: string;
  let verdictClass: string;
  if (failOn === 'none') {
    verdict = m.verdictNone[lang];
    verdictClass = 'verdict neutral';
  } else {
    // Every report keeps its failed findings (a lean one drops only passes), so this is what --fail-on saw:
    // waived and baselined findings do not count.
    const count = countsTowardThreshold(report.findings, failOn).length;
    const failing = count > 0;
    const label = severityLabels[failOn][lang];
    verdict = format(failing ? m.verdictFail[lang] : m.verdictPass[lang], { count, failOn: label });
    verdictClass = failing ? 'verdict bad' : 'verdict good';
  }
  const tile = (label: string, value: number, cls: string): string =>
    `<div class="tile ${cls}"><span class="n">${value}</span><span class="l">${esc(label)}</span></div>`;
  const tiles = [
    tile(m.targets[lang], s.targets, ''),
    tile(m.failed[lang], s.findings.fail, s.findings.fail > 0 ? 'bad' : ''),
    tile(m.passed[lang], s.findings.pass, 'good'),
    tile(m.notTested[lang], s.findings['not-tested'], s.findings['not-tested'] > 0 ? 'warn' : ''),
    tile(m.notApplicable[lang], s.findings['not-applicable'], ''),
    tile(m.waived[lang], s.findings.waived, ''),
  ];
  if (s.baselined) tiles.push(tile(m.baselined[lang], s.baselined, ''));
  const bySeverity = SEVERITIES.map(
    (sev) =>
      `<li class="sev-${sev}"><span class="badge sev-${sev}">${esc(severityLabels[sev][lang])}</span> ${s.failedBySeverity[sev]}</li>`,
  ).join('');
  return `<section id="summary">
<h2>${esc(m.summary[lang])}</h2>
<p class="${verdictClass}">${esc(verdict)}</p>
<div class="tiles">${tiles.join('')}</div>
<h3>${esc(m.failedBySeverity[lang])}</h3>
<ul class="severities">${bySeverity}</ul>
</section>`;
}

function failedSection(report: Report, targets: Map<string, Target>, lang: Lang): string {
  const failed = report.findings.filter((f) => f.outcome === 'fail').sort(bySeverity);
  if (failed.length === 0) {
    return `<section id="failed"><h2>${esc(m.failedFindings[lang])}</h2><p class="good">${esc(m.noFailures[lang])}</p></section>`;
  }
  const rows = failed.map((f) => {
    const t = targets.get(f.target);
    return `<tr class="sev-${f.severity}">
<td><span class="badge sev-${f.severity}">${esc(severityLabels[f.severity][lang])}</span>${f.baselined ? `<div class="small">${esc(m.inBaseline[lang])}</div>` : ''}${f.waiver?.expired ? `<div class="small">${esc(format(m.waiverExpiredOn[lang], { id: f.waiver.id, expires: displayDate(f.waiver.expires, lang) }))}</div>` : ''}</td>
<td>${ruleId(f.ruleId, lang)}<div class="small">${esc(oneLine(pick(f.title, lang)))}</div></td>
<td>${esc(endpoint(f, t))}${t?.system ? `<div class="small">${esc(t.system.name ?? t.system.id)}</div>` : ''}</td>
<td>${esc(findingText(f, t, lang))}${evidence(f, lang)}</td>
<td>${inlineMarkdown(pick(f.remediation, lang))}</td>
</tr>`;
  });
  return `<section id="failed">
<h2>${esc(m.failedFindings[lang])} (${failed.length})</h2>
<table>
<thead><tr><th>${esc(m.colSeverity[lang])}</th><th>${esc(m.colRule[lang])}</th><th>${esc(m.colTarget[lang])}</th><th>${esc(m.colFinding[lang])}</th><th>${esc(m.colRemediation[lang])}</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}

function targetsSection(report: Report, targets: Map<string, Target>, lang: Lang): string {
  const keys = [...new Set([...report.targets.map((t) => t.key), ...report.findings.map((f) => f.target)])];
  if (keys.length === 0) return `<section id="targets"><h2>${esc(m.byTarget[lang])}</h2><p>${esc(m.noTargets[lang])}</p></section>`;
  const listedPasses = report.findings.filter((f) => f.outcome === 'pass').length;
  const blocks = keys.map((key) => {
    const t = targets.get(key);
    const findings = report.findings.filter((f) => f.target === key);
    const details: string[] = [];
    if (t?.system) {
      const sys = t.system;
      let text = `${m.system[lang]}: ${sys.id}${sys.name ? ` — ${sys.name}` : ''}`;
      if (sys.level !== undefined) text += ` (${format(m.level[lang], { level: sys.level })})`;
      details.push(esc(text));
    }
    if (t?.source) details.push(esc(format(m.declaredAt[lang], { location: `${t.source.file}:${t.source.line}` })));
    const basis = targetLegalBasis(t, lang);
    if (basis) details.push(esc(basis));
    const rows = findings
      .filter((f) => f.outcome !== 'pass')
      .sort((a, b) => outcomeRank(a) - outcomeRank(b) || bySeverity(a, b))
      .map(
        (f) =>
          `<tr><td><span class="badge out-${f.outcome}">${esc(outcomeTags[f.outcome][lang])}</span></td><td>${ruleId(f.ruleId, lang)}</td><td>${esc(f.outcome === 'fail' ? findingText(f, t, lang) : oneLine(pick(f.title, lang)))}${f.reason && f.outcome !== 'fail' ? `<div class="small">${esc(readerReason(f, lang))}</div>` : ''}</td></tr>`,
      );
    const passes = findings.filter((f) => f.outcome === 'pass').map((f) => f.ruleId);
    return `<article class="target">
<h3>${esc(t ? targetLabel(t) : key)} <span class="small">${esc(key)}</span></h3>
${details.length ? `<p class="small">${details.join(' · ')}</p>` : ''}
${rows.length ? `<table class="compact"><tbody>${rows.join('')}</tbody></table>` : ''}
${passes.length ? `<p class="small good">${esc(format(m.passedRules[lang], { rules: '\u0000' })).replace('\u0000', passes.map((id) => `<span class="rid">${esc(id)}</span>`).join(', '))}</p>` : ''}
</article>`;
  });
  const unlisted = report.summary.findings.pass - listedPasses;
  const note = unlisted > 0 ? `<p class="small muted">${esc(format(m.passesCounted[lang], { count: unlisted }))}</p>` : '';
  return `<section id="targets">
<h2>${esc(m.byTarget[lang])}</h2>
${note}
${blocks.join('\n')}
</section>`;
}

function waivedSection(report: Report, targets: Map<string, Target>, lang: Lang): string {
  const waived = report.findings.filter((f) => f.outcome === 'waived').sort(bySeverity);
  const list = report.waivers ?? [];
  if (waived.length === 0 && list.length === 0) return '';
  // Each waiver once, with its justification; findings below only name it.
  const waiverRows = list.map(
    (w) =>
      `<tr><td><code>${esc(w.id)}</code></td><td><code>${esc(w.rule)}</code><div class="small">${esc(w.target)}</div></td><td>${esc(oneLine(w.justification))}</td><td>${esc(oneLine(w.approver))}</td><td>${w.expired ? `<span class="badge out-fail">${esc(format(m.waiverExpired[lang], { expires: displayDate(w.expires, lang) }))}</span>` : esc(displayDate(w.expires, lang))}</td><td>${w.waived}</td></tr>`,
  );
  const waiverTable = list.length
    ? `<h3>${esc(m.waiverList[lang])}${report.run.waivers ? ` (<code>${esc(report.run.waivers)}</code>)` : ''}</h3>
<table>
<thead><tr><th>${esc(m.colWaiver[lang])}</th><th>${esc(m.colRule[lang])}</th><th>${esc(m.colJustification[lang])}</th><th>${esc(m.colApprover[lang])}</th><th>${esc(m.colExpires[lang])}</th><th>${esc(m.waived[lang])}</th></tr></thead>
<tbody>${waiverRows.join('')}</tbody>
</table>`
    : '';
  const rows = waived.map(
    (f) =>
      `<tr><td><span class="badge sev-${f.severity}">${esc(severityLabels[f.severity][lang])}</span></td><td>${ruleId(f.ruleId, lang)}</td><td>${esc(endpoint(f, targets.get(f.target)))}</td><td>${esc(f.waiver ? format(m.waiverUntil[lang], { id: f.waiver.id, expires: displayDate(f.waiver.expires, lang) }) : readerReason(f, lang))}</td></tr>`,
  );
  return `<section id="waived">
<h2>${esc(m.waivedFindings[lang])} (${waived.length})</h2>
${waiverTable}
${
  waived.length
    ? `<table>
<thead><tr><th>${esc(m.colSeverity[lang])}</th><th>${esc(m.colRule[lang])}</th><th>${esc(m.colTarget[lang])}</th><th>${esc(m.colWaiver[lang])}</th></tr></thead>
<tbody>${rows.join('')}</tbody>
</table>`
    : ''
}
</section>`;
}

/** Not-tested findings share causes (one refused port fails every rule), so group them by reason. */
function notTestedSection(report: Report, targets: Map<string, Target>, lang: Lang): string {
  const notTested = report.findings.filter((f) => f.outcome === 'not-tested');
  if (notTested.length === 0) return '';
  const groups = new Map<string, { targets: Set<string>; rules: Set<string> }>();
  for (const f of notTested) {
    const reason = readerReason(f, lang) || '—';
    const g = groups.get(reason) ?? { targets: new Set<string>(), rules: new Set<string>() };
    g.targets.add(endpoint(f, targets.get(f.target)));
    g.rules.add(f.ruleId);
    groups.set(reason, g);
  }
  const rows = [...groups.entries()].map(
    ([reason, g]) =>
      `<tr><td>${esc(reason)}</td><td>${esc([...g.targets].join(', '))}</td><td>${[...g.rules].map((id) => ruleId(id, lang)).join(', ')}</td></tr>`,
  );
  return `<section id="not-tested">
<h2>${esc(m.notTestedFindings[lang])} (${notTested.length})</h2>
<table>
<thead><tr><th>${esc(m.colReason[lang])}</th><th>${esc(m.colTarget[lang])}</th><th>${esc(m.colRule[lang])}</th></tr></thead>
<tbody>${rows.join('')}</tbody>
</table>
</section>`;
}

function policiesSection(report: Report, lang: Lang): string {
  if (report.policies.length === 0) return '';
  const rows = report.policies.map(
    (p) =>
      `<tr><td><code>${esc(p.id)}</code><div class="small">${esc(pick(p.title, lang))}</div></td><td>${esc(p.version)}</td><td>${p.legalBasis.length ? `<ul>${p.legalBasis.map((b) => `<li>${esc(citationText(b, lang))}</li>`).join('')}</ul>` : '—'}</td></tr>`,
  );
  return `<section id="policies">
<h2>${esc(m.policies[lang])}</h2>
<table>
<thead><tr><th>${esc(m.colPolicy[lang])}</th><th>${esc(m.colVersion[lang])}</th><th>${esc(m.colLegalBasis[lang])}</th></tr></thead>
<tbody>${rows.join('')}</tbody>
</table>
${legalBasisTables(report, lang)}
</section>`;
}

/** Which regime judged each system and why, and the parameters the run changed. */
function legalBasisTables(report: Report, lang: Lang): string {
  const lb = legalBasisMessages;
  const systems = systemLegalBases(report);
  const params = paramLines(report.run.params, lang);
  const out: string[] = [];
  if (systems.length) {
    const rows = systems.map(
      (s) =>
        `<tr><td><code>${esc(s.system)}</code>${s.name ? `<div class="small">${esc(s.name)}</div>` : ''}</td><td><code>${esc(s.basis.id)}</code><div class="small">${esc(s.basis.policy)} · ${esc(regimeStateLabels[s.basis.state][lang])}</div></td><td>${esc(s.basis.reason[lang] || s.basis.reason.en)}</td></tr>`,
    );
    out.push(`<h3>${esc(lb.heading[lang])}</h3>
<table>
<thead><tr><th>${esc(lb.colSystem[lang])}</th><th>${esc(lb.colRegime[lang])}</th><th>${esc(lb.colReason[lang])}</th></tr></thead>
<tbody>${rows.join('')}</tbody>
</table>`);
  }
  if (params.length)
    out.push(`<h3>${esc(lb.paramsHeading[lang])}</h3>
<ul>${params.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`);
  return out.join('\n');
}

function evidence(f: Finding, lang: Lang): string {
  const entries = Object.entries(f.evidence);
  if (entries.length === 0) return '';
  const items = entries.map(([k, v]) => `<li><code>${esc(k)}</code> = <code>${esc(truncate(evidenceValue(v, lang), 300))}</code></li>`);
  return `<details><summary>${esc(m.evidence[lang])}</summary><ul class="evidence">${items.join('')}</ul></details>`;
}

/** A rule id, kept on one line, linked to its reference page when it has one (docs/rules/). */
function ruleId(id: string, lang: Lang): string {
  const uri = ruleDocUri(id, lang);
  return uri ? `<a class="rid" href="${esc(uri)}"><code>${esc(id)}</code></a>` : `<code class="rid">${esc(id)}</code>`;
}

// The engine's English reasons for a false `when` or `requires` end with the CEL expression (for pack
// authors, in JSON and the terminal); this page says it in words. Vietnamese reasons are words already.
const CEL_REASONS = [
  { prefix: POLICY_MESSAGES.whenFalse.en.split('{condition}')[0] ?? '', words: m.conditionNotMet },
  { prefix: POLICY_MESSAGES.requiresFalse.en.split('{condition}')[0] ?? '', words: m.factsNotGathered },
];

/** Why a rule was not judged, in words a manager reads: never a CEL expression. */
function readerReason(f: Finding, lang: Lang): string {
  const hit = f.reason ? CEL_REASONS.find((r) => r.prefix && f.reason?.startsWith(r.prefix)) : undefined;
  return hit ? hit.words[lang] : reasonText(f, lang);
}

/**
 * Pack texts (remediation) use Markdown code spans for commands and settings: those become <code>,
 * and nothing else of the text is HTML — it is escaped whole, so a pack cannot inject markup.
 */
function inlineMarkdown(text: string): string {
  return text
    .split(/`([^`\n]+)`/)
    .map((part, i) => (i % 2 === 1 ? `<code>${esc(part)}</code>` : esc(part)))
    .join('');
}

function endpoint(f: Finding, t: Target | undefined): string {
  return t ? targetLabel(t) : f.target;
}

function outcomeRank(f: Finding): number {
  return ['fail', 'waived', 'not-tested', 'not-applicable', 'pass'].indexOf(f.outcome);
}

function bySeverity(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)
  );
}

/** Dates as the reader's language writes them, in UTC+7 (Vietnam) with the zone named, so it is unambiguous. */
function when(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone: 'Asia/Ho_Chi_Minh',
    timeZoneName: 'short',
  }).format(d);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
