/**
 * A session's agent options, agent-neutral: the permission-mode vocabulary
 * every agent maps to its own flags, and the gate for arguments passed
 * through to the agent (`aimax create … -- ARGS`). What each agent's flags
 * are, and which of them aimax owns, is in its profile.
 *
 * @module
 */
import { InputError } from "./errors.ts";

/**
 * The permission modes a session can start in, in aimax's own words:
 *
 * - `ask`: every tool that is not allowed asks a person;
 * - `edits`: file edits are allowed, commands ask;
 * - `plan`: read-only planning, nothing is written;
 * - `auto`: the agent decides (its own automatic review);
 * - `bypass`: nothing asks (needs `allowBypass`).
 *
 * @example
 * ```ts
 * import { PERMISSION_MODES } from "@aimax/cli";
 * console.log(PERMISSION_MODES.join(" | ")); // ask | edits | plan | auto | bypass
 * ```
 */
export const PERMISSION_MODES = [
  "ask",
  "edits",
  "plan",
  "auto",
  "bypass",
] as const;

/**
 * One of {@linkcode PERMISSION_MODES}.
 *
 * @example
 * ```ts
 * import type { PermissionMode } from "@aimax/cli";
 * const mode: PermissionMode = "plan";
 * ```
 */
export type PermissionMode = typeof PERMISSION_MODES[number];

/**
 * The permission mode a session runs in, and where it comes from.
 *
 * @example
 * ```ts
 * import type { SessionPermission } from "@aimax/cli";
 * const p: SessionPermission = {
 *   mode: "auto",
 *   source: "default",
 *   detail: "the agent's default",
 * };
 * ```
 */
export interface SessionPermission {
  /**
   * The mode in aimax's words ({@linkcode PERMISSION_MODES}), or the
   * agent's own name for one aimax has no word for.
   */
  mode: string;
  /**
   * `option`: given to `create`; `settings`: the agent's own settings;
   * `default`: the agent's built-in default.
   */
  source: "option" | "settings" | "default";
  /** Where it comes from, for people (a file and key, or whose default). */
  detail: string;
}

/**
 * A session's permission mode as one line: `ask (--permission-mode)`,
 * `auto (<agent>'s default)`.
 *
 * @example
 * ```ts
 * import { formatPermission } from "./agent_options.ts";
 * formatPermission(undefined); // "-"
 * ```
 * @param permission the session's permission mode, if known
 */
export function formatPermission(
  permission: SessionPermission | null | undefined,
): string {
  if (!permission) return "-";
  return `${permission.mode} (${permission.detail})`;
}

/**
 * Checks a permission mode given by a caller.
 *
 * @example
 * ```ts
 * import { validatePermissionMode } from "./agent_options.ts";
 * validatePermissionMode("edits"); // "edits"
 * ```
 * @param value the candidate
 * @param options `allowBypass`: whether `bypass` was allowed explicitly
 * @returns the mode
 * @throws {InputError} for a word not in {@linkcode PERMISSION_MODES}, and
 *   for `bypass` without `allowBypass`
 */
export function validatePermissionMode(
  value: unknown,
  options: { allowBypass?: boolean } = {},
): PermissionMode {
  if (
    typeof value !== "string" ||
    !(PERMISSION_MODES as readonly string[]).includes(value)
  ) {
    throw new InputError(
      `invalid permission mode ${
        JSON.stringify(String(value)).slice(0, 40)
      }: use one of ${PERMISSION_MODES.join(", ")}`,
    );
  }
  if (value === "bypass" && options.allowBypass !== true) {
    throw new InputError(
      "permission mode bypass lets the agent run anything without asking: give --allow-bypass (allowBypass: true) as well to mean it",
    );
  }
  return value as PermissionMode;
}

/**
 * One of an agent's options that aimax sets itself (or that would break
 * what aimax relies on), so it cannot be passed through.
 *
 * @example
 * ```ts
 * import type { OwnedArg } from "./agent_options.ts";
 * const owned: OwnedArg = {
 *   names: ["--model", "-m"],
 *   instead: "use aimax's --model",
 * };
 * ```
 */
export interface OwnedArg {
  /** The option's spellings: `--long` and `-s`. */
  names: readonly string[];
  /**
   * Only when its value matches (e.g. `-c notify=…` of all `-c`); the
   * value is the part after `=` or the next argument.
   */
  value?: RegExp;
  /** What to use instead, for the refusal's message. */
  instead: string;
}

/** The most arguments passed through to an agent. */
export const MAX_AGENT_ARGS = 64;

/** The longest argument passed through to an agent, in characters. */
export const MAX_AGENT_ARG_LENGTH = 4096;

/** The name of option argument `arg` (`--a=b` → `--a`, `-xvalue` → `-x`). */
function optionName(arg: string): string {
  if (arg.startsWith("--")) {
    const eq = arg.indexOf("=");
    return eq < 0 ? arg : arg.slice(0, eq);
  }
  return arg.slice(0, 2);
}

/** The value attached to option argument `arg`, if any. */
function attachedValue(arg: string): string | undefined {
  if (arg.startsWith("--")) {
    const eq = arg.indexOf("=");
    return eq < 0 ? undefined : arg.slice(eq + 1);
  }
  if (arg.length <= 2) return undefined;
  return arg[2] === "=" ? arg.slice(3) : arg.slice(2);
}

/**
 * Checks arguments to pass through to an agent: at most
 * {@linkcode MAX_AGENT_ARGS}, each a string of at most
 * {@linkcode MAX_AGENT_ARG_LENGTH} characters without control characters
 * other than tab and newline; options only (a word that is not an option's
 * value would be read as a prompt or a subcommand: aimax sends the prompt
 * itself); no `--`; and none of `owned`, the options aimax sets itself.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "./registry.ts";
 * import { validateAgentArgs } from "./agent_options.ts";
 * const { profile } = get(SUPPORTED_BACKENDS[0]);
 * validateAgentArgs(["--search"], {
 *   owned: profile.ownedArgs,
 *   label: profile.label,
 * });
 * ```
 * @param args the candidate arguments
 * @param options the agent's owned options and its name for messages
 * @returns the arguments, copied
 * @throws {InputError} naming the first argument refused and what to use
 *   instead
 */
export function validateAgentArgs(
  args: unknown,
  options: { owned: readonly OwnedArg[]; label: string },
): string[] {
  if (!Array.isArray(args)) {
    throw new InputError("agent arguments must be a list of strings");
  }
  if (args.length > MAX_AGENT_ARGS) {
    throw new InputError(
      `too many agent arguments (${args.length}): at most ${MAX_AGENT_ARGS}`,
    );
  }
  const out: string[] = [];
  for (const [i, arg] of args.entries()) {
    if (typeof arg !== "string") {
      throw new InputError("agent arguments must be a list of strings");
    }
    const shown = JSON.stringify(arg.length > 40 ? `${arg.slice(0, 39)}…` : arg)
      // deno-lint-ignore no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
    if (arg.length > MAX_AGENT_ARG_LENGTH) {
      throw new InputError(
        `agent argument ${shown} is too long: at most ${MAX_AGENT_ARG_LENGTH} characters`,
      );
    }
    // deno-lint-ignore no-control-regex
    if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(arg)) {
      throw new InputError(
        `agent argument ${shown} holds a control character`,
      );
    }
    if (arg === "--") {
      throw new InputError(
        `a second "--" is not passed to ${options.label}: every argument after aimax's "--" is the agent's already`,
      );
    }
    const previous = i > 0 ? args[i - 1] as string : undefined;
    const isOption = arg.startsWith("-") && arg !== "-";
    if (!isOption) {
      const isValue = previous !== undefined && previous.startsWith("-") &&
        previous !== "-" && attachedValue(previous) === undefined;
      if (!isValue) {
        throw new InputError(
          `agent argument ${shown} is not an option: ${options.label} would read it as a prompt or a subcommand. aimax sends the prompt itself (-p/--prompt, then send); an option's value goes right after it`,
        );
      }
      const owner = ownerOf(previous!, options.owned, arg);
      if (owner) throw refusal(previous!, owner, options.label);
      out.push(arg);
      continue;
    }
    const value = attachedValue(arg);
    const owner = ownerOf(arg, options.owned, value ?? args[i + 1]);
    if (owner) throw refusal(arg, owner, options.label);
    out.push(arg);
  }
  return out;
}

function ownerOf(
  arg: string,
  owned: readonly OwnedArg[],
  value: unknown,
): OwnedArg | undefined {
  const name = optionName(arg);
  return owned.find((o) =>
    o.names.includes(name) &&
    (!o.value || (typeof value === "string" && o.value.test(value)))
  );
}

function refusal(arg: string, owner: OwnedArg, label: string): InputError {
  return new InputError(
    `${optionName(arg)} is not passed to ${label}: ${owner.instead}`,
  );
}
