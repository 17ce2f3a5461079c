import assert from "node:assert/strict";
import { join } from "node:path";
import { LineSplitter, parseJsonlLine } from "../lib/jsonl/lines.ts";
import { readJsonl } from "../lib/jsonl/reader.ts";
import { mulberry32 } from "./support/prng.ts";

const enc = new TextEncoder();

async function withFile(
  content: string | Uint8Array,
  fn: (path: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "aimax-reader-" });
  const path = join(dir, "t.jsonl");
  try {
    await Deno.writeFile(
      path,
      typeof content === "string" ? enc.encode(content) : content,
    );
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Expected [offset, end] of each line of `lines`, in bytes. */
function spans(lines: string[]): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (const line of lines) {
    const end = at + enc.encode(line).length + 1;
    out.push([at, end]);
    at = end;
  }
  return out;
}

Deno.test("readJsonl: byte offsets of multi-byte UTF-8 lines", async () => {
  const lines = [
    JSON.stringify({ t: "é" }),
    JSON.stringify({ t: "世界" }),
    JSON.stringify({ t: "😀😀" }),
    JSON.stringify({ t: "ascii" }),
  ];
  await withFile(lines.join("\n") + "\n", async (path) => {
    const r = await readJsonl(path);
    assert.equal(r.total, 4);
    assert.equal(r.truncated, false);
    assert.deepEqual(r.entries.map((e) => [e.offset, e.end]), spans(lines));
    assert.deepEqual(
      r.entries.map((e) => (e.value as { t: string }).t),
      ["é", "世界", "😀😀", "ascii"],
    );
    assert.equal(r.sentinel, (await Deno.stat(path)).size);
    // Each offset really is where the line starts in the file.
    const bytes = await Deno.readFile(path);
    for (const [i, e] of r.entries.entries()) {
      assert.equal(
        new TextDecoder().decode(bytes.subarray(e.offset, e.end)),
        lines[i] + "\n",
      );
    }
  });
});

Deno.test("readJsonl: partial trailing line excluded, sentinel before it", async () => {
  const full = '{"a":1}\n{"b":"ü"}\n';
  await withFile(full + '{"c":', async (path) => {
    const r = await readJsonl(path);
    assert.equal(r.entries.length, 2);
    assert.equal(r.sentinel, enc.encode(full).length);
    // Completing the line makes it readable from the sentinel.
    await Deno.writeTextFile(path, "3}\n", { append: true });
    const more = await readJsonl(path, { fromOffset: r.sentinel });
    assert.equal(more.entries.length, 1);
    assert.deepEqual(more.entries[0].value, { c: 3 });
    assert.equal(more.entries[0].offset, r.sentinel);
  });
});

Deno.test("readJsonl: a partial line that is valid JSON is still held back", async () => {
  await withFile('{"a":1}\n{"b":2}', async (path) => {
    const r = await readJsonl(path);
    assert.equal(r.total, 1);
    assert.equal(r.sentinel, 8);
  });
});

Deno.test("readJsonl: malformed line becomes an error entry, not a throw", async () => {
  await withFile('{"a":1}\n{not json\n[1,2]\n"str"\n', async (path) => {
    const r = await readJsonl(path);
    assert.equal(r.total, 4);
    const bad = r.entries[1];
    assert.equal(bad.value, undefined);
    assert.equal(typeof bad.error, "string");
    assert.equal(bad.raw, "{not json");
    assert.equal(bad.offset, 8);
    assert.equal(bad.end, 18);
    assert.deepEqual(r.entries[2].value, [1, 2]);
    assert.equal(r.entries[2].error, undefined);
    assert.equal(r.entries[3].value, "str");
  });
});

Deno.test("readJsonl: blank and whitespace-only lines are skipped", async () => {
  await withFile('\n{"a":1}\n\n   \n\t\n{"a":2}\n\n', async (path) => {
    const r = await readJsonl(path);
    assert.equal(r.total, 2);
    assert.deepEqual(r.entries.map((e) => e.offset), [1, 16]);
    assert.equal(r.sentinel, 25);
  });
});

Deno.test("readJsonl: CRLF lines parse; offsets count the CR", async () => {
  await withFile('{"a":1}\r\n{"a":2}\r\n', async (path) => {
    const r = await readJsonl(path);
    assert.deepEqual(r.entries.map((e) => e.value), [{ a: 1 }, { a: 2 }]);
    assert.deepEqual(r.entries.map((e) => [e.offset, e.end]), [[0, 9], [
      9,
      18,
    ]]);
    assert.ok(r.entries.every((e) => e.error === undefined));
  });
});

Deno.test("readJsonl: fromOffset starts at a line boundary", async () => {
  const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ i }));
  await withFile(lines.join("\n") + "\n", async (path) => {
    const all = await readJsonl(path);
    const from = all.entries[6].offset;
    const r = await readJsonl(path, { fromOffset: from });
    assert.equal(r.total, 4);
    assert.deepEqual(r.entries, all.entries.slice(6));
    assert.equal(r.sentinel, all.sentinel);
    // From the sentinel: nothing new, sentinel unchanged.
    const none = await readJsonl(path, { fromOffset: all.sentinel });
    assert.deepEqual(none, {
      entries: [],
      total: 0,
      truncated: false,
      sentinel: all.sentinel,
    });
    // Past the end: also nothing, sentinel stays where it was asked.
    const past = await readJsonl(path, { fromOffset: all.sentinel + 100 });
    assert.equal(past.total, 0);
    assert.equal(past.sentinel, all.sentinel + 100);
  });
});

Deno.test("readJsonl: bad options are RangeErrors", async () => {
  await withFile("", async (path) => {
    await assert.rejects(() => readJsonl(path, { fromOffset: -1 }), RangeError);
    await assert.rejects(
      () => readJsonl(path, { fromOffset: 1.5 }),
      RangeError,
    );
    await assert.rejects(() => readJsonl(path, { limit: -2 }), RangeError);
    await assert.rejects(() => readJsonl(path, { limit: NaN }), RangeError);
  });
});

Deno.test("readJsonl: limit keeps the LAST entries with total/truncated", async () => {
  const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ i }));
  lines.splice(12, 0, "{broken");
  await withFile(lines.join("\n") + "\n", async (path) => {
    const all = await readJsonl(path);
    assert.equal(all.total, 26);
    for (const limit of [1, 3, 7, 13, 14, 25, 26, 100]) {
      const r = await readJsonl(path, { limit });
      assert.equal(r.total, 26, `limit ${limit}`);
      assert.equal(r.entries.length, Math.min(limit, 26));
      assert.equal(r.truncated, limit < 26);
      assert.deepEqual(r.entries, all.entries.slice(-limit), `limit ${limit}`);
      assert.equal(r.sentinel, all.sentinel);
    }
    const zero = await readJsonl(path, { limit: 0 });
    assert.deepEqual(zero.entries, []);
    assert.equal(zero.total, 26);
    assert.equal(zero.truncated, true);
    assert.equal(zero.sentinel, all.sentinel);
    // limit combined with fromOffset
    const r = await readJsonl(path, {
      fromOffset: all.entries[20].offset,
      limit: 2,
    });
    assert.equal(r.total, 6);
    assert.deepEqual(r.entries, all.entries.slice(-2));
  });
});

Deno.test("readJsonl: missing file reads as empty", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await readJsonl(join(dir, "nope", "x.jsonl"), { fromOffset: 7 });
    assert.deepEqual(r, {
      entries: [],
      total: 0,
      truncated: false,
      sentinel: 7,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readJsonl: lines larger than the 4 MiB chunk", async () => {
  const big = "x".repeat(9 * 1024 * 1024 + 123);
  const bigMulti = "é".repeat(2_500_000); // 5 MB, 2-byte chars straddle chunks
  const lines = [
    JSON.stringify({ n: 0 }),
    JSON.stringify({ n: 1, big }),
    JSON.stringify({ n: 2 }),
    JSON.stringify({ n: 3, bigMulti }),
    JSON.stringify({ n: 4 }),
  ];
  await withFile(lines.join("\n") + "\n", async (path) => {
    const r = await readJsonl(path);
    assert.equal(r.total, 5);
    assert.deepEqual(r.entries.map((e) => (e.value as { n: number }).n), [
      0,
      1,
      2,
      3,
      4,
    ]);
    assert.equal((r.entries[1].value as { big: string }).big, big);
    assert.equal(
      (r.entries[3].value as { bigMulti: string }).bigMulti,
      bigMulti,
    );
    assert.deepEqual(r.entries.map((e) => [e.offset, e.end]), spans(lines));
    const last = await readJsonl(path, { limit: 2 });
    assert.deepEqual(last.entries.map((e) => (e.value as { n: number }).n), [
      3,
      4,
    ]);
  });
});

Deno.test("LineSplitter: any chunking gives the same lines and offsets", () => {
  const text = '{"a":"é"}\n\n{"b":"世界"}\r\n  \n{"c":"😀"}\n{"partial"';
  const bytes = enc.encode(text);
  const reference: [string, number, number][] = [];
  new LineSplitter(100).push(bytes, (t, s, e) => reference.push([t, s, e]));
  assert.equal(reference.length, 3);
  assert.equal(reference[0][1], 100);
  for (let size = 1; size <= bytes.length; size++) {
    const got: [string, number, number][] = [];
    const splitter = new LineSplitter(100);
    for (let i = 0; i < bytes.length; i += size) {
      splitter.push(
        bytes.subarray(i, i + size),
        (t, s, e) => got.push([t, s, e]),
      );
    }
    assert.deepEqual(got, reference, `chunk size ${size}`);
    assert.equal(splitter.offset, 100 + bytes.lastIndexOf(10) + 1);
    assert.equal(splitter.pendingBytes, enc.encode('{"partial"').length);
    // The anchor is a suffix of what precedes the sentinel, holding at
    // least the whole last line (up to 64 bytes).
    const lastNl = bytes.lastIndexOf(10);
    const before = bytes.subarray(0, lastNl + 1);
    const anchor = splitter.anchor;
    const lastLine = lastNl - bytes.lastIndexOf(10, lastNl - 1);
    assert.ok(anchor.length >= Math.min(64, lastLine), `size ${size}`);
    assert.ok(anchor.length <= 64);
    assert.deepEqual(anchor, before.subarray(before.length - anchor.length));
  }
});

Deno.test("parseJsonlLine: good and bad lines", () => {
  assert.deepEqual(parseJsonlLine('{"x":1}', 5, 13), {
    offset: 5,
    end: 13,
    value: { x: 1 },
  });
  const bad = parseJsonlLine("{x", 0, 3);
  assert.equal(bad.value, undefined);
  assert.equal(bad.raw, "{x");
  assert.ok(bad.error && bad.error.length > 0);
});

Deno.test("read: with a limit the file is read from its end, touching about the bytes returned", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/big.jsonl`;
    const line = JSON.stringify({ pad: "x".repeat(1000) }) + "\n";
    const file = await Deno.open(path, { write: true, create: true });
    const block = new TextEncoder().encode(line.repeat(1000));
    for (let i = 0; i < 20; i++) await file.write(block); // ~20 MB
    await file.write(new TextEncoder().encode('{"n":"last"}\n{"partial":'));
    file.close();
    const size = (await Deno.stat(path)).size;
    const full = await readJsonl(path);
    const tail = await readJsonl(path, { limit: 3 });
    assert.equal(tail.sentinel, full.sentinel, "same sentinel");
    assert.deepEqual(tail.entries, full.entries.slice(-3), "same entries");
    assert.equal(tail.truncated, true);
    assert.ok(
      tail.total >= 3 && tail.total < full.total,
      `lower bound ${tail.total}`,
    );
    assert.equal(full.total, 20_001);
    const zero = await readJsonl(path, { limit: 0 });
    assert.deepEqual(zero.entries, []);
    assert.equal(zero.sentinel, full.sentinel);
    // Small file, limit larger than it: everything, total exact.
    const small = `${dir}/small.jsonl`;
    await Deno.writeTextFile(small, '{"a":1}\n\n{"a":2}\n');
    const all = await readJsonl(small, { limit: 10 });
    assert.deepEqual(all.entries.map((e) => e.value), [{ a: 1 }, { a: 2 }]);
    assert.equal(all.total, 2);
    assert.equal(all.truncated, false);
    // From an offset: the same rule within [fromOffset, sentinel).
    const from = full.entries[19_990].offset;
    const some = await readJsonl(path, { fromOffset: from, limit: 100 });
    assert.deepEqual(some.entries, full.entries.slice(19_990));
    assert.equal(some.total, 11);
    assert.equal(some.truncated, false);
    assert.ok(size > 20_000_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readJsonl: maxBytes reads a file in pieces (at least one whole line each) and says whether there is more", async () => {
  const lines = Array.from({ length: 10 }, (_, i) => `{"i":${i}}\n`);
  const long = `{"long":"${"x".repeat(100)}"}\n`;
  await withFile(lines.join("") + long, async (path) => {
    const seen: number[] = [];
    let at = 0;
    let more = true;
    let reads = 0;
    while (more) {
      const piece = await readJsonl(path, { fromOffset: at, maxBytes: 20 });
      for (const e of piece.entries) seen.push(e.offset);
      assert.ok(piece.entries.length > 0, "progress every time");
      at = piece.sentinel;
      more = piece.more!;
      reads++;
    }
    assert.equal(seen.length, 11);
    assert.equal(at, lines.join("").length + long.length);
    assert.ok(reads >= 5, `${reads} reads`);
  });
});

Deno.test("readJsonl: an offset past the end reads as nothing (never the OS's 'Invalid argument'); strict refuses it and one inside a line", async () => {
  await withFile('{"a":1}\n{"a":2}\n', async (path) => {
    const far = await readJsonl(path, { fromOffset: 999999999999999 });
    assert.deepEqual(far.entries, []);
    assert.equal(far.sentinel, 999999999999999);
    await assert.rejects(
      () => readJsonl(path, { fromOffset: 999999999999999, strict: true }),
      RangeError,
      "past the end of the transcript (16 bytes)",
    );
    await assert.rejects(
      () => readJsonl(path, { fromOffset: 5, strict: true }),
      RangeError,
      "offset 5 is inside an entry",
    );
    const second = await readJsonl(path, { fromOffset: 8, strict: true });
    assert.deepEqual(second.entries.map((e) => e.value), [{ a: 2 }]);
    const end = await readJsonl(path, { fromOffset: 16, strict: true });
    assert.equal(end.entries.length, 0);
  });
});

Deno.test("readJsonl: with a limit, the same entries, total bound and sentinel as a whole read, for 300 random files around the 8 KiB window", async () => {
  const random = mulberry32(20261204);
  const pick = (n: number) => Math.floor(random() * n);
  // Line lengths near the first window's size and its multiples.
  const lengths = [
    1,
    10,
    100,
    4000,
    8100,
    8190,
    8191,
    8192,
    8193,
    20000,
    40000,
  ];
  for (let round = 0; round < 300; round++) {
    const lines: string[] = [];
    for (let i = 0, n = 1 + pick(12); i < n; i++) {
      const pad = lengths[pick(lengths.length)] + pick(3);
      lines.push(
        pick(10) === 0
          ? "{broken"
          : JSON.stringify({ i, pad: "é".repeat(pad >> 1) }),
      );
    }
    const ending = ["\n", "", '\n{"partial":', "\n\n"][pick(4)];
    await withFile(lines.join("\n") + ending, async (path) => {
      const all = await readJsonl(path);
      const starts = [0, ...all.entries.map((e) => e.offset)];
      const fromOffset = pick(3) === 0 ? starts[pick(starts.length)] : 0;
      const whole = await readJsonl(path, { fromOffset });
      for (const limit of [0, 1, 2, 4, 32]) {
        const r = await readJsonl(path, { fromOffset, limit });
        const label = `round ${round}, from ${fromOffset}, limit ${limit}`;
        assert.equal(r.sentinel, whole.sentinel, label);
        assert.deepEqual(
          r.entries,
          limit === 0 ? [] : whole.entries.slice(-limit),
          label,
        );
        assert.ok(r.total <= whole.total && r.total >= r.entries.length, label);
        if (!r.truncated) assert.equal(r.total, whole.total, label);
      }
    });
  }
});
