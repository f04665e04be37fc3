// The host's service manager process: listens on its control and notify sockets in the host's /run,
// runs the units, and is killed with the host (it runs in the host's PID namespace).
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { createInterface } from "node:readline";
import { systemctl } from "./ctl.js";
import { Journal } from "./journal.js";
import { Manager } from "./manager.js";
import { CONTROL_SOCKET, INIT_RUN_DIR, NOTIFY_SOCKET } from "./paths.js";
import type { Reply, Request } from "./protocol.js";

/** The machine's own enabled units, written by the sim: `machine-units.json` (an array of names). */
function machineUnits(): Set<string> {
  try {
    return new Set(JSON.parse(readFileSync(`${INIT_RUN_DIR}/machine-units.json`, "utf8")) as string[]);
  } catch {
    return new Set();
  }
}

function serve(
  path: string,
  handle: (req: Request, send: (r: Reply) => void) => Promise<void>,
): Promise<void> {
  rmSync(path, { force: true });
  const server = createServer((conn: Socket) => {
    const lines = createInterface({ input: conn });
    lines.once("line", (line) => {
      const send = (r: Reply) => {
        if (!conn.destroyed) conn.write(`${JSON.stringify(r)}\n`);
      };
      handle(JSON.parse(line) as Request, send)
        .catch((e: Error) => {
          send({ e: e.message });
          send({ exit: 1 });
        })
        .finally(() => conn.end());
    });
    conn.on("error", () => {});
  });
  return new Promise((resolve) => server.listen(path, resolve));
}

export async function supervise(): Promise<void> {
  const journal = new Journal();
  const manager = new Manager(journal);
  // sd_booted(): packages' maintainer scripts call systemctl only when this directory exists.
  mkdirSync("/run/systemd/system", { recursive: true });
  mkdirSync(INIT_RUN_DIR, { recursive: true });
  await serve(NOTIFY_SOCKET, async (req, send) => {
    if (req.kind !== "notify") throw new Error("not a notification");
    const known = manager.notify(req.invocationId, req.fields);
    if (!known) send({ e: "No unit of this host runs with this invocation id (NotifyAccess= refused it)." });
    send({ exit: known ? 0 : 1 });
  });
  await serve(CONTROL_SOCKET, async (req, send) => {
    const o = { out: (l: string) => send({ o: l }), err: (l: string) => send({ e: l }) };
    if (req.kind === "boot") {
      await manager.boot(machineUnits());
      send({ exit: 0 });
    } else if (req.kind === "systemctl") {
      send({ exit: await systemctl(manager, req.argv, o) });
    } else throw new Error(`unknown request ${req.kind}`);
  });
  journal.write("", "systemd", process.pid, "Service manager of the host started.");
  process.stdout.write("ready\n");
}
