import assert from "node:assert/strict";
import {
  cut,
  displayWidth,
  oneLine,
  renderTable,
} from "../../lib/render/table.ts";
import { assertSnapshot } from "../support/snapshot.ts";

const COLUMNS = [
  { header: "NAME" },
  { header: "STATE" },
  { header: "PATH", shrink: true },
];
const ROWS = [
  ["a", { text: "working", style: "yellow" as const }, "/short"],
  ["longer-name", "idle", "/a/very/long/path/that/goes/on/and/on/forever"],
];

Deno.test("table: aligned under a header, no trailing spaces", async () => {
  const lines = renderTable(COLUMNS, ROWS);
  for (const line of lines) assert.equal(line, line.trimEnd());
  await assertSnapshot("table_plain", lines);
});

Deno.test("table: cut with … to the width, the shrinkable column only", async () => {
  const lines = renderTable(COLUMNS, ROWS, { width: 40 });
  for (const line of lines) assert.ok(displayWidth(line) <= 40, line);
  assert.match(lines[2], /…$/);
  assert.equal(
    renderTable(COLUMNS, ROWS, { width: 40, wide: true })[2],
    renderTable(COLUMNS, ROWS)[2],
  );
  await assertSnapshot("table_cut_40", lines);
});

Deno.test("table: colour only on styled cells and only when on; padding outside", () => {
  const [, row] = renderTable(COLUMNS, ROWS, { color: true });
  assert.ok(row.includes("\x1b[33mworking\x1b[0m  "), JSON.stringify(row));
  assert.ok(
    !renderTable(COLUMNS, ROWS, { color: false }).join("").includes("\x1b"),
  );
});

Deno.test("table: a column too narrow to cut further lets the line run over", () => {
  const lines = renderTable(COLUMNS, ROWS, { width: 10 });
  assert.ok(lines[2].startsWith("longer-name  idle     /a/…"), lines[2]);
});

Deno.test("cut, displayWidth, oneLine", () => {
  assert.equal(cut("abcdef", 4), "abc…");
  assert.equal(cut("abc", 3), "abc");
  assert.equal(displayWidth("日本"), 4);
  assert.equal(cut("日本語", 4), "日…");
  assert.equal(oneLine("a\n\tb\x1b[31m"), "a b?[31m");
});
