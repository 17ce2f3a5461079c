/**
 * Every operation of `SessionBackend`, written out: the type checker
 * refuses this object when the interface gains or loses one, so a test
 * that walks it walks the interface.
 *
 * @module
 */
import type { SessionOperation } from "../../lib/backend/contract.ts";

const EVERY: Record<SessionOperation, true> = {
  createNewSession: true,
  noPauseCurrentAndQueueQueryAtSession: true,
  pauseCurrentAndResumeFromSession: true,
  terminateSession: true,
  isAlive: true,
  isWorking: true,
  isJobGoalAccomplished: true,
  isFailed: true,
  listSessions: true,
  getHistory: true,
  getAgentRawThoughtStream: true,
  getState: true,
  waitForTurn: true,
  screen: true,
  sendKeys: true,
  attachCommand: true,
  status: true,
  transcriptOf: true,
  getEventStream: true,
  diff: true,
  merge: true,
  revive: true,
  approve: true,
  deny: true,
};

/** The names of `SessionBackend`'s operations, sorted. */
export const SESSION_OPERATIONS: readonly SessionOperation[] = (Object.keys(
  EVERY,
) as SessionOperation[]).sort();

/**
 * The methods a class's instances have: its prototype's functions (not
 * the constructor, not getters such as `name`), sorted. Private `#`
 * methods are not on the prototype.
 *
 * @param type the class
 */
export function methodsOf(type: { prototype: object }): string[] {
  return Object.getOwnPropertyNames(type.prototype)
    .filter((name) => name !== "constructor")
    .filter((name) => {
      const d = Object.getOwnPropertyDescriptor(type.prototype, name)!;
      return typeof d.value === "function";
    })
    .sort();
}
