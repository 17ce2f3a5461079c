/**
 * Session-level calls that find the backend themselves: a session id names
 * one session when only one backend has it (`backend` otherwise).
 *
 * @module
 */
import type { TmuxAgentBackend } from "./backend/backend.ts";
import type { TurnOutcome, WaitOptions } from "./backend/contract.ts";
import { getConfig } from "./config.ts";
import { InputError, SessionNotFoundError } from "./errors.ts";
import { validateSessionId } from "./inputs.ts";
import { get } from "./registry.ts";
import type { StateReading } from "./signals/session_state.ts";
import { StateStore } from "./state.ts";

/**
 * The name of the one backend that has a session `sessionId` (the one home
 * of this lookup: the library, the server and the CLI use it).
 *
 * @example
 * ```ts
 * import { ownerOf } from "./sessions.ts";
 * const name = await ownerOf("demo-1"); // e.g. "tmux-<agent>"
 * ```
 * @param sessionId a valid session id
 * @param options `ambiguous`: the error for an id that several backends
 *   have, given their names (default: an {@linkcode InputError} asking
 *   for the backend)
 * @throws {SessionNotFoundError} when no backend has it
 */
export async function ownerOf(
  sessionId: string,
  options: { ambiguous?: (owners: readonly string[]) => Error } = {},
): Promise<string> {
  const store = new StateStore(getConfig().dataDir);
  let owners = (await store.list())
    .filter((r) => r.sessionId === sessionId).map((r) => r.backend);
  if (owners.length === 0) {
    // A stopped session whose worktree was kept is still found (its diff,
    // its merge, its removal).
    owners = [
      ...new Set(
        (await store.archived()).filter((r) =>
          r.sessionId === sessionId && r.worktree
        ).map((r) => r.backend),
      ),
    ];
  }
  if (owners.length === 1) return owners[0];
  if (owners.length === 0) {
    throw new SessionNotFoundError(undefined, sessionId);
  }
  if (options.ambiguous) throw options.ambiguous(owners);
  throw new InputError(
    `session "${sessionId}" exists in ${
      owners.join(" and ")
    }: name the backend`,
  );
}

/**
 * The backend that owns session `sessionId`.
 *
 * @example
 * ```ts
 * import { backendOf } from "@aimax/cli";
 * const backend = await backendOf("demo-1");
 * ```
 * @param sessionId session id
 * @param options `backend` when both backends have a session of that id
 */
export async function backendOf(
  sessionId: string,
  options: { backend?: string } = {},
): Promise<TmuxAgentBackend> {
  validateSessionId(sessionId);
  if (options.backend) return get(options.backend);
  return get(await ownerOf(sessionId));
}

/**
 * The session's state now and why.
 *
 * @example
 * ```ts
 * import { getState } from "@aimax/cli";
 * const { state, dialog } = await getState("demo-1");
 * if (state === "awaiting_input") console.log(dialog);
 * ```
 * @param sessionId session id
 * @param options `backend` when the id is ambiguous
 */
export async function getState(
  sessionId: string,
  options: { backend?: string } = {},
): Promise<StateReading> {
  return await (await backendOf(sessionId, options)).getState(sessionId);
}

/**
 * Waits until the session's current turn ends (see
 * `TmuxAgentBackend.waitForTurn`).
 *
 * @example
 * ```ts
 * import { waitForTurn } from "@aimax/cli";
 * const turn = await waitForTurn("demo-1", { timeoutMs: 120_000 });
 * if (turn.outcome === "completed") console.log(turn.text);
 * ```
 * @param sessionId session id
 * @param options time limit, abort signal, `since`, `backend`
 */
export async function waitForTurn(
  sessionId: string,
  options: WaitOptions & { backend?: string } = {},
): Promise<TurnOutcome> {
  return await (await backendOf(sessionId, options)).waitForTurn(
    sessionId,
    options,
  );
}
