/**
 * Ctrl-C handling for commands that finish their work when interrupted (write the report of what was
 * gathered). The first SIGINT calls `onFirst`; a second one ends the process as an interrupted process
 * ends (killed by SIGINT), for a user who does not want to wait.
 *
 * The listener stays registered until `release()`: with a one-shot listener, a library that also
 * listens (restore-cursor through signal-exit, loaded by the live progress list) finds itself the only
 * listener when the signal arrives, concludes nobody handles it and re-raises it, killing the process
 * before the report is written (seen on Node 22).
 */
export function onInterrupt(onFirst: () => void): { release: () => void } {
  let pressed = false;
  const listener = (): void => {
    if (!pressed) {
      pressed = true;
      onFirst();
      return;
    }
    process.off('SIGINT', listener);
    process.kill(process.pid, 'SIGINT');
  };
  process.on('SIGINT', listener);
  return { release: () => process.off('SIGINT', listener) };
}
