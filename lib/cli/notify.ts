/**
 * `aimax notify`: follows every session's events (or one session's) and
 * delivers those asked for to a command or a webhook.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { validateSessionId } from "../inputs.ts";
import {
  desktopTarget,
  Notifier,
  type NotifyTarget,
  parseTriggers,
  webhookTarget,
} from "../notify/notify.ts";
import { get } from "../registry.ts";
import type { AgentEvent } from "../signals/events.ts";
import { jsonLine, terminalText } from "../terminal.ts";
import { type CliIo, type CommandContext, EXIT } from "./command.ts";
import { followUntilSignal, subscribeFor } from "./events.ts";
import type { NOTIFY_OPTIONS } from "./options.ts";
import { need } from "./shared.ts";

/**
 * The notifier a command line asks for with `--exec`, `--webhook`,
 * `--desktop` and `--on` (what `notify` and `serve --notify` share), its
 * failures reported on stderr after `prefix`; `undefined` when it names
 * no target.
 *
 * @example
 * ```ts ignore
 * import { notifierFrom } from "./notify.ts";
 * const notifier = await notifierFrom(values, { io, prefix: "aimax notify" });
 * ```
 * @param values the command's `--on`, `--exec`, `--webhook`, `--desktop`
 * @param options where failures go, and the name they are reported under
 * @throws {UsageError} an empty command, a URL that is not http(s), an
 * unknown `--on` name
 * @throws {PreflightError} `--desktop` without `notify-send`
 */
export async function notifierFrom(
  values: {
    on?: string;
    exec?: string[];
    webhook?: string[];
    desktop?: boolean;
  },
  options: { io: CliIo; prefix: string },
): Promise<Notifier | undefined> {
  const targets: NotifyTarget[] = [
    ...(values.exec ?? []).map((command): NotifyTarget => {
      if (command.trim() === "") throw new UsageError("--exec takes a command");
      return { kind: "exec", command };
    }),
    ...(values.webhook ?? []).map(webhookTarget),
    ...(values.desktop ? [await desktopTarget()] : []),
  ];
  const on = values.on === undefined ? undefined : parseTriggers(values.on);
  if (targets.length === 0) return undefined;
  return new Notifier(targets, {
    on,
    log: (line) => options.io.err(`${options.prefix}: ${terminalText(line)}`),
  });
}

/** What a command says when it is given nowhere to deliver. */
export const NO_TARGET =
  "say where to deliver: --exec CMD, --webhook URL or --desktop";

/**
 * Runs `aimax notify [--on EVENTS] [-b BACKEND] [-s ID] (--exec CMD | --webhook URL | --desktop)…`.
 *
 * @example
 * ```ts ignore
 * import { notify } from "./notify.ts";
 * const code = await notify(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function notify(
  { values, io, json }: CommandContext<typeof NOTIFY_OPTIONS>,
): Promise<number> {
  if (values.backend) get(values.backend); // an unknown name: exit 2
  const sessionId = values.session?.length
    ? validateSessionId(need(values, "session"))
    : undefined;
  const notifier = await notifierFrom(values, { io, prefix: "aimax notify" });
  if (!notifier) throw new UsageError(NO_TARGET);
  const listener = (event: AgentEvent) => {
    const queued = notifier.push(event);
    if (!queued) return;
    const { id, trigger } = queued;
    io.out(
      json
        ? jsonLine({ id, trigger, sessionId: event.sessionId })
        : `${trigger} ${terminalText(event.sessionId)} (${terminalText(id)})`,
    );
  };
  try {
    await followUntilSignal(io, async (handlers) => {
      const stop = await subscribeFor(values, {
        sessionId,
        listener,
        handlers,
      });
      io.err("notifying; Ctrl-C to stop");
      return stop;
    });
  } finally {
    await notifier.stop();
  }
  return EXIT.ok;
}
