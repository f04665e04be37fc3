// Whether a process of this host still exists, for locks whose holder may have died (kill -9).

/** Signal 0 checks without signalling; EPERM means it exists but belongs to someone else. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
