/**
 * The page's parts agree (lib/serve/page.ts), without a browser: its
 * script parses, every element the script looks up by id is in the HTML,
 * and the icon the HTML links is an SVG. The page in a browser:
 * tests/serve_page_test.ts.
 */
import assert from "node:assert/strict";
import {
  PAGE_CSS,
  PAGE_HTML,
  PAGE_ICON,
  PAGE_JS,
} from "../../lib/serve/page.ts";

Deno.test("page: its script parses, and every id it looks up is in the HTML", () => {
  // Parsed, not run.
  new Function(PAGE_JS);
  const ids = new Set(
    [...PAGE_HTML.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]),
  );
  const looked = [...PAGE_JS.matchAll(/\$\("([^"]+)"\)/g)].map((m) => m[1]);
  assert.ok(looked.length > 20, `${looked.length} lookups`);
  // Made by the script itself: the dialog's answer buttons.
  const made = new Set(
    [...PAGE_JS.matchAll(/\{ id: "([^"]+)"/g)].map((m) => m[1]),
  );
  assert.deepEqual([...made].sort(), ["always", "approve", "deny"]);
  const missing = looked.filter((id) => !ids.has(id));
  assert.deepEqual(missing, []);
  assert.ok(PAGE_CSS.includes("#screen-text"));
});

Deno.test("page: it links its icon, an SVG (no /favicon.ico 404 in the console)", () => {
  assert.match(
    PAGE_HTML,
    /<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml">/,
  );
  assert.match(PAGE_ICON, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(PAGE_ICON, /<\/svg>\n$/);
});
