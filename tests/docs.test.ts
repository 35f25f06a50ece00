// Keeps the section references in the code honest: every "docs/formats.md §9.2" or "docs/architecture.md §1"
// written anywhere in src/**/*.ts or tests/**/*.ts (comments, test names) must name a numbered heading that exists
// in that file, so renumbering or deleting a section cannot leave references pointing nowhere. A list after one
// prefix ("docs/formats.md §5.2, §13.4") is checked item by item.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..");
const DOC_FILES = { formats: join(ROOT, "docs/formats.md"), architecture: join(ROOT, "docs/architecture.md") };
type DocName = keyof typeof DOC_FILES;
/** This file spells out the patterns it looks for, so it is left out of both scans. */
const SELF = "tests/docs.test.ts";

const SECTION = String.raw`[0-9]+(?:\.[0-9]+)*[a-z]?`;
const REF = new RegExp(
  String.raw`docs/(formats|architecture)\.md\s*§\s*(${SECTION})((?:\s*(?:,|/|&|\band\b|\bor\b)\s*§\s*${SECTION})*)`,
  "g",
);
const MORE = new RegExp(String.raw`§\s*(${SECTION})`, "g");
/** Old names of the DVC format spec that references must no longer use (it moved to docs/formats.md). */
const STALE = [/\bspec\s*§/, /\bdvc-format\.md\s*§/, /\bdvc-format\s*§/];

interface Ref {
  doc: DocName;
  section: string;
  where: string;
}

/** Section numbers of the numbered headings ("## 2. Title", "### 2.6 Title", "### 8.6a Title"), outside fences. */
function headingNumbers(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (f !== undefined) {
      if (fence === undefined) fence = f[0];
      else if (f[0] === fence) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const m = new RegExp(String.raw`^#{1,6}\s+§?\s*(${SECTION})(?=[.:)\s]|$)`).exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** Every section reference in `text`, with its line number. */
function findRefs(text: string, file: string): Ref[] {
  const refs: Ref[] = [];
  for (const m of text.matchAll(REF)) {
    const line = text.slice(0, m.index).split("\n").length;
    const doc = m[1] as DocName;
    const sections = [m[2]!, ...[...(m[3] ?? "").matchAll(MORE)].map((x) => x[1]!)];
    for (const section of sections) refs.push({ doc, section, where: `${file}:${line}` });
  }
  return refs;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (n === "node_modules") return [];
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function sources(): Array<{ file: string; text: string }> {
  return [...tsFiles(join(ROOT, "src")), ...tsFiles(join(ROOT, "tests"))]
    .map((p) => ({ file: relative(ROOT, p).split("\\").join("/"), text: readFileSync(p, "utf8") }))
    .filter((s) => s.file !== SELF);
}

/** References to `doc` whose section has no heading there, as "file:line → §X". */
function dangling(doc: DocName): string[] {
  const have = new Set(headingNumbers(readFileSync(DOC_FILES[doc], "utf8")));
  return sources()
    .flatMap((s) => findRefs(s.text, s.file))
    .filter((r) => r.doc === doc && !have.has(r.section))
    .map((r) => `${r.where} → docs/${doc}.md §${r.section}`);
}

describe("the reference checker itself", () => {
  it("reads numbered headings, including lettered ones, and ignores fenced blocks and unnumbered headings", () => {
    const md = [
      "# Title",
      "## 2. Pointer files",
      "### 2.6 Imports",
      "#### Stage checksum",
      "### 8.6a How commands run",
      "```",
      "## 9. inside a fence",
      "```",
      "## 10 Metrics",
    ].join("\n");
    expect(headingNumbers(md)).toEqual(["2", "2.6", "8.6a", "10"]);
  });

  it("finds single references and lists after one prefix, with their lines", () => {
    const text =
      "// a\n// see docs/formats.md §5.2, §13.4 and §8.6a.\n// docs/architecture.md §6 and docs/formats.md §3";
    expect(findRefs(text, "x.ts").map((r) => `${r.where} ${r.doc} ${r.section}`)).toEqual([
      "x.ts:2 formats 5.2",
      "x.ts:2 formats 13.4",
      "x.ts:2 formats 8.6a",
      "x.ts:3 architecture 6",
      "x.ts:3 formats 3",
    ]);
  });
});

describe("documentation section references", () => {
  it("docs/formats.md numbers each section once", () => {
    const nums = headingNumbers(readFileSync(DOC_FILES.formats, "utf8"));
    expect(nums.length).toBeGreaterThan(50);
    expect(nums.filter((n, i) => nums.indexOf(n) !== i)).toEqual([]);
  });

  it("every docs/formats.md §X cited in src/ and tests/ is a heading there", () => {
    expect(dangling("formats")).toEqual([]);
  });

  // docs/architecture.md is being written; until it exists, its references cannot be checked.
  it.skipIf(!existsSync(DOC_FILES.architecture))(
    "every docs/architecture.md §N cited in src/ and tests/ is a heading there",
    () => {
      expect(dangling("architecture")).toEqual([]);
    },
  );

  it("no source or test cites a section of the old spec document instead of docs/formats.md", () => {
    const stale = sources().flatMap((s) =>
      s.text
        .split("\n")
        .map((line, i) => ({ line, at: `${s.file}:${i + 1}` }))
        .filter(({ line }) => STALE.some((re) => re.test(line)))
        .map(({ line, at }) => `${at}: ${line.trim()}`),
    );
    expect(stale).toEqual([]);
  });
});
