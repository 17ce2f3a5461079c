/**
 * `aimax send` and `aimax pause`: deliver a prompt to a running session,
 * queued behind the running turn (`send`) or after interrupting it
 * (`pause`). One file: they take the same options and print the same result.
 *
 * @module
 */
import {
  type CommandContext,
  COMMON_HELP,
  defineCommand,
  EXIT,
} from "./command.ts";
import {
  BACKEND_OPTION,
  backendFor,
  FLAG_ROOT_OPTION,
  need,
  PROMPT_OPTIONS,
  promptOf,
  SESSION_OPTION,
} from "./shared.ts";

const OPTIONS = {
  ...BACKEND_OPTION,
  ...SESSION_OPTION,
  ...PROMPT_OPTIONS,
  ...FLAG_ROOT_OPTION,
} as const;

async function deliver(
  ctx: CommandContext<typeof OPTIONS>,
  interrupt: boolean,
): Promise<number> {
  const { values, io, emit } = ctx;
  const sessionId = need(values, "session");
  const backend = await backendFor(values);
  const options = {
    sessionId,
    prompt: await promptOf(values, io),
    flagRoot: values["flag-root"],
  };
  const result = interrupt
    ? await backend.pauseCurrentAndResumeFromSession(options)
    : await backend.noPauseCurrentAndQueueQueryAtSession(options);
  emit({ ...result, sent: true }, () => {
    io.out(
      `sent to ${result.sessionId}${
        result.queued ? " (queued behind the running turn)" : ""
      }${
        result.resubmitted > 0
          ? ` (then ${result.resubmitted} queued follow-up${
            result.resubmitted === 1 ? "" : "s"
          } again)`
          : ""
      }`,
    );
    if (result.delivery === "unconfirmed") {
      io.err(
        "aimax: unconfirmed: the prompt left the input box but is not in the transcript yet; running.flag is kept",
      );
    }
  });
  return EXIT.ok;
}

/**
 * `aimax send [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)`.
 *
 * @example
 * ```ts
 * import { send } from "./send.ts";
 * console.log(send.help);
 * ```
 */
export const send = defineCommand({
  name: "send",
  summary: "send a prompt; queued if the agent is working",
  help:
    `Usage: aimax send [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)

Sends without interrupting: queued while the agent works. Refuses (exit 5,
with the dialog's text) while the agent shows a dialog such as a permission
request: nothing is typed into it. "unconfirmed" on success means the prompt
left the input box but is not in the transcript yet (not a failure).
  -b, --backend NAME     (inferred from the session id when omitted)
  -s, --session ID
  -p, --prompt TEXT | --prompt-file FILE | piped stdin
      --flag-root DIR    new anchor of .imac/flags
${COMMON_HELP}`,
  options: OPTIONS,
  run: (ctx) => deliver(ctx, false),
});

/**
 * `aimax pause [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)`.
 *
 * @example
 * ```ts
 * import { pause } from "./send.ts";
 * console.log(pause.help);
 * ```
 */
export const pause = defineCommand({
  name: "pause",
  summary: "interrupt the running turn, then send a prompt",
  help:
    `Usage: aimax pause [-b BACKEND] -s ID (-p TEXT | --prompt-file F | stdin)

Interrupts the running turn (Escape), waits for it to stop, then sends.
Follow-ups queued with \`send\` before it, which the interrupt took back, are
sent again after it, in order. Refuses (exit 5) while a dialog is up.
${COMMON_HELP}`,
  options: OPTIONS,
  run: (ctx) => deliver(ctx, true),
});
