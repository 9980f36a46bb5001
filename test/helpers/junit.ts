// Judges a JUnit report the two ways CI systems do: valid against the JUnit schema (libxml2's
// validator, compiled to WebAssembly so no system package is needed) and readable by a real JUnit
// consumer library (junit2json, which CI dashboards use to ingest reports).

import { readFileSync } from 'node:fs';
import { parse, type TestSuites } from 'junit2json';
import { validateXML } from 'xmllint-wasm';

const XSD = readFileSync(new URL('../fixtures/junit/junit.xsd', import.meta.url), 'utf8');

/** Every schema problem as `line: message`; empty when valid. */
export async function validateJunit(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: { fileName: 'report.xml', contents: xml }, schema: { fileName: 'junit.xsd', contents: XSD } });
  return result.valid ? [] : result.errors.map((e) => `${e.loc?.lineNumber ?? '?'}: ${e.message}`);
}

export async function parseJunit(xml: string): Promise<TestSuites> {
  const parsed = await parse(xml);
  if (!parsed || !('testsuite' in parsed || 'name' in parsed)) throw new Error('not a <testsuites> document');
  return parsed as TestSuites;
}
