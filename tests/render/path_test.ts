import assert from "node:assert/strict";
import { tildePath } from "../../lib/render/path.ts";

Deno.test("tildePath: the home directory becomes ~, only as a whole prefix", () => {
  const home = "/home/ada";
  assert.equal(tildePath("/home/ada/src/app", { home }), "~/src/app");
  assert.equal(tildePath("/home/ada", { home }), "~");
  assert.equal(tildePath("/home/ada2/x", { home }), "/home/ada2/x");
  assert.equal(tildePath("/tmp/x", { home: "/home/ada/" }), "/tmp/x");
  assert.equal(tildePath("/home/ada/x", { home: "/home/ada/" }), "~/x");
  assert.equal(tildePath("/home/ada/x", {}), "/home/ada/x");
});
