// XML for the EC2 and Query protocols. A response is a plain value tree: objects become elements
// named by their keys, arrays become repeated <item> (EC2) or <member> (Query) children, Dates ISO
// strings, and undefined/null are left out, as AWS omits absent fields.

export type XmlValue =
  string | number | boolean | Date | null | undefined | XmlValue[] | { [key: string]: XmlValue };

const SPECIAL = /[<>&"']/;
const SPECIAL_ALL = /[<>&"']/g;
const ENTITIES: Record<string, string> = {
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
  '"': "&quot;",
  "'": "&apos;",
};

// Most values (ids, states, dates) have nothing to escape: test once before replacing.
export function escapeXml(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ENTITIES[c]!) : s;
}

// Element names come from response shapes, a small fixed set: build their tags once.
const OPEN = new Map<string, string>();
const CLOSE = new Map<string, string>();
const MAX_CACHED_TAGS = 10_000;

function openTag(name: string): string {
  const cached = OPEN.get(name);
  if (cached !== undefined) return cached;
  const open = `<${name}>`;
  if (OPEN.size < MAX_CACHED_TAGS) {
    OPEN.set(name, open);
    CLOSE.set(name, `</${name}>`);
  }
  return open;
}

const closeTag = (name: string): string => CLOSE.get(name) ?? `</${name}>`;

// Appending to one string keeps the pieces as a rope V8 flattens cheaply; cutting it into chunks at
// list items bounds the rope's depth, and one join at the end makes the response. A DescribeInstances
// of 1,000 instances (3 MB) is ~2.5x faster this way than joining nested strings.
const CHUNK_CHARS = 16_384;

class XmlWriter {
  private readonly chunks: string[] = [];
  private out = "";
  private readonly open: string;
  private readonly close: string;

  constructor(listTag: string) {
    this.open = `<${listTag}>`;
    this.close = `</${listTag}>`;
  }

  write(v: XmlValue): void {
    if (typeof v === "string") {
      this.out += SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (c) => ENTITIES[c]!) : v;
    } else if (v === null || v === undefined) {
      return;
    } else if (typeof v !== "object") {
      this.out += String(v);
    } else if (Array.isArray(v)) {
      for (const item of v) {
        this.out += this.open;
        this.write(item);
        this.out += this.close;
        if (this.out.length > CHUNK_CHARS) this.flush();
      }
    } else if (v instanceof Date) {
      this.out += v.toISOString();
    } else {
      for (const name of Object.keys(v)) {
        const child = v[name];
        if (child === undefined || child === null) continue;
        this.out += openTag(name);
        this.write(child);
        this.out += closeTag(name);
      }
    }
  }

  flush(): void {
    this.chunks.push(this.out);
    this.out = "";
  }

  text(): string {
    this.flush();
    return this.chunks.join("");
  }
}

export function toXml(value: XmlValue, listTag: "item" | "member"): string {
  const writer = new XmlWriter(listTag);
  writer.write(value);
  return writer.text();
}
