// IAM identity-policy evaluation, as AWS documents it for one principal's policies: a request
// (action, resource ARN, context keys) is allowed only when some Allow statement matches it and no
// Deny statement does. Statements match on Action/NotAction and Resource/NotResource (wildcards `*`
// and `?`, policy variables `${key}`) and on every condition (string, ARN, Bool and Null operators,
// `...IfExists`, `ForAllValues:`/`ForAnyValue:`). Pure: no I/O, no sim state.

export type ContextValue = string | readonly string[];
export type ContextKeys = Readonly<Record<string, ContextValue>>;

export interface AuthRequest {
  /** "ec2:AttachVolume" */
  action: string;
  /** The ARN the action is checked on, or "*" for an action without resource-level permissions. */
  resource: string;
  keys: ContextKeys;
}

export type ConditionBlock = Record<string, Record<string, string | boolean | readonly (string | boolean)[]>>;

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | readonly string[];
  NotAction?: string | readonly string[];
  Resource?: string | readonly string[];
  NotResource?: string | readonly string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement | readonly Statement[];
}

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

export function evaluate(policies: readonly PolicyDocument[], req: AuthRequest): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const s of list(policy.Statement)) {
      if (!statementMatches(s, req)) continue;
      if (s.Effect === "Deny") return "explicit-deny";
      allowed = true;
    }
  }
  return allowed ? "allow" : "implicit-deny";
}

function statementMatches(s: Statement, req: AuthRequest): boolean {
  if (s.Action !== undefined && !list(s.Action).some((a) => globMatch(a, req.action, true))) return false;
  if (s.NotAction !== undefined && list(s.NotAction).some((a) => globMatch(a, req.action, true)))
    return false;
  const resourceMatches = (pattern: string) => {
    const p = substitute(pattern, req.keys);
    return p !== undefined && globMatch(p, req.resource, false);
  };
  if (s.Resource !== undefined && !list(s.Resource).some(resourceMatches)) return false;
  if (s.NotResource !== undefined && list(s.NotResource).some(resourceMatches)) return false;
  return Object.entries(s.Condition ?? {}).every(([operator, block]) =>
    Object.entries(block).every(([key, values]) => conditionHolds(operator, key, values, req.keys)),
  );
}

const list = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? (v as readonly T[]) : [v as T]);

/**
 * `*` any run of characters, `?` one character; actions compare case-insensitively, ARNs exactly.
 * A substituted variable's own `*`/`?` were escaped with U+E000 (private use): they match only themselves.
 */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = pattern
    .split(/(\uE000[*?])/)
    .map((part) =>
      part.startsWith("\uE000")
        ? `\\${part[1]}`
        : part
            .split("")
            .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
            .join(""),
    )
    .join("");
  return new RegExp(`^${re}$`, ignoreCase ? "is" : "s").test(value);
}

const likeMatch = (pattern: string, value: string) => globMatch(pattern, value, false);

/**
 * Replaces `${key}` with the context value (`${*}`, `${?}`, `${$}` stand for the characters
 * themselves); undefined when a variable's key is absent or multi-valued, so the pattern matches nothing.
 */
export function substitute(pattern: string, keys: ContextKeys): string | undefined {
  let missing = false;
  const out = pattern.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
    if (name === "*" || name === "?") return `\uE000${name}`;
    if (name === "$") return name;
    const v = lookup(keys, name);
    if (typeof v !== "string") {
      missing = true;
      return "";
    }
    // The value is literal text: its wildcards must not act as wildcards.
    return v.replace(/[*?]/g, (c) => `\uE000${c}`);
  });
  return missing ? undefined : out;
}

/** Condition key names compare case-insensitively (tag keys included, as EC2 does). */
function lookup(keys: ContextKeys, name: string): ContextValue | undefined {
  if (name in keys) return keys[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(keys)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

type Compare = (policyValue: string, contextValue: string) => boolean;

const compares: Record<string, { compare: Compare; negated: boolean }> = {
  StringEquals: { compare: (p, c) => p === c, negated: false },
  StringNotEquals: { compare: (p, c) => p === c, negated: true },
  StringEqualsIgnoreCase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: true },
  StringLike: { compare: (p, c) => likeMatch(p, c), negated: false },
  StringNotLike: { compare: (p, c) => likeMatch(p, c), negated: true },
  ArnEquals: { compare: (p, c) => arnMatch(p, c), negated: false },
  ArnLike: { compare: (p, c) => arnMatch(p, c), negated: false },
  ArnNotEquals: { compare: (p, c) => arnMatch(p, c), negated: true },
  ArnNotLike: { compare: (p, c) => arnMatch(p, c), negated: true },
  Bool: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
};

/** ARNs compare field by field (six fields), each with wildcards, as ArnLike does. */
function arnMatch(pattern: string, value: string): boolean {
  const p = pattern.split(":");
  const v = value.split(":");
  if (p.length < 6 || v.length < 6) return false;
  const fields = (a: string[]) => [...a.slice(0, 5), a.slice(5).join(":")];
  const pf = fields(p);
  const vf = fields(v);
  return pf.every((f, i) => likeMatch(f, vf[i]!));
}

export function conditionHolds(
  operator: string,
  key: string,
  raw: string | boolean | readonly (string | boolean)[],
  keys: ContextKeys,
): boolean {
  const m = /^(?:(ForAllValues|ForAnyValue):)?(.+?)(IfExists)?$/.exec(operator);
  if (!m) return false;
  const [, set, name, ifExists] = m;
  const policyValues = list(raw).map((v) => substitute(String(v), keys));
  const context = lookup(keys, key);
  if (name === "Null") {
    // "true": the key must be absent; "false": present.
    const absent = context === undefined || (Array.isArray(context) && context.length === 0);
    return policyValues.some((v) => v !== undefined && v.toLowerCase() === String(absent));
  }
  const op = compares[name!];
  // An operator this evaluator does not know never grants (and never denies) anything.
  if (!op) return false;
  const values = context === undefined ? [] : list(context);
  // Only the Like operators treat wildcards as such; the others compare the substituted text as is.
  const plain = name!.includes("Like") ? policyValues : policyValues.map((p) => p?.replace(/\uE000/g, ""));
  const anyMatch = (c: string) => plain.some((p) => p !== undefined && op.compare(p, c));
  if (set === "ForAllValues") {
    // Vacuously true for an absent or empty key, as AWS documents.
    return values.every((c) => (op.negated ? !anyMatch(c) : anyMatch(c)));
  }
  if (set === "ForAnyValue") {
    return values.some((c) => (op.negated ? !anyMatch(c) : anyMatch(c)));
  }
  if (context === undefined) return ifExists !== undefined || op.negated;
  return op.negated ? !values.some(anyMatch) : values.some(anyMatch);
}
