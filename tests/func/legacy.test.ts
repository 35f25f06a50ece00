// DVC 2 ("legacy") entries: no `hash:` key, dos2unix MD5, objects at .dvc/cache/xx/rest (docs/formats.md §2.5, §3.2).
// dvx must read, verify and check them out in place, keep them legacy while unchanged, and switch a changed
// output to a DVC 3 entry.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

const md5 = (b: string | Buffer): string => createHash("md5").update(b).digest("hex");

const DATA = "x\r\ny\r\n";
const LEGACY_DATA_MD5 = "1b5bb282b8f8792875e3c4203cfa9c57"; // dos2unix md5 (docs/formats.md §14.1)
const RAW_DATA_MD5 = "e20942bc0763636e19c18b95bb194501";
const DATA_POINTER = `outs:\n- md5: ${LEGACY_DATA_MD5}\n  size: 6\n  path: data.txt\n`;

// A legacy directory: a CRLF text file (dos2unix md5 = md5("a\n")) and a binary file (hashed as is).
const A_TXT = "a\r\n";
const A_LEGACY = "60b725f10c9c85c70d97880dfe8191b3"; // md5("a\n")
const B_BIN = Buffer.from([0, 1, 2, 13, 10, 255, 13, 10, 0]);
const B_MD5 = md5(B_BIN);
const MANIFEST = `[{"md5": "${A_LEGACY}", "relpath": "a.txt"}, {"md5": "${B_MD5}", "relpath": "sub/b.bin"}]`;
const DIR_MD5 = `${md5(MANIFEST)}.dir`;
const DIR_POINTER = `outs:\n- md5: ${DIR_MD5}\n  size: ${A_TXT.length + B_BIN.length}\n  nfiles: 2\n  path: ldir\n`;

const legacyObject = (r: TmpRepo, oid: string): string => join(r.dir, ".dvc/cache", oid.slice(0, 2), oid.slice(2));
const v3Object = (r: TmpRepo, oid: string): string =>
  join(r.dir, ".dvc/cache/files/md5", oid.slice(0, 2), oid.slice(2));

function putObject(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, 0o444);
}

/** A repo as DVC 2 left it: pointer files without `hash:`, objects in the legacy cache layout. */
async function legacyRepo(): Promise<TmpRepo> {
  const r = await makeRepo({
    files: {
      "data.txt": DATA,
      "data.txt.dvc": DATA_POINTER,
      "ldir/a.txt": A_TXT,
      "ldir/sub/b.bin": B_BIN,
      "ldir.dvc": DIR_POINTER,
      ".gitignore": "/data.txt\n/ldir\n",
    },
  });
  putObject(legacyObject(r, LEGACY_DATA_MD5), DATA); // DVC 2 stores the raw bytes under the dos2unix name
  putObject(legacyObject(r, A_LEGACY), A_TXT);
  putObject(legacyObject(r, B_MD5), B_BIN);
  putObject(legacyObject(r, DIR_MD5), MANIFEST);
  r.commit("dvc 2 data");
  return r;
}

describe("DVC 2 legacy entries", () => {
  it("the fixture is what DVC 2 writes (hash vectors)", () => {
    expect(md5("x\ny\n")).toBe(LEGACY_DATA_MD5);
    expect(md5(DATA)).toBe(RAW_DATA_MD5);
    expect(md5("a\n")).toBe(A_LEGACY);
  });

  it("status is clean: legacy entries are verified with the dos2unix md5 against the legacy cache", async () => {
    const r = await legacyRepo();
    const res = await r.run("status", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toEqual({});
    // and a change to the data is seen (not masked by the legacy hashing)
    r.write({ "data.txt": "x\r\ny\r\nz\r\n", "ldir/a.txt": "A\r\n" });
    const changed = await r.run("status", "--json");
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.json()).toEqual({
      "data.txt.dvc": [{ "changed outs": { "data.txt": "modified" } }],
      "ldir.dvc": [{ "changed outs": { ldir: "modified" } }],
    });
  });

  it("a CRLF ↔ LF-only change is invisible to a legacy entry (dos2unix semantics)", async () => {
    const r = await legacyRepo();
    r.write({ "data.txt": "x\ny\n" });
    expect((await r.run("status", "--json")).json()).toEqual({});
  });

  it("checkout restores deleted data from the legacy cache locations, byte for byte", async () => {
    const r = await legacyRepo();
    rmSync(join(r.dir, "data.txt"));
    rmSync(join(r.dir, "ldir"), { recursive: true });
    const res = await r.run("checkout");
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(r.dir, "data.txt"), "utf8")).toBe(DATA); // raw bytes, CRLF kept
    expect(readFileSync(join(r.dir, "ldir/a.txt"), "utf8")).toBe(A_TXT);
    expect(readFileSync(join(r.dir, "ldir/sub/b.bin")).equals(B_BIN)).toBe(true);
    expect((await r.run("status", "--json")).json()).toEqual({});
    expect(r.read("data.txt.dvc")).toBe(DATA_POINTER); // checkout never rewrites pointers
    expect(r.read("ldir.dvc")).toBe(DIR_POINTER);
    expect(existsSync(join(r.dir, ".dvc/cache/files"))).toBe(false); // nothing was migrated behind our back
  });

  it("add on unchanged legacy outputs keeps the pointer files byte-identical (legacy stays legacy)", async () => {
    const r = await legacyRepo();
    const res = await r.run("add", "data.txt", "ldir");
    expect(res.code, res.stderr).toBe(0);
    expect(r.read("data.txt.dvc")).toBe(DATA_POINTER);
    expect(r.read("ldir.dvc")).toBe(DIR_POINTER);
    expect(r.git("status", "--porcelain")).toBe("");
    expect(readFileSync(legacyObject(r, LEGACY_DATA_MD5), "utf8")).toBe(DATA);
    expect((await r.run("status", "--json")).json()).toEqual({});
  });

  it("add with the legacy cache emptied stores the objects at the legacy locations again", async () => {
    const r = await legacyRepo();
    rmSync(join(r.dir, ".dvc/cache"), { recursive: true, force: true });
    const missing = await r.run("status", "--json");
    expect(missing.json()).toEqual({
      "data.txt.dvc": [{ "changed outs": { "data.txt": "not in cache" } }],
      "ldir.dvc": [{ "changed outs": { ldir: "not in cache" } }],
    });
    const res = await r.run("add", "data.txt", "ldir");
    expect(res.code, res.stderr).toBe(0);
    expect(r.read("data.txt.dvc")).toBe(DATA_POINTER);
    expect(r.read("ldir.dvc")).toBe(DIR_POINTER);
    expect(readFileSync(legacyObject(r, LEGACY_DATA_MD5), "utf8")).toBe(DATA);
    expect(statSync(legacyObject(r, LEGACY_DATA_MD5)).mode & 0o777).toBe(0o444);
    expect(readFileSync(legacyObject(r, DIR_MD5), "utf8")).toBe(MANIFEST);
    expect(readFileSync(legacyObject(r, A_LEGACY), "utf8")).toBe(A_TXT);
    expect((await r.run("status", "--json")).json()).toEqual({});
  });

  it("add after a real change switches the file entry to DVC 3 (hash: md5, plain md5, files/md5/)", async () => {
    const r = await legacyRepo();
    const next = "x\r\ny\r\nz\r\n";
    r.write({ "data.txt": next });
    const res = await r.run("add", "data.txt");
    expect(res.code, res.stderr).toBe(0);
    // an updated file keeps its key order, the new `hash` key is appended (what DVC writes, docs/formats.md §2.4)
    expect(r.read("data.txt.dvc")).toBe(`outs:\n- md5: ${md5(next)}\n  size: 9\n  path: data.txt\n  hash: md5\n`);
    const obj = v3Object(r, md5(next));
    expect(readFileSync(obj, "utf8")).toBe(next);
    expect(statSync(obj).mode & 0o777).toBe(0o444);
    expect(existsSync(legacyObject(r, md5(next)))).toBe(false);
    expect((await r.run("status", "--json")).json()).toEqual({});
    // the untouched legacy directory stays legacy
    expect(r.read("ldir.dvc")).toBe(DIR_POINTER);
  });

  it("add after a change inside a legacy directory switches it to a DVC 3 manifest of plain md5s", async () => {
    const r = await legacyRepo();
    const b2 = Buffer.concat([B_BIN, Buffer.from([7])]);
    r.write({ "ldir/sub/b.bin": b2 });
    const res = await r.run("add", "ldir");
    expect(res.code, res.stderr).toBe(0);
    const manifest = `[{"md5": "${md5(A_TXT)}", "relpath": "a.txt"}, {"md5": "${md5(b2)}", "relpath": "sub/b.bin"}]`;
    const dirOid = `${md5(manifest)}.dir`;
    expect(r.read("ldir.dvc")).toBe(
      `outs:\n- md5: ${dirOid}\n  size: ${A_TXT.length + b2.length}\n  nfiles: 2\n  path: ldir\n  hash: md5\n`,
    );
    expect(readFileSync(v3Object(r, dirOid), "utf8")).toBe(manifest);
    expect(readFileSync(v3Object(r, md5(A_TXT)), "utf8")).toBe(A_TXT); // a.txt under its plain md5 now
    expect((await r.run("status", "--json")).json()).toEqual({});
    rmSync(join(r.dir, "ldir"), { recursive: true });
    expect((await r.run("checkout")).code).toBe(0);
    expect(readFileSync(join(r.dir, "ldir/sub/b.bin")).equals(b2)).toBe(true);
  });

  it("diff works between a legacy commit and a DVC 3 commit, and against the workspace", async () => {
    const r = await legacyRepo();
    const clean = await r.run("diff", "--json");
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.json()).toEqual({});

    const next = "x\r\ny\r\nz\r\n";
    r.write({ "data.txt": next });
    expect((await r.run("add", "data.txt")).code).toBe(0);
    r.commit("dvc 3 data");

    const res = await r.run("diff", "--json", "--show-hash", "HEAD~1", "HEAD");
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toEqual({
      added: [],
      deleted: [],
      modified: [{ path: "data.txt", hash: { old: LEGACY_DATA_MD5, new: md5(next) } }],
      renamed: [],
    });

    // the legacy directory at HEAD~1 is read through its legacy .dir object
    rmSync(join(r.dir, "ldir/a.txt"));
    const ws = await r.run("diff", "--json", "HEAD~1");
    expect(ws.code, ws.stderr).toBe(0);
    const body = ws.json<{ deleted: { path: string }[]; modified: { path: string }[] }>();
    expect(body.deleted.map((e) => e.path)).toEqual(["ldir/a.txt"]);
    expect(body.modified.map((e) => e.path)).toEqual(["data.txt", "ldir/"]);
  });
});
