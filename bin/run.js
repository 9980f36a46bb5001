#!/usr/bin/env node
// govscan entry point: oclif reads the command table from dist/ (built by `npm run build`).
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
