// image_id_subst: replaces every match of the (translated) pattern in the user_data text with the
// image id, as Python's re.sub does, using a replacer function so "$" in the id is never special.

export type SubstituteResult = { ok: true; text: string; count: number } | { ok: false; problem: string };

export function substituteImageId(text: string, regex: RegExp, imageId: string): SubstituteResult {
  const global = regex.global ? regex : new RegExp(regex.source, `${regex.flags}g`);
  let count = 0;
  for (const match of text.matchAll(global)) {
    if (match[0] === "") {
      const line = text.slice(0, match.index).split("\n").length;
      return { ok: false, problem: `image_id_subst matches an empty string on line ${line} of user_data` };
    }
    count++;
  }
  return { ok: true, text: text.replace(global, () => imageId), count };
}
