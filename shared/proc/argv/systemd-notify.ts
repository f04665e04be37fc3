// systemd-notify's command line: READY=1 and STATUS= for a Type=notify unit. A child process sends it
// (node cannot send unix datagrams), so the units say NotifyAccess=all.
export function systemdNotifyArgv(fields: { ready?: boolean; status: string }): string[] {
  return ["systemd-notify", ...(fields.ready ? ["--ready"] : []), `--status=${fields.status.slice(0, 200)}`];
}
