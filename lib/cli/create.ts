/**
 * `aimax create`: start a session and submit its first prompt.
 *
 * @module
 */
import type { PermissionMode } from "../agent_options.ts";
import type {
  CreateSessionResult,
  WorktreeOptions,
} from "../backend/contract.ts";
import { oneLine } from "../render/table.ts";
import { worktreeMadeLine } from "../render/worktree.ts";
import { getConfig } from "../config.ts";
import { Spinner } from "../terminal.ts";
import { type CliIo, type CommandContext, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";
import type { CREATE_OPTIONS } from "./options.ts";
import { backendFor } from "./backend_for.ts";
import { need, promptOf, shortPath } from "./shared.ts";

/** The parsed worktree options of `create`. */
interface WorktreeValues {
  readonly worktree?: string;
  readonly base?: string;
  readonly "reuse-branch"?: boolean;
  readonly copy?: readonly string[];
  readonly setup?: string;
}

/**
 * What `create` asks of the session's worktree, or `undefined` without
 * `--worktree` (a bare one is the default branch). `--base`,
 * `--reuse-branch`, `--copy` and `--setup` need `--worktree`; a word after
 * a bare `--worktree` is refused, not taken for its branch.
 *
 * @example
 * ```ts
 * import { worktreeOption } from "./create.ts";
 * worktreeOption({ worktree: "", copy: [".env"] }, []); // { copy: [".env"] }
 * worktreeOption({ worktree: "feature/x" }, []); // { branch: "feature/x" }
 * ```
 * @param values the parsed options
 * @param args the words after `create` that are not options
 */
export function worktreeOption(
  values: WorktreeValues,
  args: readonly string[],
): WorktreeOptions | undefined {
  const given = values.worktree;
  if (given === undefined) {
    const extras = [
      values.base !== undefined ? "--base" : "",
      values["reuse-branch"] ? "--reuse-branch" : "",
      values.copy?.length ? "--copy" : "",
      values.setup !== undefined ? "--setup" : "",
    ].filter((name) => name !== "");
    if (extras.length > 0) {
      throw new UsageError(
        `${extras.join(", ")} ${
          extras.length === 1 ? "goes" : "go"
        } with --worktree (the session's own git worktree)`,
      );
    }
    return undefined;
  }
  if (args.length > 0) {
    throw new UsageError(
      `"${
        oneLine(args[0]).slice(0, 80)
      }" is not an argument of create: a branch goes as --worktree=BRANCH`,
    );
  }
  return {
    ...(given !== "" ? { branch: given } : {}),
    ...(values.base !== undefined ? { base: values.base } : {}),
    ...(values["reuse-branch"] ? { reuseBranch: true } : {}),
    ...(values.copy?.length ? { copy: [...values.copy] } : {}),
    ...(values.setup !== undefined ? { setup: values.setup } : {}),
  };
}

/**
 * Runs `aimax create -b BACKEND -s ID --cwd DIR (-p TEXT | --prompt-file F | stdin)`.
 *
 * @example
 * ```ts ignore
 * import { create } from "./create.ts";
 * const code = await create(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function create(
  { values, args, rest, io, json, emit }: CommandContext<
    typeof CREATE_OPTIONS
  >,
): Promise<number> {
  const worktree = worktreeOption(values, args);
  const backend = await backendFor({
    backend: need(values, "backend"),
    server: values.server,
    "server-timeout": values["server-timeout"],
  });
  if (values["use-proxy"] && values["no-proxy"]) {
    throw new UsageError("give --use-proxy or --no-proxy, not both");
  }
  const spinner = new Spinner(
    io.progress ?? (() => {}),
    !json && (io.interactive?.() ?? false),
  );
  spinner.start(`starting ${backend.profile.label} session`);
  const result = await backend.createNewSession({
    onProgress: (step) => spinner.update(step),
    onWarning: (message) => io.err(`aimax: warning: ${oneLine(message)}`),
    sessionId: need(values, "session"),
    cwd: need(values, "cwd"),
    initialPrompt: await promptOf(values, io),
    flagRoot: values["flag-root"],
    model: values.model,
    displayName: values["display-name"],
    agentSessionId: values["agent-session-id"],
    permissionMode: values["permission-mode"] as PermissionMode | undefined,
    allowBypass: values["allow-bypass"],
    ...(values.allow?.length ? { allow: [...values.allow] } : {}),
    ...(values.deny?.length ? { deny: [...values.deny] } : {}),
    agentArgs: rest.length > 0 ? rest : undefined,
    worktree,
    useProxy: values["use-proxy"]
      ? true
      : values["no-proxy"]
      ? false
      : undefined,
  }).finally(() => spinner.stop());
  const cwd = need(values, "cwd");
  emit(result, () =>
    startedLines(io, result, {
      what: `created ${
        oneLine(result.sessionId)
      } (${backend.profile.shortName}, ${shortPath(cwd)})`,
      verbose: values.verbose === true,
    }));
  return EXIT.ok;
}

/**
 * What `create` and `revive` print for a person: `what`, the worktree made
 * or reused, and with `verbose` the conversation and its transcript.
 *
 * @param io where to print
 * @param result the started session
 * @param options the first line, `verbose`
 */
export function startedLines(
  io: CliIo,
  result: CreateSessionResult,
  options: { what: string; verbose: boolean },
): void {
  io.out(options.what);
  if (result.worktree) {
    io.out(worktreeMadeLine(result.worktree, { home: getConfig().home }));
  }
  if (!options.verbose) return;
  io.out(`  agent session: ${oneLine(result.agentSessionId ?? "-")}`);
  io.out(
    `  transcript:    ${
      result.jsonlPath ? oneLine(shortPath(result.jsonlPath)) : "-"
    }`,
  );
}
