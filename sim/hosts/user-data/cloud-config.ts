// The part of #cloud-config the sim interprets: bootcmd, write_files and runcmd, each turned into
// a shell script that runs inside the host (cloud-init's cc_bootcmd, cc_write_files, cc_runcmd).
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";

export interface WriteFile {
  path: string;
  content: Buffer;
  /** e.g. "0644" */
  permissions: string;
  append: boolean;
  defer: boolean;
}

export interface CloudConfig {
  bootcmd: (string | string[])[];
  writeFiles: WriteFile[];
  runcmd: (string | string[])[];
  /** Keys the sim does not interpret (cloud-init would). */
  ignoredKeys: string[];
}

const HANDLED = new Set(["bootcmd", "write_files", "runcmd"]);

export const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

function commands(value: unknown, key: string): (string | string[])[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${key}: expected a list`);
  return value.map((item, i) => {
    if (typeof item === "string") return item;
    if (Array.isArray(item)) return item.map(String);
    throw new Error(`${key}[${i}]: expected a string or a list of strings`);
  });
}

function decodeContent(content: unknown, encoding: unknown, where: string): Buffer {
  const text = content === undefined || content === null ? "" : String(content);
  const enc = String(encoding ?? "text/plain").toLowerCase();
  if (["b64", "base64"].includes(enc)) return Buffer.from(text, "base64");
  if (["gz", "gzip"].includes(enc)) return gunzipSync(Buffer.from(text, "latin1"));
  if (["gz+b64", "gz+base64", "gzip+b64", "gzip+base64"].includes(enc))
    return gunzipSync(Buffer.from(text, "base64"));
  if (enc === "text/plain") return Buffer.from(text);
  throw new Error(`${where}.encoding: unknown encoding ${enc}`);
}

function writeFiles(value: unknown): WriteFile[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error("write_files: expected a list");
  return value.map((item: Record<string, unknown>, i) => {
    const where = `write_files[${i}]`;
    if (typeof item?.path !== "string" || !item.path.startsWith("/"))
      throw new Error(`${where}.path: expected an absolute path`);
    const permissions = String(item.permissions ?? "0644");
    if (!/^0?[0-7]{3,4}$/.test(permissions))
      throw new Error(`${where}.permissions: expected octal, got ${permissions}`);
    return {
      path: item.path,
      content: decodeContent(item.content, item.encoding, where),
      permissions,
      append: item.append === true,
      defer: item.defer === true,
    };
  });
}

/** Throws with the key path on content the sim cannot run. */
export function parseCloudConfig(text: string): CloudConfig {
  const doc: unknown = parse(text) ?? {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new Error("cloud-config: expected a mapping");
  const c = doc as Record<string, unknown>;
  return {
    bootcmd: commands(c.bootcmd, "bootcmd"),
    writeFiles: writeFiles(c.write_files),
    runcmd: commands(c.runcmd, "runcmd"),
    ignoredKeys: Object.keys(c).filter((k) => !HANDLED.has(k)),
  };
}

/** As cloud-init writes runcmd and bootcmd: a string verbatim, a list as one quoted command line. */
export function commandScript(cmds: (string | string[])[]): string {
  const lines = cmds.map((c) => (typeof c === "string" ? c : c.map(shellQuote).join(" ")));
  return `#!/bin/sh\n${lines.join("\n")}\n`;
}

export function writeFilesScript(files: WriteFile[]): string {
  const lines = ["#!/bin/sh", "set -e"];
  for (const f of files) {
    const p = shellQuote(f.path);
    const dir = shellQuote(f.path.slice(0, f.path.lastIndexOf("/")) || "/");
    lines.push(
      `mkdir -p ${dir}`,
      `base64 -d ${f.append ? ">>" : ">"} ${p} <<'__SIM_WRITE_FILES_EOF__'`,
      ...(f.content.toString("base64").match(/.{1,76}/g) ?? []),
      "__SIM_WRITE_FILES_EOF__",
      `chmod ${f.permissions} ${p}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
