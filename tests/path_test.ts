/**
 * `lib/path.ts` gives `node:path`'s POSIX answers: every helper is checked
 * against `node:path` on hand-picked edge cases and on paths drawn from
 * segments that stress it (`.`, `..`, empty parts, repeated and trailing
 * slashes).
 */
import assert from "node:assert/strict";
import * as node from "node:path";
import * as own from "../lib/path.ts";

const EDGES = [
  "",
  "/",
  "//",
  "///",
  ".",
  "..",
  "./",
  "../",
  "/..",
  "/../a",
  "a/..",
  "a/../",
  "a/../..",
  "//a",
  "/a//b",
  "/a/b/",
  "a//b//",
  "./a/./b/.",
  "a/b/../../..",
  "/a/b/../../..",
  "file.txt",
  "dir/file.txt/",
  ".hidden",
  "a b/c d",
];

/** A small deterministic generator, so that a failure names its path. */
function* drawn(count: number): Generator<string> {
  const parts = ["", ".", "..", "a", "bc", "d.ts", "/", "//"];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < count; i++) {
    const length = next() % 7;
    let path = next() % 3 === 0 ? "/" : "";
    for (let j = 0; j < length; j++) {
      path += parts[next() % parts.length];
      if (next() % 2 === 0) path += "/";
    }
    yield path;
  }
}

const PATHS = [...EDGES, ...drawn(3000)];

Deno.test("path: normalize, isAbsolute, dirname and basename answer as node:path does", () => {
  for (const p of PATHS) {
    for (
      const name of ["normalize", "isAbsolute", "dirname", "basename"] as const
    ) {
      assert.equal(
        own[name](p),
        node.posix[name](p),
        `${name}(${JSON.stringify(p)})`,
      );
    }
  }
});

Deno.test("path: join, resolve and relative answer as node:path does", () => {
  const paths = [...PATHS];
  for (let i = 0; i < paths.length; i++) {
    const a = paths[i];
    const b = paths[(i * 7 + 3) % paths.length];
    const c = paths[(i * 13 + 5) % paths.length];
    const show = JSON.stringify([a, b, c]);
    assert.equal(own.join(a, b, c), node.posix.join(a, b, c), `join${show}`);
    assert.equal(own.join(a), node.posix.join(a), `join(${JSON.stringify(a)})`);
    assert.equal(own.resolve(a, b), node.posix.resolve(a, b), `resolve${show}`);
    assert.equal(
      own.resolve(a),
      node.posix.resolve(a),
      `resolve(${JSON.stringify(a)})`,
    );
    assert.equal(
      own.relative(a, b),
      node.posix.relative(a, b),
      `relative${show}`,
    );
  }
  assert.equal(own.join(), node.posix.join());
  assert.equal(own.resolve(), node.posix.resolve());
  assert.equal(own.delimiter, node.posix.delimiter);
});

Deno.test("path: lib/ takes its path helpers from lib/path.ts, never node:path", async () => {
  const offenders: string[] = [];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (entry.name.endsWith(".ts")) {
        const text = await Deno.readTextFile(url);
        if (/from "node:path"|import\("node:path"\)/.test(text)) {
          offenders.push(url.pathname);
        }
      }
    }
  };
  await walk(new URL("../lib/", import.meta.url));
  assert.deepEqual(offenders, []);
});
