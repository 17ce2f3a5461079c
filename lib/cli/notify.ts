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
import { type CommandContext, EXIT } from "./command.ts";
import { followUntilSignal, subscribeFor } from "./events.ts";
import type { NOTIFY_OPTIONS } from "./options.ts";
import { need } from "./shared.ts";

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
  const targets: NotifyTarget[] = [
    ...(values.exec ?? []).map((command): NotifyTarget => {
      if (command.trim() === "") throw new UsageError("--exec takes a command");
      return { kind: "exec", command };
    }),
    ...(values.webhook ?? []).map(webhookTarget),
    ...(values.desktop ? [await desktopTarget()] : []),
  ];
  if (targets.length === 0) {
    throw new UsageError(
      "say where to deliver: --exec CMD, --webhook URL or --desktop",
    );
  }
  const on = values.on === undefined ? undefined : parseTriggers(values.on);
  const notifier = new Notifier(targets, {
    on,
    log: (line) => io.err(`aimax notify: ${terminalText(line)}`),
  });
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
