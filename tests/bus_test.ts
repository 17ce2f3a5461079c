import assert from "node:assert/strict";
import { EventBus } from "../lib/bus.ts";

Deno.test("bus: fans out in order; a throwing listener does not stop others", () => {
  const errors: unknown[] = [];
  const bus = new EventBus<number>((e) => errors.push(e));
  const seen: string[] = [];
  bus.subscribe((v) => seen.push(`a${v}`));
  bus.subscribe(() => {
    throw new Error("boom");
  });
  const off = bus.subscribe((v) => seen.push(`c${v}`));
  bus.publish(1);
  off();
  bus.publish(2);
  assert.deepEqual(seen, ["a1", "c1", "a2"]);
  assert.equal(errors.length, 2);
  assert.equal(bus.size, 2);
});
