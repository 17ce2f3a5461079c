/**
 * Rules instead of questions: one small language, the same for every agent,
 * for what a session may do without asking (`create --allow RULE`) and what
 * it may never do (`create --deny RULE`). Each agent's profile turns the
 * rules into its own per-run mechanism, or refuses a rule it cannot
 * express; this module only reads and checks them.
 *
 * A rule is `KIND:PATTERN`:
 *
 * - `bash:PATTERN`: a shell command; `*` stands for any text (`bash:npm
 *   test *`, `bash:rm *`);
 * - `edit:GLOB`: a file the agent edits or writes (`edit:src/**`);
 * - `read:GLOB`: a file the agent reads (`read:.env`);
 * - `tool:NAME`: one of the agent's tools by its own name
 *   (`tool:WebFetch`).
 *
 * @module
 */
import { InputError } from "./errors.ts";

/**
 * The kinds of rule, in the order they are documented.
 *
 * @example
 * ```ts
 * import { RULE_KINDS } from "./rules.ts";
 * console.log(RULE_KINDS.join(", ")); // bash, edit, read, tool
 * ```
 */
export const RULE_KINDS = ["bash", "edit", "read", "tool"] as const;

/**
 * One of {@linkcode RULE_KINDS}.
 *
 * @example
 * ```ts
 * import type { RuleKind } from "./rules.ts";
 * const kind: RuleKind = "bash";
 * ```
 */
export type RuleKind = typeof RULE_KINDS[number];

/**
 * A rule, read.
 *
 * @example
 * ```ts
 * import { parseRule } from "./rules.ts";
 * const rule = parseRule("bash:npm test *");
 * // { kind: "bash", pattern: "npm test *", text: "bash:npm test *" }
 * ```
 */
export interface Rule {
  /** What it is about. */
  kind: RuleKind;
  /** The command pattern, path glob or tool name. */
  pattern: string;
  /** The rule as it was given (`kind:pattern`), for messages and status. */
  text: string;
}

/**
 * The rules of a session as they are kept in its record: each list holds
 * rules as given (`bash:rm *`), checked.
 *
 * @example
 * ```ts
 * import type { SessionRules } from "@aimax/cli";
 * const rules: SessionRules = { allow: ["bash:touch *"], deny: ["bash:rm *"] };
 * ```
 */
export interface SessionRules {
  /** What runs without asking. */
  allow: string[];
  /** What never runs. */
  deny: string[];
}

/** The most rules in one list (`allow` or `deny`). */
export const MAX_RULES = 64;

/** The longest rule, in characters. */
export const MAX_RULE_LENGTH = 512;

/** How a rule is shown in a message: quoted, cut, no control characters. */
export function shownRule(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 79)}…` : text;
  // deno-lint-ignore no-control-regex
  return JSON.stringify(cut).replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

/**
 * Reads one rule, `KIND:PATTERN`.
 *
 * @example
 * ```ts
 * import { parseRule } from "./rules.ts";
 * parseRule("edit:src/**").kind; // "edit"
 * ```
 * @param text the rule as given
 * @returns the rule
 * @throws {InputError} naming the rule: not a string, too long, a control
 *   character, an unknown kind, an empty pattern, or (for `tool:`) a name
 *   that is not one word
 */
export function parseRule(text: unknown): Rule {
  if (typeof text !== "string") {
    throw new InputError('a rule must be a string such as "bash:npm test *"');
  }
  const shown = shownRule(text);
  if (text.length > MAX_RULE_LENGTH) {
    throw new InputError(
      `rule ${shown} is too long: at most ${MAX_RULE_LENGTH} characters`,
    );
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) {
    throw new InputError(`rule ${shown} holds a control character`);
  }
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const kind = colon < 0 ? "" : trimmed.slice(0, colon);
  if (!(RULE_KINDS as readonly string[]).includes(kind)) {
    throw new InputError(
      `rule ${shown} is not KIND:PATTERN with KIND one of ${
        RULE_KINDS.join(", ")
      } (e.g. "bash:npm test *", "edit:src/**")`,
    );
  }
  const pattern = trimmed.slice(colon + 1).trim();
  if (pattern === "") {
    throw new InputError(`rule ${shown} has an empty pattern`);
  }
  if (kind === "tool" && !/^[A-Za-z][A-Za-z0-9_.-]*$/.test(pattern)) {
    throw new InputError(
      `rule ${shown} does not name a tool: tool:NAME takes one word (letters, digits, _ . -)`,
    );
  }
  return { kind: kind as RuleKind, pattern, text: `${kind}:${pattern}` };
}

/**
 * Checks the rules given to `create`: at most {@linkcode MAX_RULES} in each
 * list, each a rule {@linkcode parseRule} reads; duplicates are dropped, a
 * rule both allowed and denied is refused.
 *
 * @example
 * ```ts
 * import { validateRules } from "./rules.ts";
 * validateRules({ allow: ["bash:touch *"], deny: ["bash:rm *"] });
 * // { allow: ["bash:touch *"], deny: ["bash:rm *"] }
 * ```
 * @param value `{ allow?, deny? }` as a caller gave them
 * @returns the rules, each as `kind:pattern` (trimmed)
 * @throws {InputError} naming the first rule refused
 */
export function validateRules(
  value: { allow?: unknown; deny?: unknown },
): SessionRules {
  const list = (name: "allow" | "deny"): string[] => {
    const given = value[name];
    if (given === undefined || given === null) return [];
    if (!Array.isArray(given)) {
      throw new InputError(`${name} rules must be a list of strings`);
    }
    if (given.length > MAX_RULES) {
      throw new InputError(
        `too many ${name} rules (${given.length}): at most ${MAX_RULES}`,
      );
    }
    const out: string[] = [];
    for (const text of given) {
      const rule = parseRule(text).text;
      if (!out.includes(rule)) out.push(rule);
    }
    return out;
  };
  const allow = list("allow");
  const deny = list("deny");
  const both = allow.find((rule) => deny.includes(rule));
  if (both !== undefined) {
    throw new InputError(
      `rule ${shownRule(both)} is both allowed and denied: give it once`,
    );
  }
  return { allow, deny };
}

/**
 * Whether a session has rules.
 *
 * @example
 * ```ts
 * import { hasRules } from "./rules.ts";
 * hasRules({ allow: [], deny: [] }); // false
 * ```
 * @param rules a session's rules, if any
 */
export function hasRules(rules: SessionRules | null | undefined): boolean {
  return listed(rules?.allow).length > 0 || listed(rules?.deny).length > 0;
}

/** A list of rules as strings; anything else (a server's garbage) none. */
function listed(list: unknown): string[] {
  return Array.isArray(list) ? list.map(String) : [];
}

/**
 * A session's rules on one line, for `status`: `allow bash:touch *; deny
 * bash:rm *`, or `-` without any.
 *
 * @example
 * ```ts
 * import { formatRules } from "./rules.ts";
 * formatRules({ allow: ["bash:touch *"], deny: [] }); // "allow bash:touch *"
 * ```
 * @param rules a session's rules, if any
 */
export function formatRules(rules: SessionRules | null | undefined): string {
  if (!rules || !hasRules(rules)) return "-";
  return [
    ...listed(rules.allow).map((rule) => `allow ${rule}`),
    ...listed(rules.deny).map((rule) => `deny ${rule}`),
  ].join("; ");
}

/**
 * A rule an agent cannot express, refused at `create` with its reason.
 *
 * @example
 * ```ts
 * import { parseRule, unexpressible } from "./rules.ts";
 * const error = unexpressible(parseRule("edit:src/**"), {
 *   label: "Some Agent",
 *   why: "its rules are about commands only",
 * });
 * console.log(error.message);
 * ```
 * @param rule the rule
 * @param options the agent's name and why it cannot
 */
export function unexpressible(
  rule: Rule,
  options: { label: string; why: string },
): InputError {
  return new InputError(
    `rule ${
      shownRule(rule.text)
    } cannot be expressed for ${options.label}: ${options.why}; nothing was created`,
  );
}
