/**
 * The table of `aimax` commands, in help order, and what is derived from it:
 * the main help and the options any command accepts.
 *
 * Each row is the command as data (its name, summary, help, options and
 * flags) and a `run` that imports the command's run file
 * (`lib/cli/<name>.ts`) when the command runs: `aimax --help`,
 * `aimax <command> --help`, `aimax --version`, option checking and shell
 * completion run this table only, no command's code (Deno reads the files
 * a literal `import()` names when it starts, but compiles and runs them
 * only when they are imported). To add a command, write its run file (a
 * function of the command's `CommandContext`, typed by its options in
 * `./options.ts`) and add its row to {@linkcode COMMANDS}. Keep this
 * module's imports cheap: every start of the CLI loads them.
 *
 * @module
 */
import {
  AGENT_LABELS,
  AGENT_SHORT_NAMES,
  BACKEND_NAMES,
  listed,
} from "../agents/names.ts";
import { PERMISSION_MODES } from "../agent_options.ts";
import { DEFAULT_HOST, DEFAULT_PORT } from "../serve/address.ts";
import { VERSION } from "../version.ts";
import {
  type Command,
  type CommandOptions,
  COMMON_HELP,
  COMMON_OPTIONS,
  defineCommand,
  PROGRAM_OPTIONS,
} from "./command.ts";
import {
  APPROVE_OPTIONS,
  CONFIG_OPTIONS,
  CREATE_OPTIONS,
  DENY_OPTIONS,
  DIFF_OPTIONS,
  DOCTOR_OPTIONS,
  HISTORY_OPTIONS,
  LIST_OPTIONS,
  MCP_OPTIONS,
  MERGE_OPTIONS,
  NOTIFY_OPTIONS,
  ONE_SESSION_OPTIONS,
  REVIVE_OPTIONS,
  SEND_OPTIONS,
  SERVE_OPTIONS,
  STATUS_OPTIONS,
  STOP_OPTIONS,
  STREAM_OPTIONS,
  WAIT_OPTIONS,
  WHEN_READY_DEFAULT_SECONDS,
} from "./options.ts";

/** The help lines of `SEND_OPTIONS` (`send` and `pause`). */
const SEND_OPTIONS_HELP =
  `  -b, --backend NAME     (inferred from the session id when omitted)
  -s, --session ID       repeat for several sessions (each is reported)
      --all              every live session (of -b, or of every backend)
  -p, --prompt TEXT | --prompt-file FILE | piped stdin
      --flag-root DIR    new anchor of .imac/flags
      --wait             then wait for the turn to end and print its answer
                         (exit 0; 5 waits on a person; 6 --timeout;
                         7 interrupted; 8 cannot tell; 1 exited)
      --timeout SEC      with --wait: give up after SEC seconds
      --when-ready[=SEC] while a dialog is up, wait (default ${WHEN_READY_DEFAULT_SECONDS} s) for a
                         person to answer it instead of refusing with exit 5
      --key K            idempotent: the same key again within 10 minutes
                         sends nothing and reports the first send
  -v, --verbose          also how the prompt arrived (delivery, queued)`;

/** The help lines of `CONVERSATION_OPTIONS` (`history` and `stream`). */
const CONVERSATION_HELP =
  `      --all              also records with nothing for a person (snapshots,
                         attachments, mode changes, titles), one line each
      --offsets          each line starts with its record's byte offset
      --wide             nothing cut to the terminal's width`;

/**
 * Every command, in the order the main help lists them.
 *
 * @example
 * ```ts
 * import { COMMANDS } from "./mod.ts";
 * console.log(COMMANDS.map((c) => c.name).join(" "));
 * ```
 */
export const COMMANDS: readonly Command[] = [
  defineCommand({
    name: "create",
    summary: "start a session and submit its first prompt",
    help:
      `Usage: aimax create -b BACKEND -s ID --cwd DIR (-p TEXT | --prompt-file F | stdin)
                    [--permission-mode MODE [--allow-bypass]]
                    [--allow RULE]… [--deny RULE]…
                    [--worktree[=BRANCH] [--base REF] [--copy PATH]… [--setup CMD]]
                    [-- AGENT ARGS…]

  -b, --backend NAME     ${BACKEND_NAMES.join(" | ")}
  -s, --session ID       session id (A-Z a-z 0-9 _ -, up to 64)
      --cwd DIR          working directory (absolute, existing)
  -p, --prompt TEXT      first prompt (or --prompt-file FILE, or piped stdin)
      --model NAME       forwarded as --model to the agent
      --flag-root DIR    anchor of .imac/flags (default: cwd)
      --display-name T   free-form label
      --agent-session-id ID  resume this conversation of the agent (its id)
      --use-proxy | --no-proxy   force proxychains on or off
      --permission-mode MODE  ${PERMISSION_MODES.join(" | ")}: ask (tools not
                         allowed ask), edits (file edits allowed, commands
                         ask), plan (read-only), auto (the agent decides),
                         bypass (nothing asks); default: the agent's own
                         (\`aimax status\` shows it)
      --allow-bypass     needed with --permission-mode bypass
      --allow RULE       runs without asking, through the agent's own rules
                         (repeatable): bash:PATTERN (\`*\` any text, e.g.
                         'bash:npm test *'), edit:GLOB, read:GLOB, tool:NAME;
                         a rule the agent cannot express is refused
      --deny RULE        never runs (repeatable; the same language)
      --worktree[=BRANCH]  run the agent in a git worktree of its own, on a
                         new branch (default aimax/ID) made from the
                         repository --cwd is in; the worktree goes to
                         <data dir>/worktrees (AIMAX_WORKTREE_DIR)
      --base REF         with --worktree: the branch starts at REF (default
                         the repository's HEAD)
      --reuse-branch     with --worktree: check out BRANCH although it exists
      --copy PATH        with --worktree: copy this untracked file or folder
                         of the main tree in (e.g. .env); repeatable
      --setup CMD        with --worktree: run CMD (sh -c) in the new worktree
                         before the agent starts, its output in the session's
                         log; a failure fails create and leaves nothing behind
  -v, --verbose          also the agent session id and the transcript path
  -- ARGS…               passed to the agent as they are, after aimax's own
                         (options only, e.g. \`-- --some-flag VALUE\`);
                         those aimax sets itself are refused with what to use
${COMMON_HELP}`,
    passthrough: true,
    positionalsHint:
      "a branch goes as --worktree=BRANCH, the agent's own arguments after --",
    options: CREATE_OPTIONS,
    run: async (ctx) => (await import("./create.ts")).create(ctx),
  }),
  defineCommand({
    name: "send",
    summary: "send a prompt; queued if the agent is working",
    help:
      `Usage: aimax send [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)

Sends without interrupting: queued while the agent works. Refuses (exit 5,
with the dialog's text) while the agent shows a dialog such as a permission
request: nothing is typed into it. "unconfirmed" on success means the prompt
left the input box but is not in the transcript yet (not a failure).
${SEND_OPTIONS_HELP}
${COMMON_HELP}`,
    options: SEND_OPTIONS,
    run: async (ctx) => (await import("./send.ts")).send(ctx),
  }),
  defineCommand({
    name: "pause",
    summary: "interrupt the running turn, then send a prompt",
    help:
      `Usage: aimax pause [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)

Interrupts the running turn (Escape), waits for it to stop, then sends.
Follow-ups queued with \`send\` before it, which the interrupt took back, are
sent again after it, in order. Refuses (exit 5) while a dialog is up.
${SEND_OPTIONS_HELP}
${COMMON_HELP}`,
    options: SEND_OPTIONS,
    run: async (ctx) => (await import("./send.ts")).pause(ctx),
  }),
  defineCommand({
    name: "stop",
    summary: "end a session (kill its window, archive it)",
    help: `Usage: aimax stop [-b BACKEND] -s ID [--discard]

Kills the session's window and moves it to the archive. A worktree of its
own (create --worktree) is removed when it holds nothing unmerged, its
branch kept; one with uncommitted or unmerged work is kept, and stop says
where it is and how to merge or remove it.
      --discard          remove the worktree and delete its branch, whatever
                         they hold
  -v, --verbose          also whether a window was killed and a turn ran
${COMMON_HELP}`,
    options: STOP_OPTIONS,
    run: async (ctx) => (await import("./stop.ts")).stop(ctx),
  }),
  defineCommand({
    name: "diff",
    summary: "what a session changed in its worktree",
    help: `Usage: aimax diff [-b BACKEND] -s ID [--stat]

Prints the changes of a session created with --worktree against the commit
its branch started from: committed, uncommitted and untracked files alike,
as \`git diff\` prints them (coloured on a terminal). Nothing in the
repository changes.
      --stat             one line per file (status, lines added and removed,
                         path), then the short count (+12 −3, 2 files)
With --json: {sessionId, branch, path, baseCommit, files: [{path, oldPath?,
status, additions, deletions, binary, hunks: [{header, lines}]}], additions,
deletions, shortStat, patchText, truncated}.
${COMMON_HELP}`,
    options: DIFF_OPTIONS,
    run: async (ctx) => (await import("./diff.ts")).diff(ctx),
  }),
  defineCommand({
    name: "merge",
    summary: "bring a session's worktree into the main tree",
    help: `Usage: aimax merge [-b BACKEND] -s ID [--squash] [--message M]

Commits what is uncommitted in the session's worktree (with a message naming
the session, or M), then merges its branch into the branch checked out in
the repository's main tree, and prints what it merged. Refuses, changing
nothing, when the main tree has uncommitted changes or the merge would
conflict (exit 1, naming the files).
      --squash           one commit with the work instead of a merge commit
      --message M        the commit message
With --json: {sessionId, branch, merged, commit, into, workCommit, files}.
${COMMON_HELP}`,
    options: MERGE_OPTIONS,
    run: async (ctx) => (await import("./merge.ts")).merge(ctx),
  }),
  defineCommand({
    name: "revive",
    summary: "start a session whose window is gone again, same conversation",
    help: `Usage: aimax revive [-b BACKEND] -s ID

Starts a session whose window or tmux server is gone (a reboot, tmux
kill-server: \`list\` shows it exited) again under the same id, in the same
folder and worktree, resuming the same agent conversation. Refused while its
agent still runs.
  -v, --verbose          also the agent session id and the transcript path
${COMMON_HELP}`,
    options: REVIVE_OPTIONS,
    run: async (ctx) => (await import("./revive.ts")).revive(ctx),
  }),
  defineCommand({
    name: "list",
    summary: "every session with its status",
    help: `Usage: aimax list [-b BACKEND] [--wide] [--watch]

Every session (of one backend, or all) as a table: SESSION, AGENT, STATE
(starting, idle, working, awaiting input, exited), JOB (running.flag: running,
done, failed), STARTED, LAST PROMPT, CWD; BRANCH and CHANGES (+12 −3, 2 files)
when a session has its own worktree. Cells are cut with … to the terminal's
width; nothing is cut when stdout is not a terminal.
      --wide             every cell whole
      --watch            redraw every second until Ctrl-C (in place on a
                         terminal; else one table per second, a blank line
                         between; with --json one JSON array per second)
${COMMON_HELP}`,
    options: LIST_OPTIONS,
    run: async (ctx) => (await import("./list.ts")).list(ctx),
  }),
  defineCommand({
    name: "status",
    summary: "one session's status",
    help: `Usage: aimax status [-b BACKEND] -s ID [--wide]

The session's row of \`aimax list\`, then why it is in its state, what it asks
when it waits on a person, its permission mode (and where it comes from: the
create option, the agent's settings or its default), its worktree (folder,
branch and change count, repository), the arguments passed to the agent, its
agent session, transcript and tmux window.
      --wide             nothing cut to the terminal's width
${COMMON_HELP}`,
    options: STATUS_OPTIONS,
    run: async (ctx) => (await import("./status.ts")).status(ctx),
  }),
  defineCommand({
    name: "history",
    summary: "the transcript so far and its sentinel",
    help:
      `Usage: aimax history [-b BACKEND] -s ID [--limit N] [--from-sentinel N] [--all] [--offsets]

Prints the conversation: the prompts (❯), the assistant's text, each tool call
on one line (⏺) with its result folded to its first line (⎿), and each turn's
end with its duration. The last line gives the sentinel, the byte offset to
resume from with \`aimax stream --from-sentinel\`. With --json, the raw records
({entries: [{offset, end, value}], total, truncated, sentinel}).
      --limit N          only the last N records
      --from-sentinel N  from this byte offset on
${CONVERSATION_HELP}
${COMMON_HELP}`,
    options: HISTORY_OPTIONS,
    run: async (ctx) => (await import("./history.ts")).history(ctx),
  }),
  defineCommand({
    name: "stream",
    summary: "follow the transcript live (Ctrl-C to stop)",
    help:
      `Usage: aimax stream [-b BACKEND] -s ID [--from-sentinel N] [--events] [--all] [--offsets]

Follows the conversation live until Ctrl-C, printed as \`aimax history\`
prints it. With --from-sentinel, resumes exactly after a history read:
nothing repeated, nothing missed.
With --json, one JSON entry ({offset, end, value}) per line.
  --events               with --json: one event per line instead, of the one
                         model of both agents (user_message,
                         assistant_message, tool_call, tool_result,
                         turn_started, turn_completed, turn_aborted); the
                         text output is made of these events anyway
${CONVERSATION_HELP}
${COMMON_HELP}`,
    options: STREAM_OPTIONS,
    run: async (ctx) => (await import("./stream.ts")).stream(ctx),
  }),
  defineCommand({
    name: "wait",
    summary: "wait until the current turn ends; print its final answer",
    help: `Usage: aimax wait [-b BACKEND] -s ID [--timeout SEC]

Waits until the session's current turn ends (at once when it is idle) and
prints the turn's final answer on stdout.
The answer is the final message of the turn as the agent's transcript
records it (hooks only make aimax hear of it sooner).
Exit: 0 completed, 5 the agent waits on a person (the dialog's text on
stderr), 6 --timeout passed (the turn still runs), 7 the turn was
interrupted, 8 the session is idle but its transcript records no end of the
turn (aimax cannot tell the answer; the reason on stderr), 1 the agent
exited.
  --timeout SEC          give up after SEC seconds (default: no limit)
With --json: {sessionId, outcome, state, text, source?, empty?, reason?,
turnId?, durationMs}; empty: true when the final message had no text.
${COMMON_HELP}`,
    options: WAIT_OPTIONS,
    run: async (ctx) => (await import("./wait.ts")).wait(ctx),
  }),
  defineCommand({
    name: "events",
    summary: "follow every session's events and state changes live",
    help: `Usage: aimax events [-b BACKEND] [-s ID]

Follows every session (or one) live until Ctrl-C: transcript events (as in
\`stream --events\`) and state changes (\`state\`: starting, idle, working,
awaiting_input, exited; \`awaiting_input\` with what the agent asks). Sessions
created later join. With --json, one event per line:
  aimax events --json | jq -r 'select(.type=="awaiting_input") | .sessionId'
${COMMON_HELP}`,
    options: ONE_SESSION_OPTIONS,
    run: async (ctx) => (await import("./events.ts")).events(ctx),
  }),
  defineCommand({
    name: "screen",
    summary: "print the session's screen as it is now",
    help: `Usage: aimax screen [-b BACKEND] -s ID

Prints what the session's pane shows (e.g. the dialog the agent waits on).
With --json: {sessionId, screen, state, dialog?}.
${COMMON_HELP}`,
    options: ONE_SESSION_OPTIONS,
    run: async (ctx) => (await import("./screen.ts")).screen(ctx),
  }),
  defineCommand({
    name: "keys",
    summary: "press keys in the session (e.g. Enter to approve a dialog)",
    help: `Usage: aimax keys [-b BACKEND] -s ID KEY...

Presses tmux keys in the session's pane, in order, on your behalf: e.g.
\`aimax keys -s demo Enter\` approves the highlighted choice of a dialog,
\`Escape\` cancels it, \`y\` answers a yes/no approval. Key names: Enter,
Escape, Tab, BTab, BSpace, Space, Up, Down, Left, Right, Home, End, PageUp,
PageDown, F1-F12, C-x / M-x, or one character; at most 64 keys and 1024
characters at once (exit 2 beyond). Text goes through \`send\`.
At a dialog it returns once the agent took the keys (the dialog closed or
changed; up to 4 s), so a \`wait\` right after sees the turn, not the dialog.
${COMMON_HELP}`,
    words: [],
    positionals: "many",
    options: ONE_SESSION_OPTIONS,
    run: async (ctx) => (await import("./screen.ts")).keys(ctx),
  }),
  defineCommand({
    name: "approve",
    summary: "approve the dialog the session shows (the one you read)",
    help: `Usage: aimax approve [-b BACKEND] -s ID [--dialog DIALOG] [--always]

Picks the agent's "yes" choice of the dialog the session waits on, and
returns once the dialog closed. --dialog names the dialog you read (its id,
as \`status\` shows it): when another dialog is up by then, or none, nothing
is pressed and it exits 5 with the screen. Without --dialog: the dialog up
now. --always picks the agent's "yes, and don't ask again for …" choice
(exit 2 when the dialog has none).
With --json: {sessionId, dialogId, purpose, asks?, choice, kind}.
${COMMON_HELP}`,
    options: APPROVE_OPTIONS,
    run: async (ctx) => (await import("./answer.ts")).approve(ctx),
  }),
  defineCommand({
    name: "deny",
    summary: "deny the dialog the session shows (the one you read)",
    help:
      `Usage: aimax deny [-b BACKEND] -s ID [--dialog DIALOG] [--reason TEXT]

Picks the agent's "no" choice of the dialog the session waits on, and
returns once the dialog closed; --dialog as for approve (another dialog or
none: nothing pressed, exit 5). --reason TEXT then goes to the agent as
what to do instead (its next prompt).
With --json: {sessionId, dialogId, purpose, asks?, choice, kind, reason?}.
${COMMON_HELP}`,
    options: DENY_OPTIONS,
    run: async (ctx) => (await import("./answer.ts")).deny(ctx),
  }),
  defineCommand({
    name: "notify",
    summary:
      "tell a command, a webhook or the desktop when a session needs you",
    help:
      `Usage: aimax notify [-b BACKEND] [-s ID] [--on EVENTS] (--exec CMD | --webhook URL | --desktop)...

Follows every session (new ones join; -s: one session) and delivers each
event named by --on (comma-separated; default awaiting_input,turn_completed,
exited): an event type (awaiting_input, turn_completed, turn_aborted,
turn_started, user_message, assistant_message, tool_call, tool_result,
error, state) or a state a session enters (exited, idle, working, starting).
--exec CMD runs \`sh -c CMD\` per event with the event's JSON on stdin and
AIMAX_EVENT, AIMAX_EVENT_TYPE, AIMAX_EVENT_ID, AIMAX_SESSION_ID,
AIMAX_BACKEND, AIMAX_EVENT_AT, AIMAX_EVENT_TEXT?, AIMAX_DIALOG_ID? in its
environment. --webhook URL POSTs the JSON (header X-Aimax-Event-Id), waits
10 s for an answer and tries a network error or a 5xx again 4 times with a
growing pause. Each event is delivered once, with an \`id\` to deduplicate
on; each target has its own queue, so a slow one holds up nothing else.
--desktop shows each through notify-send (exit 4 when it is not installed).
Prints one line per event delivered; failures go to stderr. Ctrl-C stops.
Needs --allow-run=sh (exec) or =notify-send (desktop), or --allow-net for
the URL's host (webhook), beside the scoped permissions.
${COMMON_HELP}`,
    options: NOTIFY_OPTIONS,
    run: async (ctx) => (await import("./notify.ts")).notify(ctx),
  }),
  defineCommand({
    name: "attach",
    summary: "open the session's window in this terminal (take over)",
    help: `Usage: aimax attach [-b BACKEND] -s ID

Opens the session's tmux window in this terminal so a person can take over.
Detach with the tmux prefix key and then d (Ctrl-b d by default): the agent
keeps running. Inside tmux, switches this client to the window instead.
${COMMON_HELP}`,
    localOnly: true,
    options: ONE_SESSION_OPTIONS,
    run: async (ctx) => (await import("./screen.ts")).attach(ctx),
  }),
  defineCommand({
    name: "doctor",
    summary: "check tmux, the agents (versions, screens, hooks) and setup",
    help: `Usage: aimax doctor [-b BACKEND] [--quick]

Checks tmux (version), the data dir, the permission set, and each agent:
found, and (unless --quick) started once in a scratch window (no prompt is
sent, no model is called) to see that its ready screen is recognised, its
version is within the range this release was tested with, and its hooks fire.
Each line says ok, warn or FAIL, with a fix. Exit 1 when any check fails.
  --quick                do not start the agents
With --json: [{name, status, detail, fix?}].
${COMMON_HELP}`,
    localOnly: true,
    options: DOCTOR_OPTIONS,
    run: async (ctx) => (await import("./doctor.ts")).doctor(ctx),
  }),
  defineCommand({
    name: "serve",
    summary: "sessions over HTTP, SSE and WebSocket, and a live page",
    help: `Usage: aimax serve [--host ${DEFAULT_HOST}] [--port ${DEFAULT_PORT}]
                   [--notify [--on EVENTS] (--exec CMD | --webhook URL | --desktop)...]

Serves every session: REST under /api (the shapes of --json), live
transcripts as Server-Sent Events and WebSocket, and a page at /. Every /api
request needs \`Authorization: Bearer <token>\`: AIMAX_SERVE_TOKEN, or a
token generated into the data dir on first start (its path is printed).
Open the page once as http://HOST:PORT/?token=<token> (it becomes a cookie).
Loopback by default; another --host is reachable from the network (the token
still guards it). Runs until Ctrl-C. With --json, prints one line
{url, tokenSource, tokenPath?, notify?} once listening (notify: the events
--notify delivers). Needs --allow-net for its address (see \`aimax config
permissions --serve HOST:PORT\`), and with --notify what \`aimax notify\`
needs.

      --host ADDR        address to bind (default ${DEFAULT_HOST})
      --port N           port (default ${DEFAULT_PORT}; 0: any free port)
      --notify           deliver events as \`aimax notify\` does, from the
                         server's own follower of every session, with the
                         same --on, --exec, --webhook and --desktop
${COMMON_HELP}`,
    localOnly: true,
    options: SERVE_OPTIONS,
    run: async (ctx) => (await import("./serve.ts")).serve(ctx),
  }),
  defineCommand({
    name: "mcp",
    summary: "serve the sessions to an agent as MCP tools (stdio)",
    help: `Usage: aimax mcp [--all-sessions] [--server URL]
       aimax mcp --print-config ${
      AGENT_SHORT_NAMES.join("|")
    } [--all-sessions] [--server URL]

An MCP server on stdin/stdout, for an agent (${
      AGENT_LABELS.join(", ")
    }, an editor)
that drives other agents: tools list_sessions, create_session, send (queue
or interrupt; wait: true returns the answer), wait, get_history,
get_screen, send_keys, stop_session. It never answers a dialog by itself;
send_keys and stop_session touch only the sessions it created.
      --all-sessions     send_keys and stop_session on every session
      --print-config C   print the snippet that registers it with agent C
                         (in that agent's own config format) and exit
With --server URL, the tools work on that \`aimax serve\`'s sessions.
${COMMON_HELP}`,
    options: MCP_OPTIONS,
    run: async (ctx) => (await import("./mcp.ts")).mcp(ctx),
  }),
  defineCommand({
    name: "config",
    summary:
      "config show | config permissions: settings; the scoped Deno flags",
    help: `Usage: aimax config show
       aimax config permissions [--work-dir DIR ...] [--serve HOST:PORT]
                                [--server URL] [--worktrees]

show: every active setting, its value and the environment variable that sets it.
permissions: the narrowest \`deno run\` permission flags for this config,
  given the working directories your sessions use; with --serve, also the
  network address \`aimax serve\` binds (and AIMAX_SERVE_TOKEN); with
  --server (or AIMAX_SERVER), the address of the server the CLI runs
  against (and AIMAX_SERVE_TOKEN); with --worktrees, what sessions in
  worktrees need: git and sh, the worktree folder, the system's temporary
  folder, git's variables (your repositories are --work-dir DIRs). config
  runs on this host either way.
${COMMON_HELP}`,
    words: ["show", "permissions"],
    positionals: "one",
    options: CONFIG_OPTIONS,
    run: async (ctx) => (await import("./config.ts")).config(ctx),
  }),
  defineCommand({
    name: "completion",
    summary: "completion bash|zsh: a shell completion script",
    help: `Usage: aimax completion bash|zsh

Prints a completion script: eval "$(aimax completion bash)" in ~/.bashrc,
or eval "$(aimax completion zsh)" in ~/.zshrc.`,
    words: ["bash", "zsh"],
    positionals: "one",
    options: {},
    run: async (ctx) => (await import("./completion.ts")).completion(ctx),
  }),
];

/**
 * The text of `aimax --help`: one line per command of `commands`.
 *
 * @example
 * ```ts
 * import { COMMANDS, mainHelp } from "./mod.ts";
 * console.log(mainHelp(COMMANDS));
 * ```
 * @param commands the table
 */
export function mainHelp(commands: readonly Command[]): string {
  const lines = commands.map((c) => `  ${c.name.padEnd(8)}  ${c.summary}`);
  return `aimax ${VERSION}: drive ${listed(AGENT_LABELS)} TUIs through tmux.

Usage: aimax <command> [options]

Commands:
${lines.join("\n")}

Backends: ${BACKEND_NAMES.join(", ")}
Run \`aimax <command> --help\` for a command's options; \`aimax --version\`.
Remote: with --server URL or AIMAX_SERVER (and AIMAX_SERVE_TOKEN) the session
commands run against that \`aimax serve\` instead of local tmux.
Exit codes: 0 ok, 1 failure, 2 bad usage or input, 3 no such session,
4 tmux or agent missing, 5 the agent waits on a person (a dialog; nothing sent),
6 a wait ran out of time.`;
}

function sameOption(
  a: CommandOptions[string],
  b: CommandOptions[string],
): boolean {
  return a.type === b.type && a.short === b.short &&
    (a.multiple ?? false) === (b.multiple ?? false) &&
    JSON.stringify(a.default) === JSON.stringify(b.default);
}

/**
 * Every option any of `commands` takes, with {@linkcode COMMON_OPTIONS} and
 * {@linkcode PROGRAM_OPTIONS}: what `aimax` accepts before it knows the
 * command. Throws when two commands declare one option differently (a
 * programming error: `-b` must mean the same everywhere).
 *
 * @example
 * ```ts
 * import { allOptions, COMMANDS } from "./mod.ts";
 * console.log(Object.keys(allOptions(COMMANDS)));
 * ```
 * @param commands the table
 */
export function allOptions(commands: readonly Command[]): CommandOptions {
  const all: CommandOptions = { ...PROGRAM_OPTIONS, ...COMMON_OPTIONS };
  const shorts = new Map<string, string>(
    Object.entries(all).flatMap(([name, o]) =>
      o.short ? [[o.short, name]] : []
    ),
  );
  for (const command of commands) {
    for (const [name, option] of Object.entries(command.options)) {
      const known = all[name];
      if (known && !sameOption(known, option)) {
        throw new Error(
          `aimax ${command.name}: --${name} differs from another command's`,
        );
      }
      const owner = option.short ? shorts.get(option.short) : undefined;
      if (option.short && owner !== undefined && owner !== name) {
        throw new Error(
          `aimax ${command.name}: -${option.short} is already --${owner}`,
        );
      }
      all[name] = option;
      if (option.short) shorts.set(option.short, name);
    }
  }
  return all;
}
