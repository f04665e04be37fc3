// Parses WWW-Authenticate (RFC 7235 section 4.1): one or more challenges, each a scheme and
// auth-params whose quoted values may hold commas (a Bearer scope like "repository:a/b:pull,push").
// Pure, so the registry's challenges are tested as data.

export interface AuthChallenge {
  /** Lowercased: "bearer", "basic". */
  scheme: string;
  /** Parameter names lowercased, values unquoted: realm, service, scope, error. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;

export function parseWwwAuthenticate(header: string | readonly string[] | undefined): AuthChallenge[] {
  if (header === undefined) return [];
  if (typeof header !== "string") return header.flatMap((h) => parseWwwAuthenticate(h));
  const challenges: AuthChallenge[] = [];
  let i = 0;
  const skip = (chars: RegExp) => {
    while (i < header.length && chars.test(header.charAt(i))) i++;
  };
  const token = (): string => {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(header);
    if (!m) return "";
    i += m[0].length;
    return m[0];
  };
  const quoted = (): string => {
    let out = "";
    for (i++; i < header.length; i++) {
      const c = header.charAt(i);
      if (c === '"') {
        i++;
        break;
      }
      if (c === "\\" && i + 1 < header.length) i++;
      out += header.charAt(i);
    }
    return out;
  };
  while (i < header.length) {
    skip(/[\s,]/);
    const name = token();
    if (name === "") {
      i++; // a character no grammar allows here: step over it rather than give up on the rest
      continue;
    }
    skip(/\s/);
    if (header.charAt(i) !== "=") {
      challenges.push({ scheme: name.toLowerCase(), params: {} });
      continue;
    }
    i++;
    skip(/\s/);
    const value = header.charAt(i) === '"' ? quoted() : token();
    const current = challenges.at(-1);
    if (current) current.params[name.toLowerCase()] = value;
  }
  return challenges;
}

/** The challenge to answer: Bearer when offered (what the distribution spec describes), else Basic. */
export function chooseChallenge(challenges: readonly AuthChallenge[]): AuthChallenge | undefined {
  return challenges.find((c) => c.scheme === "bearer") ?? challenges.find((c) => c.scheme === "basic");
}
