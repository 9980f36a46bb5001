import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';

export default class ChecksList extends GovscanCommand {
  static override summary = 'List the check families, what they probe and which targets they apply to';
  static override flags = {
    json: Flags.boolean({ default: false, description: "Print JSON, including each check's facts schema" }),
    lang: langFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ChecksList);
    this.lang = flags.lang;
    const { CHECKS } = await import('../../engine/registry.js');
    if (flags.json) {
      const out = CHECKS.map((c) => ({
        id: c.id,
        family: c.family,
        title: c.title,
        description: c.description,
        factsSchema: c.factsSchema,
      }));
      this.log(JSON.stringify(out, null, 2));
      return;
    }
    const width = Math.max(...CHECKS.map((c) => c.id.length));
    for (const c of CHECKS) {
      this.log(`${c.id.padEnd(width)}  ${c.title[this.lang]}`);
      this.log(`${' '.repeat(width)}  ${c.description[this.lang]}`);
    }
  }
}
