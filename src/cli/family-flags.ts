// oclif flags for the options the check families declare (src/core/family.ts), so `govscan scan`
// learns a family's flags from the family, and their values go back to the engine by flag name.

import { Flags } from '@oclif/core';
import type { FamilyOption, FamilyOptionValues } from '../core/family.js';
import { repeatable } from './base.js';

function flagOf(o: FamilyOption) {
  switch (o.kind) {
    case 'boolean':
      return Flags.boolean({ default: o.default, description: o.help.en });
    case 'string':
      return Flags.string({ default: o.default, description: o.help.en, ...(o.helpValue ? { helpValue: o.helpValue } : {}) });
    case 'choice':
      return Flags.string({ options: [...o.choices], default: o.default, description: o.help.en });
    case 'list':
      return repeatable({ description: o.help.en, ...(o.helpValue ? { helpValue: o.helpValue } : {}) });
  }
}

export function familyFlags(options: readonly FamilyOption[]): Record<string, ReturnType<typeof flagOf>> {
  return Object.fromEntries(options.map((o) => [o.name, flagOf(o)]));
}

/** The parsed values of those flags, by flag name. */
export function familyFlagValues(options: readonly FamilyOption[], flags: Readonly<Record<string, unknown>>): FamilyOptionValues {
  const values: Record<string, FamilyOptionValues[string]> = {};
  for (const o of options) {
    const v = flags[o.name];
    if (typeof v === 'boolean' || typeof v === 'string') values[o.name] = v;
    else if (Array.isArray(v)) values[o.name] = v.map(String);
  }
  return values;
}

/** Vietnamese help texts of those flags (src/cli/help-vi.ts). */
export function familyFlagsVi(options: readonly FamilyOption[]): Record<string, string> {
  return Object.fromEntries(options.map((o) => [o.name, o.help.vi]));
}
