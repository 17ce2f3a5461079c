/** The MCP server's time limits: one frozen object. */
import assert from "node:assert/strict";
import { MCP_TIMINGS } from "../../lib/mcp/timings.ts";

Deno.test("timings: a default wait ends before the 60 s clients give a call; frozen", () => {
  assert.ok(MCP_TIMINGS.waitDefaultMs < 60_000);
  assert.ok(MCP_TIMINGS.progressMs < MCP_TIMINGS.waitDefaultMs);
  assert.ok(MCP_TIMINGS.waitMaxMs >= MCP_TIMINGS.waitDefaultMs);
  assert.ok(Object.isFrozen(MCP_TIMINGS));
});
