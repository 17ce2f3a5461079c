/**
 * {@linkcode TmuxClient}: one tmux server's sessions, windows and panes,
 * each call one tmux invocation through `Deno.Command` (an argv array,
 * never a shell string), each query a `-F` format, each target an id.
 *
 * @module
 */
import { PreflightError, TmuxError } from "../errors.ts";
import { literal } from "./argv.ts";
import { captureArgs, lookArgs, MARK, splitCaptures } from "./captures.ts";
import {
  DEAD_PANE_HISTORY,
  PANE_FORMAT,
  type PaneInfo,
  parsePane,
  parsePanes,
  SEP,
  withoutDeadBanner,
} from "./format.ts";

/**
 * Where a new window's process runs.
 *
 * @example
 * ```ts
 * import { type NewWindowOptions, TmuxClient } from "./client.ts";
 * const tmux = new TmuxClient({ socket: "aimax-example" });
 * const hub = await tmux.ensureSession("hub", { cwd: "/tmp" });
 * const options: NewWindowOptions = { name: "w", cwd: "/tmp", env: { A: "1" }, command: ["sleep", "9"] };
 * await tmux.newWindow(hub, options);
 * await tmux.killServer();
 * ```
 */
export interface NewWindowOptions {
  /** Window name (a validated session id). */
  name: string;
  /** Working directory. */
  cwd: string;
  /** Extra environment for the process. */
  env?: Record<string, string>;
  /** The program and its arguments, executed directly (no shell). */
  command: readonly string[];
}

/**
 * The ids of a new window.
 *
 * @example
 * ```ts
 * import { TmuxClient } from "./client.ts";
 * const tmux = new TmuxClient({ socket: "aimax-example" });
 * const hub = await tmux.ensureSession("hub", { cwd: "/tmp" });
 * const { windowId, paneId, panePid } = await tmux.newWindow(hub, {
 *   name: "w", cwd: "/tmp", command: ["sleep", "9"],
 * });
 * await tmux.killServer();
 * ```
 */
export interface NewWindowResult {
  /** Window id, `@N`. */
  windowId: string;
  /** Pane id, `%N`. */
  paneId: string;
  /** The pane process pid. */
  panePid: number;
}

/**
 * Options for {@linkcode TmuxClient}.
 *
 * @example
 * ```ts
 * import { TmuxClient, type TmuxClientOptions } from "./client.ts";
 * const options: TmuxClientOptions = { socket: "/tmp/aimax.sock", bin: "tmux" };
 * const tmux = new TmuxClient(options);
 * ```
 */
export interface TmuxClientOptions {
  /** A socket path (contains `/`, passed as `-S`) or name (`-L`); empty for the default server. */
  socket?: string;
  /** The tmux executable. */
  bin?: string;
  /**
   * A call that has not answered after this many milliseconds is killed
   * and fails with a {@linkcode TmuxError} (default: no limit). Keeps a
   * lock held around tmux calls from being held by a tmux that hangs.
   */
  timeoutMs?: number;
}

/**
 * Result of one tmux invocation.
 *
 * @example
 * ```ts
 * import { TmuxClient } from "./client.ts";
 * const { code, stdout, stderr } = await new TmuxClient().exec(["-V"]);
 * ```
 */
export interface TmuxRun {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Index of the one-shot after-new-window hook that sets remain-on-exit. */
const REMAIN_HOOK_INDEX = 4271;

const NO_SERVER =
  /no server running|error connecting to|No such file or directory|can't find session|session not found/i;

/** `args` for an error: environment values (API keys) never go into one. */
function redacted(args: readonly string[]): string[] {
  return args.map((arg, i) =>
    args[i - 1] === "-e" ? arg.replace(/=[\s\S]*/, "=…") : arg
  );
}

/**
 * A tmux client bound to one server.
 *
 * @example
 * ```ts
 * import { TmuxClient } from "./client.ts";
 * const tmux = new TmuxClient({ socket: "aimax-example" });
 * const hub = await tmux.ensureSession("hub", { cwd: "/tmp" });
 * const { paneId } = await tmux.newWindow(hub, {
 *   name: "w", cwd: "/tmp", command: ["sleep", "60"],
 * });
 * console.log(await tmux.paneText(paneId));
 * await tmux.killServer();
 * ```
 */
export class TmuxClient {
  /** The tmux executable. */
  readonly bin: string;
  /** Server selection arguments (`-L name` / `-S path`), possibly empty. */
  readonly serverArgs: readonly string[];
  /** The time limit of one call in milliseconds (`undefined`: none). */
  readonly timeoutMs: number | undefined;

  /**
   * Creates an instance.
   * @param options which server and binary
   */
  constructor(options: TmuxClientOptions = {}) {
    this.bin = options.bin || "tmux";
    this.timeoutMs = options.timeoutMs;
    const socket = options.socket ?? "";
    this.serverArgs = socket === ""
      ? []
      : socket.includes("/")
      ? ["-S", socket]
      : ["-L", socket];
  }

  /**
   * Runs tmux with `args`, returning its output whatever the exit code. A
   * call past the client's `timeoutMs` is killed and fails with a
   * {@linkcode TmuxError}; one whose `signal` aborts is killed and rejects
   * with the signal's reason.
   *
   * @param args tmux arguments
   * @param options `stdin` bytes to feed it; `signal` to stop it
   */
  async exec(
    args: readonly string[],
    options: { stdin?: Uint8Array; signal?: AbortSignal } = {},
  ): Promise<TmuxRun> {
    options.signal?.throwIfAborted();
    const command = new Deno.Command(this.bin, {
      args: [...this.serverArgs, ...args],
      stdin: options.stdin ? "piped" : "null",
      stdout: "piped",
      stderr: "piped",
    });
    let child: Deno.ChildProcess;
    try {
      child = command.spawn();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new PreflightError(
          `${this.bin} not found. Install tmux: \`apt-get install tmux\` (Debian/Ubuntu) or \`brew install tmux\` (macOS)`,
        );
      }
      throw error;
    }
    let timedOut = false;
    const kill = () => {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
    };
    // `AbortSignal.timeout`, not `setTimeout`: Deno's `setTimeout` starts
    // its Node layer on first use (2.5 ms of every CLI call that runs tmux).
    const timer = this.timeoutMs === undefined
      ? undefined
      : AbortSignal.timeout(this.timeoutMs);
    const expire = () => {
      timedOut = true;
      kill();
    };
    timer?.addEventListener("abort", expire, { once: true });
    options.signal?.addEventListener("abort", kill, { once: true });
    let out: Deno.CommandOutput;
    try {
      if (options.stdin) {
        const writer = child.stdin.getWriter();
        await writer.write(options.stdin).catch(() => {});
        await writer.close().catch(() => {});
      }
      out = await child.output();
    } finally {
      timer?.removeEventListener("abort", expire);
      options.signal?.removeEventListener("abort", kill);
    }
    options.signal?.throwIfAborted();
    if (timedOut) {
      throw new TmuxError(
        [...this.serverArgs, ...redacted(args)],
        out.code,
        `no answer within ${this.timeoutMs} ms; the call was killed`,
      );
    }
    const decoder = new TextDecoder();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  }

  /**
   * Runs tmux and fails with a {@linkcode TmuxError} (argv + stderr) on a
   * non-zero exit.
   *
   * @param args tmux arguments
   * @param options `stdin` bytes to feed it; `signal` to stop it
   * @returns standard output
   */
  async run(
    args: readonly string[],
    options: { stdin?: Uint8Array; signal?: AbortSignal } = {},
  ): Promise<string> {
    const result = await this.exec(args, options);
    if (result.code !== 0) {
      throw new TmuxError(
        [...this.serverArgs, ...redacted(args)],
        result.code,
        result.stderr,
      );
    }
    return result.stdout;
  }

  /**
   * The id (`$N`) of the session named `name`, if the server runs and has it.
   *
   * @param name exact session name
   */
  async findSession(name: string): Promise<string | undefined> {
    const result = await this.exec([
      "list-sessions",
      "-F",
      `#{session_id}${SEP}#{session_name}`,
    ]);
    if (result.code !== 0) {
      if (NO_SERVER.test(result.stderr)) return undefined;
      throw new TmuxError(
        [...this.serverArgs, "list-sessions"],
        result.code,
        result.stderr,
      );
    }
    for (const line of result.stdout.split("\n")) {
      const [id, ...rest] = line.split(SEP);
      if (id && rest.join(SEP) === name) return id;
    }
    return undefined;
  }

  /**
   * Whether this client's tmux server runs.
   *
   * @example
   * ```ts
   * import { TmuxClient } from "./client.ts";
   * console.log(await new TmuxClient({ socket: "aimax" }).serverRunning());
   * ```
   */
  async serverRunning(): Promise<boolean> {
    const result = await this.exec(["list-sessions", "-F", "#{session_id}"]);
    return result.code === 0 || !NO_SERVER.test(result.stderr);
  }

  /**
   * Ensures a detached session named `name` exists (starting the server when
   * needed) and returns its id. Safe against a concurrent creator.
   * `serverOptions` are set (`set-option -s`) only when this call started
   * the server, never on a server that already ran.
   *
   * @param name session name
   * @param options `cwd` and name of its first window; `serverOptions`
   */
  async ensureSession(
    name: string,
    options: {
      cwd: string;
      windowName?: string;
      serverOptions?: Readonly<Record<string, string>>;
    },
  ): Promise<string> {
    const existing = await this.findSession(name);
    if (existing) return existing;
    // Server options (tmux has no per-session focus-events) only on a
    // server this call starts: never on one a person already uses.
    const own = Object.entries(options.serverOptions ?? {});
    const fresh = own.length > 0 && !await this.serverRunning();
    const result = await this.exec([
      "new-session",
      "-d",
      "-P",
      "-F",
      "#{session_id}",
      "-s",
      name,
      "-x",
      "200",
      "-y",
      "50",
      "-c",
      options.cwd,
      ...(options.windowName ? ["-n", options.windowName] : []),
    ]);
    const id = result.stdout.trim();
    // tmux exits 0 without a session when it cannot create its socket
    // (e.g. a socket path in a missing directory): no id means failure.
    if (result.code === 0 && id !== "") {
      for (const [key, value] of fresh ? own : []) {
        await this.exec(["set-option", "-s", key, value]);
      }
      return id;
    }
    if (/duplicate session/i.test(result.stderr)) {
      const raced = await this.findSession(name);
      if (raced) return raced;
    }
    throw new TmuxError(
      [...this.serverArgs, "new-session", "-s", name],
      result.code,
      result.stderr.trim() || "no session was created",
    );
  }

  /**
   * Opens a window in session `sessionId` running `command` directly (no
   * shell), keeps its pane after the process exits (`remain-on-exit`) so its
   * last screen can be read, and returns its ids.
   *
   * @param sessionId target session id, `$N`
   * @param options name, cwd, env and argv
   */
  async newWindow(
    sessionId: string,
    options: NewWindowOptions,
  ): Promise<NewWindowResult> {
    if (options.command.length === 0) {
      throw new TypeError("newWindow needs a command");
    }
    const envArgs: string[] = [];
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        throw new TypeError(`invalid environment variable name ${key}`);
      }
      envArgs.push("-e", literal(`${key}=${value}`));
    }
    // With a single argument tmux would hand the command to a shell; `env`
    // in front keeps it an argv that is executed directly.
    const argv = options.command.length === 1
      ? ["env", "--", ...options.command]
      : options.command;
    // remain-on-exit must be on before the process can exit, or a program
    // that fails at once takes its window (and last screen) with it. A
    // one-shot after-new-window hook sets it inside the same command chain,
    // before tmux handles the child's exit; the chain then removes the hook.
    const hook = `after-new-window[${REMAIN_HOOK_INDEX}]`;
    let out: string;
    try {
      out = await this.run([
        "set-hook",
        "-t",
        sessionId,
        hook,
        "set-option -w remain-on-exit on",
        ";",
        "new-window",
        "-d",
        "-P",
        "-F",
        `#{window_id}${SEP}#{pane_id}${SEP}#{pane_pid}`,
        "-t",
        `${sessionId}:`,
        "-n",
        literal(options.name),
        "-c",
        literal(options.cwd),
        ...envArgs,
        "--",
        ...argv.map(literal),
        ";",
        "set-hook",
        "-u",
        "-t",
        sessionId,
        hook,
      ]);
    } catch (error) {
      await this.exec(["set-hook", "-u", "-t", sessionId, hook]);
      throw error;
    }
    const [windowId, paneId, pid] = out.trim().split(SEP);
    await this.exec([
      "set-option",
      "-w",
      "-t",
      windowId,
      "automatic-rename",
      "off",
    ]);
    return { windowId, paneId, panePid: Number(pid) };
  }

  /**
   * Loads `data` into a new uniquely named paste buffer through stdin (no
   * temporary file) and returns the buffer's name.
   *
   * @param data the bytes or text to load
   */
  async loadBuffer(data: string | Uint8Array): Promise<string> {
    const name = `aimax-${crypto.randomUUID()}`;
    const bytes = typeof data === "string"
      ? new TextEncoder().encode(data)
      : data;
    await this.run(["load-buffer", "-b", name, "-"], { stdin: bytes });
    return name;
  }

  /**
   * Pastes buffer `buffer` into pane `paneId` and deletes the buffer.
   *
   * @param paneId target pane, `%N`
   * @param buffer buffer name from {@linkcode TmuxClient.loadBuffer}
   * @param options `bracketed` (default true) wraps it in bracketed-paste markers
   */
  async pasteBuffer(
    paneId: string,
    buffer: string,
    options: { bracketed?: boolean } = {},
  ): Promise<void> {
    const args = ["paste-buffer", "-d", "-b", buffer, "-t", paneId];
    if (options.bracketed ?? true) args.splice(1, 0, "-p");
    await this.run(args);
  }

  /**
   * Loads `text` and pastes it bracketed into `paneId` in one step.
   *
   * @param paneId target pane, `%N`
   * @param text what to paste
   */
  async paste(paneId: string, text: string): Promise<void> {
    const buffer = await this.loadBuffer(text);
    try {
      await this.pasteBuffer(paneId, buffer);
    } catch (error) {
      await this.exec(["delete-buffer", "-b", buffer]);
      throw error;
    }
  }

  /**
   * Loads `text`, pastes it bracketed into `paneId` and presses `keys`, in
   * one tmux invocation (commands chained with `;`), so the keys follow the
   * paste with nothing in between.
   *
   * @param paneId target pane, `%N`
   * @param options the text and the keys to press after it
   */
  async pasteAndPress(
    paneId: string,
    options: { text: string; keys: readonly string[] },
  ): Promise<void> {
    const name = `aimax-${crypto.randomUUID()}`;
    const args = [
      "load-buffer",
      "-b",
      name,
      "-",
      ";",
      "paste-buffer",
      "-p",
      "-d",
      "-b",
      name,
      "-t",
      paneId,
      ...(options.keys.length > 0
        ? [";", "send-keys", "-t", paneId, ...options.keys.map(literal)]
        : []),
    ];
    const result = await this.exec(args, {
      stdin: new TextEncoder().encode(options.text),
    });
    if (result.code !== 0) {
      await this.exec(["delete-buffer", "-b", name]);
      throw new TmuxError(
        [...this.serverArgs, ...args],
        result.code,
        result.stderr,
      );
    }
  }

  /**
   * One look at a pane in one tmux invocation: its facts and its visible
   * text; `undefined` when the pane (or the server) is gone.
   *
   * @param paneId pane id, `%N`
   */
  async paneWithText(
    paneId: string,
  ): Promise<{ pane: PaneInfo; screen: string } | undefined> {
    const result = await this.exec(lookArgs(paneId, PANE_FORMAT));
    if (result.code !== 0) return undefined;
    const nl = result.stdout.indexOf("\n");
    const pane = parsePane(result.stdout.slice(0, nl < 0 ? undefined : nl));
    if (pane.paneId !== paneId) return undefined;
    return { pane, screen: nl < 0 ? "" : result.stdout.slice(nl + 1) };
  }

  /**
   * The visible text of several panes in one tmux invocation (a marker line
   * between them). Panes that are gone make the whole call fall back to one
   * capture per pane.
   *
   * @param paneIds pane ids, `%N`
   * @returns each pane's text, by pane id (missing panes left out)
   */
  async #captureMany(paneIds: readonly string[]): Promise<Map<string, string>> {
    if (paneIds.length === 0) return new Map();
    const result = await this.exec(captureArgs(paneIds));
    if (result.code === 0) return splitCaptures(result.stdout);
    const out = new Map<string, string>();
    for (const id of paneIds) {
      const one = await this.exec(["capture-pane", "-p", "-J", "-t", id]);
      if (one.code === 0) out.set(id, one.stdout);
    }
    return out;
  }

  /**
   * Every pane of the server and the visible text of some of them, in one
   * tmux invocation (`list-panes -a` chained with the captures). When one of
   * those panes is gone, tmux stops at its capture: then the panes are
   * listed again and the listed ones captured (two invocations).
   *
   * @param paneIds the panes to capture, `%N`
   * @returns every pane, and the text of each captured pane by pane id
   */
  async panesWithText(
    paneIds: readonly string[],
  ): Promise<{ panes: PaneInfo[]; screens: Map<string, string> }> {
    if (paneIds.length > 0) {
      const result = await this.exec([
        "list-panes",
        "-a",
        "-F",
        PANE_FORMAT,
        ";",
        ...captureArgs(paneIds),
      ]);
      const at = result.stdout.indexOf(MARK);
      if (result.code === 0 && at >= 0) {
        return {
          panes: parsePanes(result.stdout.slice(0, at)),
          screens: splitCaptures(result.stdout.slice(at)),
        };
      }
    }
    const panes = await this.listPanes();
    const listed = new Set(panes.map((p) => p.paneId));
    return {
      panes,
      screens: await this.#captureMany(paneIds.filter((id) => listed.has(id))),
    };
  }

  /**
   * Sends tmux key names (`Enter`, `Escape`, `Tab`, `C-u`) to a pane.
   *
   * @param paneId target pane, `%N`
   * @param keys key names
   */
  async sendKeys(paneId: string, ...keys: string[]): Promise<void> {
    await this.run(["send-keys", "-t", paneId, ...keys.map(literal)]);
  }

  /**
   * {@linkcode TmuxClient.sendKeys} with the keys as a list, stopped (the
   * tmux call killed) when
   * `signal` aborts.
   *
   * @param paneId target pane, `%N`
   * @param keys key names
   * @param options `signal`: the caller went away
   */
  async sendKeyList(
    paneId: string,
    keys: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    await this.run(["send-keys", "-t", paneId, ...keys.map(literal)], {
      signal: options.signal,
    });
  }

  /**
   * The pane's visible text (or from `start` lines of history).
   *
   * @param paneId target pane, `%N`
   * @param options `start`: first line (negative reaches into history)
   */
  async paneText(
    paneId: string,
    options: { start?: number } = {},
  ): Promise<string> {
    const args = ["capture-pane", "-p", "-J", "-t", paneId];
    if (options.start !== undefined) args.push("-S", String(options.start));
    return await this.run(args);
  }

  /**
   * A dead pane's last output: its screen with the lines tmux scrolled into
   * the history to write "Pane is dead (…)", without that line.
   *
   * @param paneId target pane, `%N`
   */
  async deadPaneText(paneId: string): Promise<string> {
    return withoutDeadBanner(
      await this.paneText(paneId, { start: -DEAD_PANE_HISTORY }),
    );
  }

  /**
   * Every pane of the server, or of one session.
   *
   * @param options `sessionId` limits the list to one session
   * @returns an empty list when no server runs
   */
  async listPanes(options: { sessionId?: string } = {}): Promise<PaneInfo[]> {
    const args = options.sessionId
      ? ["list-panes", "-s", "-t", options.sessionId, "-F", PANE_FORMAT]
      : ["list-panes", "-a", "-F", PANE_FORMAT];
    const result = await this.exec(args);
    if (result.code !== 0) {
      if (NO_SERVER.test(result.stderr)) return [];
      throw new TmuxError(
        [...this.serverArgs, ...args],
        result.code,
        result.stderr,
      );
    }
    return parsePanes(result.stdout);
  }

  /**
   * One pane by id, or `undefined` when it (or the server) is gone.
   *
   * @param paneId pane id, `%N`
   */
  async paneInfo(paneId: string): Promise<PaneInfo | undefined> {
    const result = await this.exec([
      "display-message",
      "-p",
      "-t",
      paneId,
      PANE_FORMAT,
    ]);
    if (result.code !== 0) return undefined;
    const pane = parsePane(result.stdout.replace(/\n$/, ""));
    return pane.paneId === paneId ? pane : undefined;
  }

  /**
   * Kills a window; `false` when it was already gone.
   *
   * @param windowId window id, `@N`
   */
  async killWindow(windowId: string): Promise<boolean> {
    const result = await this.exec(["kill-window", "-t", windowId]);
    return result.code === 0;
  }

  /** Kills the whole server (tests use it on their own servers). */
  async killServer(): Promise<void> {
    await this.exec(["kill-server"]);
  }
}
