// The HTML report's one stylesheet, inline in the page (the report fetches nothing).

import { SEVERITIES, type Severity } from '../core/types.js';

/**
 * Badge backgrounds under white text, each at least 4.5:1 (WCAG AA). Critical is near-black wine and
 * high a clear red, so the two differ in lightness (3:1) as well as in their words; critical also
 * carries a double border, a shape that survives greyscale printing.
 */
const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#4c0519',
  high: '#c2410c',
  medium: '#92400e',
  low: '#1d4ed8',
  info: '#4b5563',
};

// System fonts only (an external font would be a network fetch); all colours also carry a text label,
// so the report stays readable printed in black and white.
export const CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif;color:#111827;background:#fff;margin:0 auto;max-width:1100px;padding:24px;line-height:1.45;font-size:14px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:2px solid #e5e7eb;padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
.muted{color:#6b7280}.small{font-size:12px;color:#4b5563}.good{color:#166534}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}dl.meta dt{font-weight:600}dl.meta dd{margin:0}
.verdict{font-size:16px;font-weight:600;padding:10px 14px;border-radius:6px;border:1px solid}
.verdict.bad{background:#fef2f2;border-color:#fca5a5;color:#991b1b}.verdict.good{background:#f0fdf4;border-color:#86efac;color:#166534}.verdict.neutral{background:#f9fafb;border-color:#d1d5db}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(110px,1fr));gap:8px;margin:12px 0}
.tile{border:1px solid #d1d5db;border-radius:6px;padding:10px;text-align:center}.tile .n{display:block;font-size:24px;font-weight:700}.tile .l{font-size:12px;color:#374151}
.tile.bad .n{color:#b91c1c}.tile.good .n{color:#166534}.tile.warn .n{color:#b45309}
ul.severities{list-style:none;padding:0;display:flex;gap:16px;flex-wrap:wrap}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}th{background:#f3f4f6}
table.compact td{border:none;border-bottom:1px solid #f3f4f6;padding:3px 6px}
.badge{display:inline-block;padding:1px 6px;border-radius:4px;font-size:12px;font-weight:600;color:#fff;background:#6b7280;white-space:nowrap}
${SEVERITIES.map((s) => `.badge.sev-${s}{background:${SEVERITY_COLORS[s]}}`).join('')}
.badge.sev-critical{outline:2px solid #4c0519;outline-offset:1px}
.badge.out-fail{background:#111827}.badge.out-waived{background:#7c3aed}.badge.out-not-tested{background:#b45309}.badge.out-not-applicable{background:#6b7280}.badge.out-pass{background:#166534}
code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
code.rid,a.rid code,span.rid{white-space:nowrap;overflow-wrap:normal;word-break:keep-all}a.rid{text-decoration:none}a.rid:hover code{text-decoration:underline}
article.target{border:1px solid #e5e7eb;border-radius:6px;padding:6px 12px;margin:8px 0;break-inside:avoid}
ul.evidence{margin:4px 0;padding-left:18px}details summary{cursor:pointer;font-size:12px;color:#374151}
footer{margin-top:32px;font-size:12px;color:#6b7280;border-top:1px solid #e5e7eb;padding-top:8px}
@media (max-width:700px){
 body{padding:12px;font-size:15px}
 table,thead,tbody,tr,th,td{display:block;width:100%}
 thead tr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 tr{border-bottom:1px solid #d1d5db;padding:4px 0}th,td{border:none;padding:2px 4px}
dl.meta{grid-template-columns:1fr}
}
@media print{
 body{max-width:none;padding:0;font-size:11pt}
 @page{size:A4;margin:15mm}
 h2{break-after:avoid}tr,article.target,.tile{break-inside:avoid}thead{display:table-header-group}
 details{display:block}details>*{display:block}details summary{display:none}
 .badge{color:#000;background:none!important;border:1px solid #000}
 .verdict{border-width:2px}
}
`;
