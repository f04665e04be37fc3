// Release ids: sortable by time and tied to the content, e.g. "20250314-101500-3fa4c2d1".
// Two publishes of the same tree in the same second get the same id, which is what they are.

export function releaseIdOf(time: Date, treeHash: string): string {
  const iso = time.toISOString(); // 2025-03-14T10:15:00.000Z
  const date = iso.slice(0, 10).replace(/-/g, "");
  const clock = iso.slice(11, 19).replace(/:/g, "");
  return `${date}-${clock}-${treeHash.slice(0, 8)}`;
}
