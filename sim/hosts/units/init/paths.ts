// Where the host's service manager keeps things inside the host, and where systemd looks for units.
export const INIT_RUN_DIR = "/run/sim-init";
/** systemctl's requests (JSON lines over a unix stream socket). */
export const CONTROL_SOCKET = `${INIT_RUN_DIR}/control.sock`;
/** NOTIFY_SOCKET of the units: a stream socket that the host's systemd-notify writes to. */
export const NOTIFY_SOCKET = `${INIT_RUN_DIR}/notify.sock`;
/** One JSON object a line: { t: epoch ms, u: unit, i: identifier, p: pid, m: message }. */
export const JOURNAL_FILE = "/var/log/sim-init/journal.jsonl";
/** Unit search path in systemd's order: an earlier directory's file wins. */
export const UNIT_DIRS = [
  "/etc/systemd/system",
  "/run/systemd/system",
  "/lib/systemd/system",
  "/usr/lib/systemd/system",
];
/** Where `enable` makes its links, as systemctl does. */
export const ENABLE_DIR = "/etc/systemd/system";
/** The targets a boot reaches: their wanted units start at every boot. */
export const BOOT_TARGETS = ["default.target", "multi-user.target"];
