// Whether terminal output is coloured: `--no-color` first, then FORCE_COLOR (as node and chalk read
// it: set and not 0/false forces colour even into a pipe), then NO_COLOR (https://no-color.org: set
// and not empty turns it off), then whether the stream is a terminal that is not TERM=dumb.

export function colorWanted(stream: { isTTY?: boolean }, flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}
