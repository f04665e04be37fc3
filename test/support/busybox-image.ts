// A tiny image built from the machine's static busybox, imported with podman and pushed to a test
// registry: containers that serve HTTP (busybox httpd) without any image from the internet.
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../sim/hosts/proc/run.js";
import type { Registry } from "./registry.js";

export interface BusyboxImage {
  /** "127.0.0.1:PORT/sim/busybox-httpd:1" */
  ref: string;
  /** "sha256:...", the manifest digest the registry serves. */
  digest: string;
}

/**
 * By default the container runs `httpd -f -p $HTTPD_ADDR -h $HTTPD_ROOT` (127.0.0.1:8080 and /www
 * when unset), so one image serves any host address: `podman run -e HTTPD_ADDR=<ip>:8080 ...`.
 */
export const DEFAULT_HTTPD_CMD = [
  "/bin/sh",
  "-c",
  'exec httpd -f -v -p "${HTTPD_ADDR:-127.0.0.1:8080}" -h "${HTTPD_ROOT:-/www}"',
];

async function makeRootfs(root: string): Promise<void> {
  await mkdir(join(root, "bin"), { recursive: true });
  for (const d of ["www", "tmp", "etc"]) await mkdir(join(root, d), { recursive: true });
  await copyFile("/bin/busybox", join(root, "bin", "busybox"));
  const applets = (await run(["/bin/busybox", "--list"])).stdout
    .split("\n")
    .filter((a) => /^[a-z0-9_.[-]+$/.test(a));
  for (const a of applets) if (a !== "busybox") await symlink("busybox", join(root, "bin", a));
  await writeFile(join(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
  await writeFile(join(root, "www", "index.html"), "busybox httpd\n");
}

// Podman on the machine itself would leave its lock segment in /dev/shm and state in /run/libpod:
// run it in a throwaway mount namespace with its own /dev/shm, and everything else in `dir`.
function podmanScript(dir: string): string {
  const flags = `--root ${dir}/graph --runroot ${dir}/run --tmpdir ${dir}/libpod --storage-driver vfs --cgroup-manager cgroupfs --events-backend file`;
  return `mount -n -t tmpfs tmpfs /dev/shm && podman ${flags} import --change "$CMD_CHANGE" "$DIR/rootfs.tar" "$LOCAL" >/dev/null && podman ${flags} push --tls-verify=false \${CREDS:+"--creds=$CREDS"} --digestfile "$DIR/digest" "$LOCAL" "$REF"`;
}

export async function buildBusyboxImage(opts: {
  registry: Registry;
  repository?: string;
  tag?: string;
  cmd?: string[];
}): Promise<BusyboxImage> {
  const dir = await mkdtemp(join(tmpdir(), "sim-busybox-"));
  try {
    await makeRootfs(join(dir, "rootfs"));
    await run(["tar", "-C", join(dir, "rootfs"), "-cf", join(dir, "rootfs.tar"), "."]);
    await writeFile(join(dir, "containers.conf"), '[engine]\nevents_logger = "file"\n');
    const ref = `${opts.registry.host}/${opts.repository ?? "sim/busybox-httpd"}:${opts.tag ?? "1"}`;
    const auth = opts.registry.auth;
    await run(["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", podmanScript(dir)], {
      env: {
        PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
        TMPDIR: dir,
        CONTAINERS_CONF: join(dir, "containers.conf"),
        DIR: dir,
        LOCAL: `localhost/sim-busybox:${Date.now()}`,
        REF: ref,
        CMD_CHANGE: `CMD ${JSON.stringify(opts.cmd ?? DEFAULT_HTTPD_CMD)}`,
        CREDS: auth ? `${auth.username}:${auth.password}` : "",
      },
    });
    return { ref, digest: (await readFile(join(dir, "digest"), "utf8")).trim() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
