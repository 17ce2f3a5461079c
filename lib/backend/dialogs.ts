/**
 * Dialogs with an identity, and answers bound to them.
 *
 * A dialog's id is the first bytes of the hash of its text and the time it
 * was first seen (`3f9a1c0e.mi4x2k1a`): stable while that dialog is up, a
 * new one for the next dialog even with the same text. aimax keeps, per
 * session, the dialog it saw last (a file named by its text's hash, made
 * once with a hard link, so two processes that see it first at the same
 * time agree on one id); a look that shows no dialog, or another one,
 * forgets it, and so does an answer that saw its dialog close. A dialog
 * that closed and came back with the same text between two looks of any
 * aimax process (a person answering in the window itself) keeps its id:
 * every follower (`events`, `notify`, `serve`) looks once a second.
 *
 * The process that gives a dialog that waits on a person its id publishes
 * it (the session's observations file, `lib/signals/observations.ts`):
 * whichever aimax process sees a dialog first, the followers tell it once.
 *
 * `approve` and `deny` read the dialog under the session's lock, check it is
 * the one named, press the keys of the choice the agent offers and confirm
 * it closed; a different dialog or none is refused (`dialog_changed`, with
 * the screen), nothing pressed. An agent that ignores keys for a while
 * after it drew a dialog (its profile's `dialogInputGuardMs`) is answered
 * only once the dialog has been up that long since it was first seen, read
 * again and found still the same.
 *
 * @module
 */
import { join } from "../path.ts";
import { AgentScreenError, type AimaxError, InputError } from "../errors.ts";
import { hexDigest } from "../hash.ts";
import { pollUntil, sleep } from "../poll.ts";
import { PRIVATE_DIR_MODE } from "../private.ts";
import type { SessionRecord } from "../state.ts";
import type { ChoiceKind, DialogChoice, PaneState } from "../signals/screen.ts";
import { signalFiles } from "../signals/files.ts";
import { publishObservation } from "../signals/observations.ts";
import { deriveState, type DialogInfo } from "../signals/session_state.ts";
import type { BackendContext } from "./context.ts";
import type { DialogAnswer } from "./contract.ts";
import { paneOf } from "./context.ts";
import { type PaneView, sessionDead } from "./pane.ts";

export type { DialogInfo };

/** A pane reading that shows a dialog. */
type DialogState = Extract<PaneState, { kind: "dialog" }>;

/**
 * The folder that remembers a session's dialog.
 *
 * @param ctx the backend
 * @param sessionId session id
 */
function dialogDir(ctx: BackendContext, sessionId: string): string {
  return join(ctx.config.dataDir, "dialogs", `${ctx.name}.${sessionId}`);
}

/**
 * The id of the dialog a pane shows now: the one remembered for its text,
 * or a new one (remembered, the others forgotten); `first` when this call
 * gave it (one caller among all processes does).
 *
 * @param ctx the backend
 * @param sessionId session id
 * @param text the dialog's text
 */
async function dialogIdOf(
  ctx: BackendContext,
  sessionId: string,
  text: string,
): Promise<{ id: string; first: boolean }> {
  const dir = dialogDir(ctx, sessionId);
  const hash = await hexDigest(sameDialog(text), { bytes: 4 });
  const path = join(dir, hash);
  const id = `${hash}.${Date.now().toString(36)}`;
  // A look that saw the box meanwhile may remove the folder: try again.
  for (let attempt = 0;; attempt++) {
    const known = await Deno.readTextFile(path).catch(() => undefined);
    if (known) return { id: known, first: false };
    try {
      await Deno.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      await forgetOthers(dir, hash);
      return await remember(dir, hash, id);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || attempt >= 3) throw error;
    }
  }
}

/** Forgets the dialogs other than the one of text hash `hash`. */
async function forgetOthers(dir: string, hash: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name === hash || entry.name.startsWith(`.${hash}.`)) continue;
    await Deno.remove(join(dir, entry.name)).catch(() => {});
  }
}

/**
 * Remembers `id` for the dialog of text hash `hash`, unless another process
 * did first (a hard link made once): the id that holds, and whether it is
 * this call's.
 */
async function remember(dir: string, hash: string, id: string) {
  const path = join(dir, hash);
  const tmp = join(dir, `.${hash}.${crypto.randomUUID()}`);
  await Deno.writeTextFile(tmp, id, { mode: 0o600 });
  try {
    await Deno.link(tmp, path);
    return { id, first: true };
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    return { id: await Deno.readTextFile(path), first: false };
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}

/**
 * A dialog's text as its identity: without the mark of the selected
 * choice (whatever stands before a numbered choice, `❯ 1.`, `› 2.`), so
 * that moving the selection is not another dialog; and without what
 * stands far right of its last line, the key hints (a status the TUI draws
 * at the screen's edge and takes away again, such as `⚠ 1 warning · f2 to
 * view`), so that one dialog keeps one id while the status comes and goes.
 *
 * @example
 * ```ts
 * import { sameDialog } from "./dialogs.ts";
 * sameDialog("Run ls?\n❯ 1. Yes\n2. No") === sameDialog("Run ls?\n1. Yes\n❯ 2. No"); // true
 * sameDialog("Run ls?\nesc to cancel") === sameDialog("Run ls?\nesc to cancel" + " ".repeat(40) + "⚠ 1 warning"); // true
 * ```
 * @param text a dialog's text, as the screen readers report it
 */
export function sameDialog(text: string): string {
  return text.replace(/^[^\s\d][^\s]*[ \t]+(?=\d+\.[ \t])/gm, "")
    .replace(/[ \t]{8,}\S[^\n]*$/, "");
}

/**
 * Forgets the session's dialog: the next one gets a new id.
 *
 * @param ctx the backend
 * @param sessionId session id
 */
export async function forgetDialog(
  ctx: BackendContext,
  sessionId: string,
): Promise<void> {
  const dir = dialogDir(ctx, sessionId);
  try {
    // Most looks find no dialog and nothing to forget: one quick check, not
    // a removal that fails (every session's status makes this call).
    Deno.lstatSync(dir);
  } catch {
    return;
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}

/**
 * What a dialog is, with its id, from a pane reading that shows one (and
 * remembers it); `undefined` (and forgets the last one) when the pane shows
 * no dialog. Every look of every aimax process at a dialog comes here:
 * the one that gives a dialog that waits on a person its id publishes it
 * to the session's observations file, which the followers (`events`,
 * `notify`, `serve`) tail, so a dialog answered before their next look is
 * still told, once.
 *
 * @example
 * ```ts ignore
 * import { dialogInfoOf } from "./dialogs.ts";
 * const info = await dialogInfoOf(ctx, "demo-1", view.state);
 * console.log(info?.id, info?.choices.map((c) => c.label));
 * ```
 * @param ctx the backend
 * @param sessionId session id
 * @param state the profile's reading of the screen
 */
export async function dialogInfoOf(
  ctx: BackendContext,
  sessionId: string,
  state: PaneState,
): Promise<DialogInfo | undefined> {
  if (state.kind !== "dialog") {
    await forgetDialog(ctx, sessionId);
    return undefined;
  }
  const { id, first } = await dialogIdOf(ctx, sessionId, state.text);
  const info: DialogInfo = {
    id,
    purpose: state.purpose,
    ...(state.asks ? { asks: state.asks } : {}),
    choices: state.choices ?? [],
  };
  if (first) await publish(ctx, sessionId, state, info);
  return info;
}

/**
 * Publishes a dialog just given its id, when it is one that waits on a
 * person (the state it makes, as `deriveState` reads it; the folder-trust
 * dialog is start-up). A failure to write loses only the publication,
 * never the caller's look.
 */
async function publish(
  ctx: BackendContext,
  sessionId: string,
  state: DialogState,
  info: DialogInfo,
): Promise<void> {
  const now = Date.now();
  const reading = deriveState({
    alive: true,
    pane: state,
    working: false,
    now,
  });
  if (reading.state !== "awaiting_input") return;
  const { observed } = signalFiles(ctx.config.dataDir, {
    backend: ctx.name,
    sessionId,
  });
  await publishObservation(observed, {
    at: now,
    state: reading.state,
    reason: reading.reason,
    dialog: reading.dialog ?? state.text,
    dialogInfo: info,
  }, { lockTimeoutMs: ctx.timings.lockTimeoutMs }).catch(() => {});
}

/**
 * Options of an answer ({@linkcode answerDialog}).
 *
 * @example
 * ```ts
 * import type { AnswerRequest } from "./dialogs.ts";
 * const request: AnswerRequest = { kind: "yes", dialog: "3f9a1c0e.mi4x2k1a" };
 * ```
 */
export interface AnswerRequest {
  /** The choice to pick: `yes`, `always` or `no`. */
  kind: Exclude<ChoiceKind, "other">;
  /** The dialog's id; without it, the dialog up now. */
  dialog?: string;
  /** Stops the call before anything is pressed. */
  signal?: AbortSignal;
}

/**
 * The refusal of an answer whose dialog is not up: code `dialog_changed`,
 * with the screen; nothing was pressed.
 */
function changed(message: string, view: PaneView): AimaxError {
  return new AgentScreenError(
    `${message}; nothing was pressed`,
    view.screen,
    { code: "dialog_changed" },
  );
}

/** A dialog up, read from a look, and the choice of the kind asked. */
interface DialogUp {
  /** The look's reading. */
  state: DialogState;
  /** The dialog, with its id. */
  info: DialogInfo;
  /** The choice to press. */
  choice: DialogChoice;
}

/**
 * The dialog a look shows, checked against an answer's request: it is up,
 * it is the one named, it offers a choice of the kind asked.
 *
 * @throws {AimaxError} as {@linkcode answerDialog} does
 */
async function dialogUp(
  ctx: BackendContext,
  record: SessionRecord,
  view: PaneView,
  request: Pick<AnswerRequest, "kind" | "dialog">,
): Promise<DialogUp> {
  const { sessionId } = record;
  if (!view.alive) {
    throw sessionDead(ctx.profile, sessionId, {
      message: `${ctx.profile.label} in session "${sessionId}" is not running`,
    });
  }
  if (view.state.kind !== "dialog") {
    throw changed(
      request.dialog
        ? `dialog ${request.dialog} of session "${sessionId}" is no longer up (no dialog is)`
        : `session "${sessionId}" shows no dialog`,
      view,
    );
  }
  const state: DialogState = view.state;
  const info = (await dialogInfoOf(ctx, sessionId, state))!;
  if (request.dialog !== undefined && request.dialog !== info.id) {
    throw changed(
      `dialog ${request.dialog} of session "${sessionId}" is no longer up (dialog ${info.id} is)`,
      view,
    );
  }
  const choice = pick(info.choices, request.kind);
  if (!choice) {
    throw new InputError(
      `dialog ${info.id} of session "${sessionId}" offers no ${request.kind} choice (${
        info.choices.map((c) => `"${c.label}"`).join(", ") || "none read"
      }); answer it with \`aimax keys\``,
    );
  }
  return { state, info, choice };
}

/**
 * How long the agent may still ignore keys at dialog `id`: its profile's
 * `dialogInputGuardMs` (and the margin) from when the id was given, which
 * is the dialog's first look by any aimax process (the id's second part,
 * in base 36); 0 when that has passed or the agent has no such guard.
 */
function guardLeftMs(ctx: BackendContext, id: string): number {
  const guard = ctx.profile.dialogInputGuardMs ?? 0;
  if (guard <= 0) return 0;
  const given = Number.parseInt(id.slice(id.indexOf(".") + 1), 36);
  const since = Number.isFinite(given) ? given : Date.now();
  const left = since + guard + ctx.timings.inputGuardMarginMs - Date.now();
  return Math.min(Math.max(left, 0), guard + ctx.timings.inputGuardMarginMs);
}

/**
 * Answers the dialog a session shows, under the session's lock (the
 * caller holds it): reads it, checks it is the one named (when the agent
 * ignores keys just after drawing a dialog: waits until it has been up
 * that long, and reads and checks it again), presses the keys of the
 * agent's choice of that kind, and waits until it closed.
 *
 * @param ctx the backend
 * @param record the session
 * @param request which choice, which dialog
 * @returns what was answered
 * @throws {AimaxError} `dialog_changed` when no dialog, or another one, is
 *   up (nothing pressed); `invalid_input` when the dialog offers no such
 *   choice; `agent_screen` when it did not close
 */
export async function answerDialog(
  ctx: BackendContext,
  record: SessionRecord,
  request: AnswerRequest,
): Promise<DialogAnswer> {
  const { sessionId } = record;
  const pane = paneOf(ctx, record);
  request.signal?.throwIfAborted();
  let view = await pane.view();
  let up = await dialogUp(ctx, record, view, request);
  // An agent that ignores keys for a while after it drew a dialog is given
  // that long from when this dialog was first seen; then it is read again,
  // and the keys go only to the same dialog, as read now.
  const guardLeft = guardLeftMs(ctx, up.info.id);
  if (guardLeft > 0) {
    await sleep(guardLeft, request.signal);
    view = await pane.view();
    up = await dialogUp(ctx, record, view, {
      kind: request.kind,
      dialog: up.info.id,
    });
  }
  const { state, info, choice } = up;
  await pane.press(choice.keys, view, { signal: request.signal });
  // Closed: no dialog, or another one (not this one with its selection
  // moved, a step of the keys that pick a later choice).
  let after = view;
  const closed = await pollUntil(async () => {
    after = await pane.view();
    return !after.alive || after.state.kind !== "dialog" ||
      sameDialog(after.state.text) !== sameDialog(state.text);
  }, {
    timeoutMs: ctx.timings.keysTakenMs,
    intervalMs: ctx.timings.pollMs,
  });
  // Keys were pressed for this dialog: whatever is up now (the next dialog,
  // even with the same text, or this one if the keys were not taken) gets a
  // new id, so an answer meant for this one never lands on another.
  await forgetDialog(ctx, sessionId);
  if (closed.timedOut) {
    throw new AgentScreenError(
      `${ctx.profile.label} did not close dialog ${info.id} after ${
        choice.keys.join(" ")
      } (pressed for "${choice.label}")`,
      after.screen,
    );
  }
  return {
    sessionId,
    dialogId: info.id,
    purpose: info.purpose,
    ...(info.asks ? { asks: info.asks } : {}),
    choice: choice.label,
    kind: choice.kind,
  };
}

/**
 * The choice of `kind` a dialog offers: `always` falls back to nothing
 * (never to a plain yes), `yes` and `no` to the first of their kind.
 */
function pick(
  choices: readonly DialogChoice[],
  kind: AnswerRequest["kind"],
): DialogChoice | undefined {
  return choices.find((c) => c.kind === kind && c.keys.length > 0);
}
