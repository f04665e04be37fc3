// A device's `major:minor`, as /proc/self/mountinfo writes it, from its rdev. Read rdev with
// stat(path, { bigint: true }): a dev_t is 64 bits, more than a number holds exactly.
/**
 * glibc's encoding of dev_t (sys/sysmacros.h), 12+20 bits of major and 8+24 bits of minor; like
 * its 32-bit casts, each high part is masked to 32 bits so one number's bits do not leak into the other.
 */
export function majorMinor(rdev: bigint): string {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & 0xfffff000n);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & 0xffffff00n);
  return `${major}:${minor}`;
}
