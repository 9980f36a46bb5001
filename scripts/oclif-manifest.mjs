// Writes oclif.manifest.json after the TypeScript build, as `oclif manifest` does, without the oclif
// CLI package (which pulls in an AWS SDK and a second @oclif/core major). With the manifest present,
// `govscan --version` and `--help` read command metadata from one JSON file instead of importing the
// command table; it is regenerated on every build so it can never describe stale commands.
import { rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const plugin = new Plugin({ root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true });
await plugin.load();
const file = fileURLToPath(new URL('../oclif.manifest.json', import.meta.url));
// Replaced whole: a CLI starting while the build runs (tests in parallel) must never read half a file.
const tmp = `${file}.${process.pid}.tmp`;
await writeFile(tmp, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
await rename(tmp, file);
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands, version ${plugin.manifest.version}`);
