/**
 * `SessionBackend` is the whole surface: the type checker refuses a backend
 * that lacks one of its operations, and both real backends (tmux, remote)
 * have every operation and no other method.
 */
import assert from "node:assert/strict";
import type { AgentProfile } from "../../lib/agents/agent.ts";
import { TmuxAgentBackend } from "../../lib/backend/backend.ts";
import type { SessionBackend } from "../../lib/backend/contract.ts";
import { RemoteBackend } from "../../lib/remote/backend.ts";
import { methodsOf, SESSION_OPERATIONS } from "../support/operations.ts";

/** A remote-like backend with every operation but `sendKeys` (types only). */
abstract class AllButKeys {
  declare readonly name: string;
  declare readonly profile: AgentProfile;
  declare createNewSession: SessionBackend["createNewSession"];
  declare noPauseCurrentAndQueueQueryAtSession: SessionBackend[
    "noPauseCurrentAndQueueQueryAtSession"
  ];
  declare pauseCurrentAndResumeFromSession: SessionBackend[
    "pauseCurrentAndResumeFromSession"
  ];
  declare terminateSession: SessionBackend["terminateSession"];
  declare isAlive: SessionBackend["isAlive"];
  declare isWorking: SessionBackend["isWorking"];
  declare isJobGoalAccomplished: SessionBackend["isJobGoalAccomplished"];
  declare isFailed: SessionBackend["isFailed"];
  declare listSessions: SessionBackend["listSessions"];
  declare getHistory: SessionBackend["getHistory"];
  declare getAgentRawThoughtStream: SessionBackend["getAgentRawThoughtStream"];
  declare getState: SessionBackend["getState"];
  declare waitForTurn: SessionBackend["waitForTurn"];
  declare screen: SessionBackend["screen"];
  declare attachCommand: SessionBackend["attachCommand"];
  declare status: SessionBackend["status"];
  declare transcriptOf: SessionBackend["transcriptOf"];
  declare getEventStream: SessionBackend["getEventStream"];
}

// With `sendKeys` as well, it is a SessionBackend …
export abstract class WithKeys extends AllButKeys implements SessionBackend {
  declare sendKeys: SessionBackend["sendKeys"];
}

// … and without it the type checker refuses it (`deno task check` fails
// if this line ever compiles: the directive would be unused).
// @ts-expect-error: sendKeys is missing, so it does not implement SessionBackend
export abstract class WithoutKeys extends AllButKeys
  implements SessionBackend {}

Deno.test("contract: the tmux backend and the remote backend have every SessionBackend operation, and no other method", () => {
  for (const type of [TmuxAgentBackend, RemoteBackend]) {
    for (const op of SESSION_OPERATIONS) {
      assert.equal(
        typeof (type.prototype as unknown as Record<string, unknown>)[op],
        "function",
        `${type.name}.${op}`,
      );
    }
    assert.deepEqual(methodsOf(type), [...SESSION_OPERATIONS], type.name);
  }
});
