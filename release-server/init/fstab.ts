// The release volume's /etc/fstab line: by UUID, `nofail` so a missing volume never stops the boot
// (fstab(5)). One line per mount point: an existing entry for the path is replaced, others kept.

export function fstabLine(uuid: string, path: string, fsType: string): string {
  return `UUID=${uuid} ${path.replace(/ /g, "\\040")} ${fsType} defaults,nofail 0 2`;
}

export function upsertFstab(text: string, path: string, line: string): string {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const out: string[] = [];
  let placed = false;
  for (const l of lines) {
    const fields = l.trim().startsWith("#") ? [] : l.trim().split(/\s+/);
    if (fields[1]?.replace(/\\040/g, " ") === path) {
      if (!placed) out.push(line);
      placed = true;
    } else out.push(l);
  }
  if (!placed) out.push(line);
  return `${out.join("\n")}\n`;
}
