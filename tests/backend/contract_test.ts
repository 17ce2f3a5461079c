/**
 * `SessionBackend` is the whole surface: the type checker refuses a backend
 * that lacks one of its operations, both real backends (tmux, remote) have
 * every operation and no other method, and the CLI and the server call the
 * interface, not a backend class.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { AgentProfile } from "../../lib/agents/agent.ts";
import { TmuxAgentBackend } from "../../lib/backend/backend.ts";
import type { SessionBackend } from "../../lib/backend/contract.ts";
import { RemoteBackend } from "../../lib/remote/backend.ts";
import { methodsOf, SESSION_OPERATIONS } from "../support/operations.ts";
import { ROOT } from "../support/world.ts";

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
  declare diff: SessionBackend["diff"];
  declare merge: SessionBackend["merge"];
  declare revive: SessionBackend["revive"];
  declare approve: SessionBackend["approve"];
  declare deny: SessionBackend["deny"];
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

Deno.test("contract: the CLI and the server name no backend class but where the CLI makes a remote one; they call SessionBackend", async () => {
  const found: string[] = [];
  for (const dir of ["lib/cli", "lib/serve"]) {
    for await (const entry of Deno.readDir(join(ROOT, dir))) {
      if (!entry.name.endsWith(".ts")) continue;
      const path = `${dir}/${entry.name}`;
      const lines = (await Deno.readTextFile(join(ROOT, path))).split("\n");
      lines.forEach((line, i) => {
        if (/^\s*(?:\*|\/\/|\/\*)/.test(line)) return; // a comment
        const named = /TmuxAgentBackend|backend\/backend\.ts/.test(line) ||
          (/\bRemoteBackend\b/.test(line) && path !== "lib/cli/backend_for.ts");
        if (named) found.push(`${path}:${i + 1}: ${line.trim()}`);
      });
    }
  }
  assert.deepEqual(found, []);
});
