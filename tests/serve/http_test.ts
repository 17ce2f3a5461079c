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

Deno.test("serve http: a file or system error is a 500 io_failed without the OS's own words (never 'Invalid argument (os error 22)' nor a path)", () => {
  for (
    const error of [
      new Error("Invalid argument (os error 22)"),
      new Deno.errors.NotFound(
        "No such file or directory (os error 2): open '/home/u/.x'",
      ),
      new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
    ]
  ) {
    const report = httpErrorOf(error);
    assert.equal(report.status, 500);
    assert.equal(report.body.error.code, "io_failed");
    assert.match(
      report.body.error.message,
      /^a file or system operation failed \(\w+\)$/,
    );
    assert.doesNotMatch(report.body.error.message, /os error|\/home/);
  }
  assert.equal(httpErrorOf(new Error("plain")).body.error.message, "plain");
});
