/**
 * Being told: subscribers of the event stream that deliver the events a
 * person asked for (`--on`) to a command (`--exec`, the event as JSON on
 * stdin and in environment variables) or a URL (`--webhook`, a POST of the
 * event's JSON with a timeout, tried again with a growing pause on a
 * network error or a 5xx). Each target has its own queue: a slow or
 * failing receiver delays only its own deliveries, never the follower
 * that hands the events over, nor the agents. Each event carries an `id`
 * that stays the same across the tries of its delivery, for the receiver
 * to deduplicate on.
 *
 * @module
 */
import { DEFAULT_TIMINGS } from "../backend/timings.ts";
import { PreflightError, UsageError } from "../errors.ts";
import type { AgentEvent } from "../signals/events.ts";

/**
 * What `--on` may name: an event type, or a state a session enters
 * (`exited`, `idle`, `working`, `starting`: a `state` event to it).
 *
 * @example
 * ```ts
 * import { NOTIFY_TRIGGERS } from "./notify.ts";
 * console.log(NOTIFY_TRIGGERS.includes("exited")); // true
 * ```
 */
export const NOTIFY_TRIGGERS = [
  "awaiting_input",
  "turn_completed",
  "turn_aborted",
  "turn_started",
  "user_message",
  "assistant_message",
  "tool_call",
  "tool_result",
  "error",
  "state",
  "exited",
  "idle",
  "working",
  "starting",
] as const;

/**
 * One of {@linkcode NOTIFY_TRIGGERS}.
 *
 * @example
 * ```ts
 * import type { NotifyTrigger } from "./notify.ts";
 * const on: NotifyTrigger = "awaiting_input";
 * ```
 */
export type NotifyTrigger = typeof NOTIFY_TRIGGERS[number];

/** What `notify` tells without `--on`: a person is needed, a turn ended, an agent exited. */
export const DEFAULT_TRIGGERS: readonly NotifyTrigger[] = [
  "awaiting_input",
  "turn_completed",
  "exited",
];

/**
 * Reads `--on`'s comma-separated list.
 *
 * @example
 * ```ts
 * import { parseTriggers } from "./notify.ts";
 * parseTriggers("awaiting_input, exited"); // ["awaiting_input", "exited"]
 * ```
 * @param list e.g. `awaiting_input,turn_completed`
 * @throws {UsageError} naming what is not a trigger
 */
export function parseTriggers(list: string): NotifyTrigger[] {
  const names = list.split(",").map((n) => n.trim()).filter((n) => n !== "");
  if (names.length === 0) throw new UsageError("--on names no event");
  for (const name of names) {
    if (!(NOTIFY_TRIGGERS as readonly string[]).includes(name)) {
      throw new UsageError(
        `--on: "${name}" is not an event (one of ${
          NOTIFY_TRIGGERS.join(", ")
        })`,
      );
    }
  }
  return names as NotifyTrigger[];
}

/**
 * The trigger an event matches among `on`, if any: its type, or for a
 * `state` event the state it enters.
 *
 * @example
 * ```ts
 * import { triggerOf } from "./notify.ts";
 * triggerOf(
 *   { type: "state", from: "idle", to: "exited", reason: "", sessionId: "s", backend: "b", at: "" },
 *   new Set(["exited"]),
 * ); // "exited"
 * ```
 * @param event the event
 * @param on the triggers asked for
 */
export function triggerOf(
  event: AgentEvent,
  on: ReadonlySet<NotifyTrigger>,
): NotifyTrigger | undefined {
  if (on.has(event.type)) return event.type;
  // `awaiting_input` is its own event (with what is asked), not its state's.
  if (
    event.type === "state" && event.to !== "awaiting_input" && on.has(event.to)
  ) return event.to;
  return undefined;
}

/**
 * The id a receiver deduplicates an event on: the same for every try of
 * its delivery, another for another event (its session, type and where
 * it comes from: its transcript offset, or its time and state).
 *
 * @example
 * ```ts
 * import { notificationId } from "./notify.ts";
 * notificationId({ type: "turn_started", sessionId: "s", backend: "tmux-agent", at: "t", offset: 42 });
 * // "tmux-agent/s/turn_started/42"
 * ```
 * @param event the event
 */
export function notificationId(event: AgentEvent): string {
  const type = event.type === "state" ? `state-${event.to}` : event.type;
  const where = event.offset ?? event.at;
  const dialog = event.type === "awaiting_input" && event.dialogInfo
    ? `/${event.dialogInfo.id}`
    : "";
  return `${event.backend}/${event.sessionId}/${type}/${where}${dialog}`;
}

/**
 * Where `notify` delivers: a command (`sh -c`, the user's own string), a
 * URL to POST to, or the desktop (`notify-send`).
 *
 * @example
 * ```ts
 * import type { NotifyTarget } from "./notify.ts";
 * const targets: NotifyTarget[] = [
 *   { kind: "exec", command: "jq -r .type >> ~/aimax.log" },
 *   { kind: "webhook", url: "https://hooks.example.com/aimax" },
 * ];
 * ```
 */
export type NotifyTarget =
  | { kind: "exec"; command: string }
  | { kind: "webhook"; url: string }
  | { kind: "desktop"; bin: string };

/** Each member of a union without its `raw`. */
type WithoutRaw<T> = T extends unknown ? Omit<T, "raw"> : never;

/**
 * What is delivered: the event (without its raw record), its id and the
 * trigger it matched.
 *
 * @example
 * ```ts
 * import type { Notification } from "./notify.ts";
 * const n: Notification = {
 *   id: "tmux-agent/s/turn_completed/9", trigger: "turn_completed",
 *   type: "turn_completed", text: "done", sessionId: "s", backend: "tmux-agent", at: "",
 * };
 * ```
 */
export type Notification = WithoutRaw<AgentEvent> & {
  /** The same across the tries of one delivery. */
  id: string;
  /** The `--on` name it matched. */
  trigger: NotifyTrigger;
};

/**
 * Options of a {@linkcode Notifier}.
 *
 * @example
 * ```ts
 * import type { NotifierOptions } from "./notify.ts";
 * const options: NotifierOptions = { on: ["awaiting_input"], log: console.error };
 * ```
 */
export interface NotifierOptions {
  /** What to deliver (default {@linkcode DEFAULT_TRIGGERS}). */
  on?: readonly NotifyTrigger[];
  /** Receives one line per failure, retry or drop. */
  log: (line: string) => void;
  /** Time limits (default: those of `lib/backend/timings.ts`). */
  timings?: Partial<
    Pick<
      typeof DEFAULT_TIMINGS,
      "notifyPostMs" | "notifyRetries" | "notifyBackoffMs" | "notifyExecMs"
    >
  >;
  /** The most deliveries one target holds before it drops the oldest. */
  maxQueue?: number;
}

/** One target and its queue. */
interface Queue {
  target: NotifyTarget;
  waiting: Notification[];
  running: Promise<void> | undefined;
}

/**
 * Delivers the events it is handed ({@linkcode Notifier.push}, which never
 * waits) to its targets, each through its own queue, in order.
 *
 * @example
 * ```ts ignore
 * import { subscribeEvents } from "../follow.ts";
 * import { Notifier } from "./notify.ts";
 * const notifier = new Notifier([{ kind: "webhook", url: "http://127.0.0.1:9000/" }], {
 *   log: (line) => console.error(line),
 * });
 * const stop = await subscribeEvents((event) => notifier.push(event));
 * ```
 */
export class Notifier {
  readonly #queues: Queue[];
  readonly #on: ReadonlySet<NotifyTrigger>;
  readonly #log: (line: string) => void;
  readonly #timings: NonNullable<NotifierOptions["timings"]> & {
    notifyPostMs: number;
    notifyRetries: number;
    notifyBackoffMs: number;
    notifyExecMs: number;
  };
  readonly #maxQueue: number;
  readonly #stopped = new AbortController();

  /**
   * Creates a notifier.
   *
   * @param targets where to deliver
   * @param options what to deliver, where failures go, time limits
   */
  constructor(targets: readonly NotifyTarget[], options: NotifierOptions) {
    this.#queues = targets.map((target) => ({
      target,
      waiting: [],
      running: undefined,
    }));
    this.#on = new Set(options.on ?? DEFAULT_TRIGGERS);
    this.#log = options.log;
    this.#timings = {
      notifyPostMs: DEFAULT_TIMINGS.notifyPostMs,
      notifyRetries: DEFAULT_TIMINGS.notifyRetries,
      notifyBackoffMs: DEFAULT_TIMINGS.notifyBackoffMs,
      notifyExecMs: DEFAULT_TIMINGS.notifyExecMs,
      ...options.timings,
    };
    this.#maxQueue = options.maxQueue ?? 1_000;
  }

  /**
   * Hands an event over: queued for each target when it matches `on`;
   * returns at once.
   *
   * @param event the event
   * @returns what is delivered, or `undefined` when it does not match
   */
  push(event: AgentEvent): Notification | undefined {
    const trigger = triggerOf(event, this.#on);
    if (!trigger || this.#stopped.signal.aborted) return undefined;
    const { raw: _raw, ...rest } = event;
    const notification = {
      id: notificationId(event),
      trigger,
      ...rest,
    } as Notification;
    for (const queue of this.#queues) {
      if (queue.waiting.length >= this.#maxQueue) {
        const dropped = queue.waiting.shift()!;
        this.#log(
          `${describe(queue.target)}: too far behind, dropped ${dropped.id}`,
        );
      }
      queue.waiting.push(notification);
      queue.running ??= this.#run(queue);
    }
    return notification;
  }

  /** Resolves once every queued delivery is done (delivered or given up). */
  async drain(): Promise<void> {
    while (this.#queues.some((q) => q.running)) {
      await Promise.all(this.#queues.map((q) => q.running));
    }
  }

  /**
   * Stops: no new deliveries; the one under way gets no more tries, and
   * what waits is given up.
   */
  async stop(): Promise<void> {
    this.#stopped.abort();
    for (const queue of this.#queues) queue.waiting.length = 0;
    await this.drain();
  }

  async #run(queue: Queue): Promise<void> {
    try {
      while (queue.waiting.length > 0 && !this.#stopped.signal.aborted) {
        const next = queue.waiting.shift()!;
        try {
          await this.#deliver(queue.target, next);
        } catch (error) {
          this.#log(
            `${describe(queue.target)}: ${next.id}: ${
              (error as Error).message
            }`,
          );
        }
      }
    } finally {
      queue.running = undefined;
    }
  }

  async #deliver(target: NotifyTarget, n: Notification): Promise<void> {
    const body = JSON.stringify(n);
    const { notifyRetries, notifyBackoffMs } = this.#timings;
    for (let attempt = 0;; attempt++) {
      const failure = target.kind === "webhook"
        ? await this.#post(target.url, n.id, body)
        : target.kind === "exec"
        ? await this.#exec(["sh", "-c", target.command], n, body)
        : await this.#exec([target.bin, ...desktopArgs(n)], n, body);
      if (failure === undefined) return;
      const what = `${describe(target)}: ${n.id}: ${failure.message}`;
      if (!failure.retry || attempt >= notifyRetries) {
        this.#log(`${what}; given up`);
        return;
      }
      const pause = notifyBackoffMs * 2 ** attempt;
      this.#log(`${what}; again in ${pause / 1000} s`);
      if (await this.#pause(pause)) return;
    }
  }

  /** Waits `ms`; resolves `true` when the notifier stopped meanwhile. */
  #pause(ms: number): Promise<boolean> {
    const signal = this.#stopped.signal;
    if (signal.aborted) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve(signal.aborted);
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  /** One POST; a failure worth another try (network, timeout, 408, 429, 5xx) or not. */
  async #post(
    url: string,
    id: string,
    body: string,
  ): Promise<{ message: string; retry: boolean } | undefined> {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-aimax-event-id": id,
        },
        body,
        signal: AbortSignal.any([
          AbortSignal.timeout(this.#timings.notifyPostMs),
          this.#stopped.signal,
        ]),
      });
      await response.body?.cancel();
      if (response.ok) return undefined;
      const status = response.status;
      return {
        message: `answered HTTP ${status}`,
        retry: status >= 500 || status === 408 || status === 429,
      };
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      return {
        message: timedOut
          ? `no answer within ${this.#timings.notifyPostMs / 1000} s`
          : (error as Error).message.split("\n")[0],
        retry: true,
      };
    }
  }

  /** One run of the command; a failure (it could not start, exited non-zero, ran too long) is tried again. */
  async #exec(
    argv: readonly string[],
    n: Notification,
    body: string,
  ): Promise<{ message: string; retry: boolean } | undefined> {
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(argv[0], {
        args: argv.slice(1),
        stdin: "piped",
        stdout: "inherit",
        stderr: "inherit",
        env: eventEnv(n),
      }).spawn();
    } catch (error) {
      return { message: (error as Error).message, retry: false };
    }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }, this.#timings.notifyExecMs);
    try {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(body + "\n")).catch(() => {});
      await writer.close().catch(() => {});
      const status = await child.status;
      if (status.success) return undefined;
      return {
        message: status.signal === "SIGKILL"
          ? `ran longer than ${this.#timings.notifyExecMs / 1000} s`
          : `exited ${status.code}`,
        retry: true,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The environment variables `--exec`'s command gets besides aimax's own:
 * `AIMAX_EVENT` (the trigger), `AIMAX_EVENT_TYPE`, `AIMAX_EVENT_ID`,
 * `AIMAX_SESSION_ID`, `AIMAX_BACKEND`, `AIMAX_EVENT_AT`, and
 * `AIMAX_EVENT_TEXT` (what is asked, the answer) and `AIMAX_DIALOG_ID` when
 * the event has them.
 *
 * @example
 * ```ts
 * import { eventEnv } from "./notify.ts";
 * eventEnv({
 *   id: "b/s/turn_completed/9", trigger: "turn_completed", type: "turn_completed",
 *   text: "done", sessionId: "s", backend: "b", at: "t",
 * }).AIMAX_EVENT_TEXT; // "done"
 * ```
 * @param n the notification
 */
export function eventEnv(n: Notification): Record<string, string> {
  const text = "text" in n && typeof n.text === "string" ? n.text : undefined;
  const dialog = n.type === "awaiting_input" ? n.dialogInfo?.id : undefined;
  return {
    AIMAX_EVENT: n.trigger,
    AIMAX_EVENT_TYPE: n.type,
    AIMAX_EVENT_ID: n.id,
    AIMAX_SESSION_ID: n.sessionId,
    AIMAX_BACKEND: n.backend,
    AIMAX_EVENT_AT: n.at,
    ...(text === undefined ? {} : { AIMAX_EVENT_TEXT: text }),
    ...(dialog === undefined ? {} : { AIMAX_DIALOG_ID: dialog }),
  };
}

/**
 * `notify-send`'s arguments for a notification: a title naming the session
 * and what happened, and the text (what is asked, the answer) as its body.
 *
 * @example
 * ```ts
 * import { desktopArgs } from "./notify.ts";
 * desktopArgs({
 *   id: "x", trigger: "awaiting_input", type: "awaiting_input", text: "run ls?",
 *   sessionId: "demo", backend: "tmux-agent", at: "",
 * }); // ["--app-name=aimax", "aimax: demo waits on you", "run ls?"]
 * ```
 * @param n the notification
 */
export function desktopArgs(n: Notification): string[] {
  const what: Partial<Record<NotifyTrigger, string>> = {
    awaiting_input: "waits on you",
    turn_completed: "finished a turn",
    exited: "exited",
  };
  const text = "text" in n && typeof n.text === "string" ? n.text : "";
  return [
    "--app-name=aimax",
    `aimax: ${n.sessionId} ${what[n.trigger] ?? n.trigger}`,
    text.length > 300 ? `${text.slice(0, 300)}…` : text,
  ];
}

/**
 * The desktop as a target, once `notify-send` is found to run.
 *
 * @example
 * ```ts ignore
 * import { desktopTarget } from "./notify.ts";
 * const target = await desktopTarget();
 * ```
 * @param bin the program (default `notify-send`)
 * @throws {PreflightError} when it is not installed
 */
export async function desktopTarget(
  bin = "notify-send",
): Promise<NotifyTarget> {
  try {
    await new Deno.Command(bin, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new PreflightError(
      `--desktop needs ${bin}, which is not installed (Debian/Ubuntu: apt-get install libnotify-bin)`,
    );
  }
  return { kind: "desktop", bin };
}

/** A target in a log line (a URL without its query, which may hold a secret). */
function describe(target: NotifyTarget): string {
  if (target.kind === "exec") return "exec";
  if (target.kind === "desktop") return "desktop";
  try {
    const url = new URL(target.url);
    return `webhook ${url.origin}${url.pathname}`;
  } catch {
    return "webhook";
  }
}

/**
 * Checks a `--webhook` URL: `http:` or `https:`.
 *
 * @example
 * ```ts
 * import { webhookTarget } from "./notify.ts";
 * webhookTarget("https://hooks.example.com/x"); // { kind: "webhook", url: "https://hooks.example.com/x" }
 * ```
 * @param url the URL
 * @throws {UsageError} for anything else
 */
export function webhookTarget(url: string): NotifyTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--webhook takes an http(s) URL, got "${url}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UsageError(`--webhook takes an http(s) URL, got "${url}"`);
  }
  return { kind: "webhook", url: parsed.href };
}
