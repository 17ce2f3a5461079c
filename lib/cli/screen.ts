/**
 * `aimax screen`, `aimax keys`, `aimax attach`: a person's way in to a
 * session, e.g. to read and answer a dialog the agent waits on.
 *
 * @module
 */
import { terminalText } from "../terminal.ts";
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";
import { BACKEND_OPTION, backendFor, need, SESSION_OPTION } from "./shared.ts";

const ONE_SESSION = { ...BACKEND_OPTION, ...SESSION_OPTION } as const;

/**
 * `aimax screen [-b BACKEND] -s ID`: the session's screen now.
 *
 * @example
 * ```ts
 * import { screen } from "./screen.ts";
 * console.log(screen.help);
 * ```
 */
export const screen = defineCommand({
  name: "screen",
  summary: "print the session's screen as it is now",
  help: `Usage: aimax screen [-b BACKEND] -s ID

Prints what the session's pane shows (e.g. the dialog the agent waits on).
With --json: {sessionId, screen, state, dialog?}.
${COMMON_HELP}`,
  options: ONE_SESSION,
  async run({ values, io, emit }) {
    const sessionId = need(values, "session");
    const backend = await backendFor(values);
    const text = await backend.screen(sessionId);
    const state = await backend.getState(sessionId);
    emit(
      {
        sessionId,
        screen: text,
        state: state.state,
        ...(state.dialog ? { dialog: state.dialog } : {}),
      },
      () => io.out(terminalText(text.trimEnd())),
    );
    return EXIT.ok;
  },
});

/**
 * `aimax keys [-b BACKEND] -s ID KEY…`: presses tmux keys in the session.
 *
 * @example
 * ```ts
 * import { keys } from "./screen.ts";
 * console.log(keys.help);
 * ```
 */
export const keys = defineCommand({
  name: "keys",
  summary: "press keys in the session (e.g. Enter to approve a dialog)",
  help: `Usage: aimax keys [-b BACKEND] -s ID KEY...

Presses tmux keys in the session's pane, in order, on your behalf: e.g.
\`aimax keys -s demo Enter\` approves the highlighted choice of a dialog,
\`Escape\` cancels it, \`y\` answers Codex's approval. Key names: Enter,
Escape, Tab, BTab, BSpace, Space, Up, Down, Left, Right, Home, End, PageUp,
PageDown, F1-F12, C-x / M-x, or one character; at most 64 keys and 1024
characters at once (exit 2 beyond). Text goes through \`send\`.
At a dialog it returns once the agent took the keys (the dialog closed or
changed; up to 4 s), so a \`wait\` right after sees the turn, not the dialog.
${COMMON_HELP}`,
  options: ONE_SESSION,
  words: [],
  async run({ values, args, io, emit }) {
    const sessionId = need(values, "session");
    if (args.length === 0) throw new UsageError("name the keys to press");
    const backend = await backendFor(values);
    await backend.sendKeys(sessionId, args);
    emit(
      { sessionId, keys: args },
      () => io.out(`pressed ${args.join(" ")} in ${sessionId}`),
    );
    return EXIT.ok;
  },
});

/**
 * `aimax attach [-b BACKEND] -s ID`: the session's window in this terminal.
 *
 * @example
 * ```ts
 * import { attach } from "./screen.ts";
 * console.log(attach.help);
 * ```
 */
export const attach = defineCommand({
  name: "attach",
  summary: "open the session's window in this terminal (take over)",
  help: `Usage: aimax attach [-b BACKEND] -s ID

Opens the session's tmux window in this terminal so a person can take over.
Detach with the tmux prefix key and then d (Ctrl-b d by default): the agent
keeps running. Inside tmux, switches this client to the window instead.
${COMMON_HELP}`,
  options: ONE_SESSION,
  localOnly: true,
  async run({ values, io, json }) {
    const sessionId = need(values, "session");
    const backend = await backendFor(values);
    let inside = false;
    try {
      inside = (Deno.env.get("TMUX") ?? "") !== "";
    } catch {
      inside = false;
    }
    const [bin, ...args] = await backend.attachCommand(sessionId, {
      insideTmux: inside,
    });
    if (json) {
      io.out(JSON.stringify({ sessionId, command: [bin, ...args] }));
      return EXIT.ok;
    }
    io.err(
      `attaching to ${sessionId}; detach with Ctrl-b d (the tmux prefix, then d): the agent keeps running`,
    );
    const status = await new Deno.Command(bin, {
      args,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn().status;
    return status.success ? EXIT.ok : EXIT.failure;
  },
});
