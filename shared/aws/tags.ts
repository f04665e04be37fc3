// AWS answers tags as a list of {Key, Value} (EC2, Auto Scaling, ELB alike); the code reads them as
// a map.
export function tagMap(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}
