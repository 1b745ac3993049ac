// Chromium's processes (browser, renderers, zygote, GPU) share the browser's process group: the renderer ends
// them together, and close() waits until the kernel has really ended them, so "stopped" means stopped.
import fs from 'node:fs';

/** SIGKILLs the browser's process group (Puppeteer starts Chromium detached: the group is the browser and its children). */
export function killProcessGroup(pid: number | undefined): void {
  if (!pid) return;
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Live (not zombie) processes whose process group is `pgid`, read from /proc; [] where there is no /proc. */
export function liveGroupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') live.push(Number(name));
  }
  return live;
}

/** Waits (bounded) until no live process of the group is left: a SIGKILLed process on a busy machine takes a moment. */
export async function waitForGroupExit(pgid: number | undefined, timeoutMs: number): Promise<boolean> {
  if (!pgid) return true;
  const deadline = Date.now() + timeoutMs;
  while (liveGroupMembers(pgid).length) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
