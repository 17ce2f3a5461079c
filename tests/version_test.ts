import assert from "node:assert/strict";
import { VERSION } from "../lib/version.ts";

Deno.test("version: lib/version.ts matches deno.json", async () => {
  const denoJson = JSON.parse(
    await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
  );
  assert.equal(VERSION, denoJson.version);
});
