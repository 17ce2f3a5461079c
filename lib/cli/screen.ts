/**
 * `aimax screen`, `aimax keys`, `aimax attach`: a person's way in to a
 * session, e.g. to read and answer a dialog the agent waits on.
 *
 * @module
 */
import { terminalText } from "../terminal.ts";
import { type CommandContext, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";
import type { ONE_SESSION_OPTIONS } from "./options.ts";
import { backendFor } from "./backend_for.ts";
import { need } from "./shared.ts";

/**
 * Runs `aimax screen [-b BACKEND] -s ID`: the session's screen now`.
 *
 * @example
 * ```ts ignore
 * import { screen } from "./screen.ts";
 * const code = await screen(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function screen(
  { values, io, emit }: CommandContext<typeof ONE_SESSION_OPTIONS>,
): Promise<number> {
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
}

/**
 * Runs `aimax keys [-b BACKEND] -s ID KEY…`: presses tmux keys in the session`.
 *
 * @example
 * ```ts ignore
 * import { keys } from "./screen.ts";
 * const code = await keys(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function keys(
  { values, args, io, emit }: CommandContext<typeof ONE_SESSION_OPTIONS>,
): Promise<number> {
  const sessionId = need(values, "session");
  if (args.length === 0) throw new UsageError("name the keys to press");
  const backend = await backendFor(values);
  await backend.sendKeys(sessionId, args);
  emit(
    { sessionId, keys: args },
    () => io.out(`pressed ${args.join(" ")} in ${sessionId}`),
  );
  return EXIT.ok;
}

/**
 * Runs `aimax attach [-b BACKEND] -s ID`: the session's window in this terminal`.
 *
 * @example
 * ```ts ignore
 * import { attach } from "./screen.ts";
 * const code = await attach(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function attach(
  { values, io, json }: CommandContext<typeof ONE_SESSION_OPTIONS>,
): Promise<number> {
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
}
