// The JSON Schema files the README names for users, each written out from the one definition govscan
// validates with (scripts/write-schemas.mjs writes them; test/contract/schemas.test.ts checks that
// every committed file still equals its definition).

import type { TSchema } from 'typebox';
import { ReportSchema } from './core/report-schema.js';

export const PUBLISHED_SCHEMAS: readonly { file: string; schema: TSchema }[] = [{ file: 'src/report/report.schema.json', schema: ReportSchema }];
