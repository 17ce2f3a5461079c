/** How the server maps what is thrown to a status and a JSON body. */
import assert from "node:assert/strict";
import { AgentScreenError, NoInputBoxError } from "../../lib/errors.ts";
import { httpErrorOf } from "../../lib/serve/http.ts";

Deno.test("serve http: an agent that shows no input box is a 409 no_input_box with the screen (nothing ran); other screen failures stay 500", () => {
  const report = httpErrorOf(
    new NoInputBoxError(
      "Claude Code shows no input box",
      "! \n  ! for shell mode",
    ),
  );
  assert.equal(report.status, 409);
  assert.deepEqual(report.body.error, {
    code: "no_input_box",
    message: "Claude Code shows no input box",
    screen: "! \n  ! for shell mode",
  });
  assert.ok(new NoInputBoxError("x", "y") instanceof AgentScreenError);
  assert.equal(
    httpErrorOf(new AgentScreenError("did not start", "")).status,
    500,
  );
});
