/**
 * `aimax approve` and `aimax deny`: answer the dialog a session shows,
 * bound to the dialog a person read (`--dialog ID`).
 *
 * @module
 */
import type { DialogAnswer } from "../backend/contract.ts";
import { type CommandContext, EXIT } from "./command.ts";
import type { APPROVE_OPTIONS, DENY_OPTIONS } from "./options.ts";
import { backendFor } from "./backend_for.ts";
import { need } from "./shared.ts";

/** One line saying what was answered. */
function answered(verb: string, answer: DialogAnswer): string {
  const about = answer.asks ? ` (${answer.asks.split("\n")[0]})` : "";
  return `${verb} dialog ${answer.dialogId} of ${answer.sessionId}${about}: "${answer.choice}"`;
}

/**
 * Runs `aimax approve [-b BACKEND] -s ID [--dialog DIALOG] [--always]`.
 *
 * @example
 * ```ts ignore
 * import { approve } from "./answer.ts";
 * const code = await approve(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function approve(
  { values, io, emit }: CommandContext<typeof APPROVE_OPTIONS>,
): Promise<number> {
  const sessionId = need(values, "session");
  const backend = await backendFor(values);
  const answer = await backend.approve(sessionId, {
    dialog: values.dialog,
    always: values.always,
  });
  emit(answer, () => io.out(answered("approved", answer)));
  return EXIT.ok;
}

/**
 * Runs `aimax deny [-b BACKEND] -s ID [--dialog DIALOG] [--reason TEXT]`.
 *
 * @example
 * ```ts ignore
 * import { deny } from "./answer.ts";
 * const code = await deny(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function deny(
  { values, io, emit }: CommandContext<typeof DENY_OPTIONS>,
): Promise<number> {
  const sessionId = need(values, "session");
  const backend = await backendFor(values);
  const answer = await backend.deny(sessionId, {
    dialog: values.dialog,
    reason: values.reason,
  });
  emit(answer, () => io.out(answered("denied", answer)));
  return EXIT.ok;
}
