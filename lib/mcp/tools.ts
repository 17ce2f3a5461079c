/**
 * The MCP tools: each a JSON schema, a description written for a model,
 * and a thin call into {@linkcode SessionBackend}. Errors become MCP tool
 * errors with aimax's code (`./result.ts`); waits report progress and stop
 * when the call is cancelled (`./wait.ts`); `send_keys` and `stop_session`
 * touch only the sessions this server created (`./ownership.ts`).
 *
 * @module
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { z } from "zod";
import { PERMISSION_MODES, type PermissionMode } from "../agent_options.ts";
import { AGENT_LABELS, BACKEND_NAMES, listed } from "../agents/names.ts";
import type { SessionBackend, SessionStatus } from "../backend/contract.ts";
import { validateSessionId } from "../inputs.ts";
import { ConversationRenderer } from "../render/conversation.ts";
import { terminalText } from "../terminal.ts";
import type { Ownership } from "./ownership.ts";
import { toolResult } from "./result.ts";
import type { SessionSource } from "./source.ts";
import { ToolTable } from "./table.ts";
import type { McpTimings } from "./timings.ts";
import { type ToolExtra, turnText, waitWithProgress } from "./wait.ts";

/** The backends a session may use, each with its agent's name. */
const AGENT_CHOICES = BACKEND_NAMES.map((name, i) =>
  `${name} (${AGENT_LABELS[i]})`
).join(" or ");

/**
 * What the tools work with: where the sessions are, which ones this server
 * created, and its time limits.
 *
 * @example
 * ```ts
 * import { Ownership } from "./ownership.ts";
 * import { localSource } from "./source.ts";
 * import { MCP_TIMINGS } from "./timings.ts";
 * import type { ToolContext } from "./tools.ts";
 * const context: ToolContext = {
 *   source: localSource(),
 *   ownership: new Ownership({ allSessions: false }),
 *   timings: MCP_TIMINGS,
 * };
 * ```
 */
export interface ToolContext {
  /** The sessions (local or remote). */
  readonly source: SessionSource;
  /** The sessions this server created. */
  readonly ownership: Ownership;
  /** Time limits. */
  readonly timings: McpTimings;
}

/** The names of the tools, in the order `tools/list` gives them. */
export const TOOL_NAMES = [
  "list_sessions",
  "create_session",
  "send",
  "wait",
  "get_history",
  "get_screen",
  "send_keys",
  "stop_session",
  "get_diff",
  "merge_session",
] as const;

/** Characters `get_history` returns at most by default. */
const HISTORY_CHARS = 20_000;

const SESSION_ID = z.string().describe(
  "The session's id (1-64 characters of A-Z a-z 0-9 _ -), as list_sessions shows it.",
);
const TIMEOUT = z.number().positive().optional().describe(
  "Seconds to wait at most (default 50). When the turn still runs then, the answer says so: call wait again.",
);

function timeoutOf(seconds: number | undefined, timings: McpTimings): number {
  if (seconds === undefined) return timings.waitDefaultMs;
  return Math.min(Math.round(seconds * 1000), timings.waitMaxMs);
}

function statusRow(row: SessionStatus, created: boolean) {
  return {
    sessionId: row.sessionId,
    backend: row.backend,
    state: row.state,
    stateReason: row.stateReason,
    ...(row.dialog ? { dialog: row.dialog } : {}),
    alive: row.alive,
    cwd: row.cwd,
    displayName: row.displayName,
    startedAt: row.startedAt,
    lastPromptAt: row.lastPromptAt,
    createdHere: created,
  };
}

/**
 * Answers `tools/list` and `tools/call` on `server` with every tool of
 * {@linkcode TOOL_NAMES}.
 *
 * @example
 * ```ts ignore
 * import { registerTools } from "./tools.ts";
 * registerTools(server, context);
 * ```
 * @param server the SDK's server
 * @param context sessions, ownership, timings
 */
export function registerTools(server: Server, context: ToolContext): void {
  const { source, ownership, timings } = context;
  const tools = new ToolTable();
  const backendName = z.enum(source.backends as [string, ...string[]]);
  const backendHint = backendName.optional().describe(
    "The session's backend; only needed when sessions of both backends have the id.",
  );
  const backendOf = async (sessionId: string, backend?: string) =>
    await source.backendOf(validateSessionId(sessionId), backend);
  const wait = (
    backend: SessionBackend,
    sessionId: string,
    options: {
      extra: ToolExtra;
      seconds?: number;
      since?: number;
      prompt?: string;
    },
  ) =>
    waitWithProgress(backend, sessionId, {
      extra: options.extra,
      timeoutMs: timeoutOf(options.seconds, timings),
      since: options.since,
      prompt: options.prompt,
      timings,
    });

  tools.add("list_sessions", {
    title: "List agent sessions",
    description: `Every ${
      listed(AGENT_LABELS)
    } session aimax runs, with its state: starting, idle (ready for a prompt), working, awaiting_input (a dialog waits on a person; its text is shown) or exited. createdHere tells which ones this MCP server started.`,
    inputSchema: {
      backend: backendName.optional()
        .describe("Only the sessions of this backend."),
    },
    annotations: { readOnlyHint: true },
  }, async ({ backend }) => {
    const rows = (await source.list(backend)).filter((r) => !r.orphan)
      .map((r) => statusRow(r, ownership.created(r.backend, r.sessionId)));
    const lines = rows.map((r) =>
      `${r.sessionId}  ${r.backend}  ${r.state}  ${r.cwd ?? "-"}${
        r.createdHere ? "  (created here)" : ""
      }${r.dialog ? `\n  dialog: ${r.dialog.replace(/\s+/g, " ")}` : ""}`
    );
    return toolResult(
      rows.length ? lines.join("\n") : "no sessions",
      { sessions: rows },
    );
  });

  tools.add("create_session", {
    title: "Start an agent session",
    description:
      `Starts a session of an agent (${AGENT_CHOICES}) in its own terminal window, in cwd, and submits its first prompt. The agent keeps running: give it more with send, read its answers with wait or get_history. With wait: true, returns the first turn's answer. Optionally in its own git worktree (worktree: {}), so several agents can work on one repository.`,
    inputSchema: {
      backend: backendName.describe(
        `${AGENT_CHOICES}.`,
      ),
      session_id: SESSION_ID.describe(
        "A new id for the session (1-64 characters of A-Z a-z 0-9 _ -).",
      ),
      cwd: z.string().describe(
        "Absolute path of an existing directory the agent works in.",
      ),
      prompt: z.string().describe("The first prompt."),
      wait: z.boolean().optional().describe(
        "Wait for the first turn to end and return its answer.",
      ),
      timeout_seconds: TIMEOUT,
      model: z.string().optional().describe("The agent's model (--model)."),
      permission_mode: z.enum(
        PERMISSION_MODES.filter((m) => m !== "bypass") as [
          string,
          ...string[],
        ],
      ).optional().describe(
        "ask (tools not allowed ask a person), edits (file edits allowed), plan (read-only), auto (the agent decides). Default: the agent's own.",
      ),
      display_name: z.string().optional().describe("A free-form label."),
      agent_session_id: z.string().optional().describe(
        "Resume this agent conversation (the agent's own id for it).",
      ),
      agent_args: z.array(z.string()).optional().describe(
        "Extra command-line options passed to the agent as they are (those aimax sets itself, such as permission flags, are refused).",
      ),
      deny: z.array(z.string()).optional().describe(
        'Rules for what the agent may never do, through its own per-run rules: bash:PATTERN (* any text, e.g. "bash:rm *"), edit:GLOB, read:GLOB, tool:NAME. A rule the agent cannot express is refused. (Rules that allow without asking are for a person: aimax create --allow.)',
      ),
      flag_root: z.string().optional().describe(
        "Where .imac/flags (running.flag, failed.flag) goes (default: cwd).",
      ),
      use_proxy: z.boolean().optional().describe(
        "Run the agent through proxychains (default: aimax's config).",
      ),
      worktree: z.strictObject({
        branch: z.string().optional().describe(
          "The new branch (default aimax/<session id>).",
        ),
        base: z.string().optional().describe(
          "Where the branch starts (default HEAD).",
        ),
        copy: z.array(z.string()).optional().describe(
          "Untracked files to copy in (e.g. .env).",
        ),
        reuse_branch: z.boolean().optional().describe(
          "Check out branch although it exists.",
        ),
      }).optional().describe(
        "Run the agent in a git worktree of its own, made from the repository cwd is in.",
      ),
    },
  }, async (args, extra) => {
    const sessionId = validateSessionId(args.session_id);
    const backend = source.backend(args.backend);
    const since = Date.now();
    const result = await backend.createNewSession({
      sessionId,
      cwd: args.cwd,
      initialPrompt: args.prompt,
      model: args.model,
      permissionMode: args.permission_mode as PermissionMode | undefined,
      displayName: args.display_name,
      agentSessionId: args.agent_session_id,
      agentArgs: args.agent_args,
      deny: args.deny,
      flagRoot: args.flag_root,
      useProxy: args.use_proxy,
      // No `setup`: a shell command run before the agent, which no dialog
      // would ask a person about.
      worktree: args.worktree
        ? {
          branch: args.worktree.branch,
          base: args.worktree.base,
          copy: args.worktree.copy,
          reuseBranch: args.worktree.reuse_branch,
        }
        : undefined,
    });
    ownership.add(backend.name, sessionId);
    const created = {
      ...result,
      backend: backend.name,
    };
    const line =
      `created session ${sessionId} (${backend.profile.label}) in ${args.cwd}`;
    if (!args.wait) {
      return toolResult(
        `${line}; its first prompt was submitted. Call wait for its answer.`,
        created,
      );
    }
    const turn = await wait(backend, sessionId, {
      extra,
      seconds: args.timeout_seconds,
      since,
      prompt: args.prompt,
    });
    return toolResult(`${line}.\n${turnText(sessionId, turn)}`, {
      ...created,
      turn,
    });
  });

  tools.add("send", {
    title: "Send a prompt to a session",
    description:
      "Sends a prompt to a running session. mode queue (default) queues it behind the running turn; mode interrupt stops the running turn first. Refused with error awaiting_input (showing the dialog) while the agent waits on a person: nothing is typed into a dialog. With wait: true, returns the answer of this prompt's turn.",
    inputSchema: {
      session_id: SESSION_ID,
      prompt: z.string().describe("The prompt."),
      mode: z.enum(["queue", "interrupt"]).optional().describe(
        "queue (default): after the running turn; interrupt: stop it first.",
      ),
      wait: z.boolean().optional().describe(
        "Wait for this prompt's turn to end and return its answer.",
      ),
      timeout_seconds: TIMEOUT,
      idempotency_key: z.string().optional().describe(
        "The same key again within 10 minutes sends nothing and reports the first send.",
      ),
      backend: backendHint,
    },
  }, async (args, extra) => {
    const backend = await backendOf(args.session_id, args.backend);
    const since = Date.now();
    const options = {
      sessionId: args.session_id,
      prompt: args.prompt,
      idempotencyKey: args.idempotency_key,
    };
    const sent = args.mode === "interrupt"
      ? await backend.pauseCurrentAndResumeFromSession(options)
      : await backend.noPauseCurrentAndQueueQueryAtSession(options);
    const line = `sent to ${args.session_id}${
      sent.duplicate ? " (already sent with this key: nothing sent now)" : ""
    }${sent.queued ? " (queued behind the running turn)" : ""}`;
    if (!args.wait) return toolResult(line, { ...sent });
    const turn = await wait(backend, args.session_id, {
      extra,
      seconds: args.timeout_seconds,
      since,
      prompt: args.prompt,
    });
    return toolResult(turnText(args.session_id, turn), {
      ...sent,
      turn,
    });
  });

  tools.add("wait", {
    title: "Wait for a session's turn",
    description:
      "Waits until the session's current turn ends and returns its final answer (at once when the session is idle: its last answer). Outcomes: completed, awaiting_input (a dialog waits on a person: its text), timeout (still working: call wait again), interrupted, unknown, exited.",
    inputSchema: {
      session_id: SESSION_ID,
      timeout_seconds: TIMEOUT,
      backend: backendHint,
    },
    annotations: { readOnlyHint: true },
  }, async (args, extra) => {
    const backend = await backendOf(args.session_id, args.backend);
    const turn = await wait(backend, args.session_id, {
      extra,
      seconds: args.timeout_seconds,
    });
    return toolResult(turnText(args.session_id, turn), {
      sessionId: args.session_id,
      ...turn,
    });
  });

  tools.add("get_history", {
    title: "Read a session's conversation",
    description:
      "The last records of the session's transcript as a readable conversation: prompts (❯), the agent's answers, each tool call on one line (⏺) with its result folded (⎿), and each turn's end. Bounded: the last `limit` records, at most max_chars characters (the oldest lines cut).",
    inputSchema: {
      session_id: SESSION_ID,
      limit: z.number().int().min(1).max(1000).optional().describe(
        "How many of the last transcript records (default 50).",
      ),
      max_chars: z.number().int().min(200).max(200_000).optional().describe(
        `At most this many characters (default ${HISTORY_CHARS}).`,
      ),
      backend: backendHint,
    },
    annotations: { readOnlyHint: true },
  }, async (args) => {
    const backend = await backendOf(args.session_id, args.backend);
    const history = await backend.getHistory(args.session_id, {
      limit: args.limit ?? 50,
    });
    const renderer = new ConversationRenderer(
      (record) => backend.profile.transcriptEvents(record),
      { width: 200, links: backend.profile.recordLinks },
    );
    const lines = history.entries.flatMap((e) => renderer.lines(e));
    lines.push(...renderer.flush());
    const max = args.max_chars ?? HISTORY_CHARS;
    let text = lines.join("\n").trimEnd();
    let cut = false;
    if (text.length > max) {
      text = text.slice(text.length - max);
      text = text.slice(text.indexOf("\n") + 1);
      cut = true;
    }
    const count = history.entries.length;
    const head = `session ${args.session_id}: ${
      history.truncated ? "the last" : "all"
    } ${count} transcript record${count === 1 ? "" : "s"}${
      history.truncated ? " (earlier ones not shown)" : ""
    }${cut ? `, cut to the last ${max} characters` : ""}`;
    return toolResult(`${head}\n${text || "(nothing to show yet)"}`, {
      sessionId: args.session_id,
      records: history.entries.length,
      total: history.total,
      truncated: history.truncated || cut,
      sentinel: history.sentinel,
    });
  });

  tools.add("get_screen", {
    title: "See a session's screen",
    description:
      "The session's terminal screen as a person would see it now, and its state; when it waits on a person, what the dialog asks.",
    inputSchema: { session_id: SESSION_ID, backend: backendHint },
    annotations: { readOnlyHint: true },
  }, async (args) => {
    const backend = await backendOf(args.session_id, args.backend);
    const screen = await backend.screen(args.session_id);
    const state = await backend.getState(args.session_id);
    return toolResult(
      `state: ${state.state} (${state.reason})\n${
        terminalText(screen.trimEnd())
      }`,
      {
        sessionId: args.session_id,
        state: state.state,
        ...(state.dialog ? { dialog: state.dialog } : {}),
        screen,
      },
    );
  });

  tools.add("send_keys", {
    title: "Press keys in a session",
    description:
      'Presses keys in the session\'s terminal, e.g. ["Enter"] to accept the highlighted choice of a dialog, ["Escape"] to refuse it, ["y"] for a yes/no approval. Only in sessions this MCP server created (unless a person started it with --all-sessions). Key names: Enter, Escape, Tab, Up, Down, Left, Right, Space, BSpace, C-x, or one character. Text goes through send.',
    inputSchema: {
      session_id: SESSION_ID,
      keys: z.array(z.string()).min(1).max(64).describe("The keys, in order."),
      backend: backendHint,
    },
  }, async (args) => {
    const backend = await backendOf(args.session_id, args.backend);
    ownership.check(backend.name, args.session_id, "send_keys");
    await backend.sendKeys(args.session_id, args.keys);
    return toolResult(
      `pressed ${args.keys.join(" ")} in ${args.session_id}`,
      { sessionId: args.session_id, keys: args.keys },
    );
  });

  tools.add("stop_session", {
    title: "Stop a session",
    description:
      "Ends a session: kills the agent and archives it. Its worktree, if it has one, is removed when it holds nothing unmerged, else kept (the answer says where); discard: true removes it and its branch anyway. Only sessions this MCP server created (unless a person started it with --all-sessions).",
    inputSchema: {
      session_id: SESSION_ID,
      discard: z.boolean().optional().describe(
        "Remove the session's worktree and branch even with unmerged work.",
      ),
      backend: backendHint,
    },
    annotations: { destructiveHint: true },
  }, async (args) => {
    const backend = await backendOf(args.session_id, args.backend);
    ownership.check(backend.name, args.session_id, "stop_session");
    const result = await backend.terminateSession(args.session_id, {
      discard: args.discard,
    });
    const kept = result.worktree && !result.worktree.removed
      ? `; its worktree ${result.worktree.path} was kept: ${
        result.worktree.reason ?? ""
      }`
      : "";
    return toolResult(
      `stopped ${args.session_id}${
        result.wasWorking ? " (a turn was running)" : ""
      }${kept}`,
      { ...result },
    );
  });
  tools.add("get_diff", {
    title: "See what a session changed",
    description:
      "The changes of a session created with a worktree against its base: committed, uncommitted and new files, as a unified diff (bounded) and as a list of files with their line counts.",
    inputSchema: { session_id: SESSION_ID, backend: backendHint },
    annotations: { readOnlyHint: true },
  }, async (args) => {
    const backend = await backendOf(args.session_id, args.backend);
    const diff = await backend.diff(args.session_id);
    const patch = diff.patchText.length > HISTORY_CHARS
      ? `${diff.patchText.slice(0, HISTORY_CHARS)}\n… (cut: ${
        diff.patchText.length - HISTORY_CHARS
      } more characters)`
      : diff.patchText;
    return toolResult(
      `${diff.branch}: ${diff.shortStat}${
        diff.truncated ? " (the diff was cut)" : ""
      }\n${terminalText(patch)}`,
      {
        sessionId: diff.sessionId,
        branch: diff.branch,
        shortStat: diff.shortStat,
        files: diff.files.map((f) => ({
          path: f.path,
          status: f.status,
          additions: f.additions,
          deletions: f.deletions,
        })),
        truncated: diff.truncated || patch !== diff.patchText,
      },
    );
  });

  tools.add("merge_session", {
    title: "Merge a session's worktree",
    description:
      "Commits what is uncommitted in the session's worktree and merges its branch into the branch checked out in the main tree. Refused, changing nothing, when the main tree has uncommitted changes or the merge would conflict (the answer names the files). Only sessions this MCP server created (unless a person started it with --all-sessions).",
    inputSchema: {
      session_id: SESSION_ID,
      squash: z.boolean().optional().describe(
        "One commit with the work instead of a merge commit.",
      ),
      message: z.string().min(1).max(4096).optional().describe(
        "The commit message (default: one naming the session).",
      ),
      backend: backendHint,
    },
    annotations: { destructiveHint: false },
  }, async (args) => {
    const backend = await backendOf(args.session_id, args.backend);
    ownership.check(backend.name, args.session_id, "merge_session");
    const merged = await backend.merge(args.session_id, {
      squash: args.squash,
      message: args.message,
    });
    return toolResult(
      merged.merged
        ? `merged ${merged.branch} into ${merged.into ?? "HEAD"} at ${
          merged.commit.slice(0, 12)
        }: ${merged.files.join(", ")}`
        : `nothing to merge: ${
          merged.into ?? "HEAD"
        } has all of ${merged.branch}`,
      { ...merged },
    );
  });
  tools.install(server);
}
