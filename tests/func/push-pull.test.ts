// push / fetch / pull / status -c / gc -c against a local directory remote, in-process on temp repos.
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import type { CliRun } from "../helpers/run-cli.js";
import { badObjects, keyOf, md5Hex, objectKeys, strayFiles, walkStore } from "../helpers/store-walk.js";
import { makeRepo, tmpDir, type TmpRepo } from "../helpers/tmp-repo.js";
import { rmrf, oidIn } from "../helpers/cli-assert.js";

interface PushJson {
  remote: string;
  pushed: number;
  bytes: number;
  upToDate: number;
  missingLocally: string[];
  failed: Array<{ oid: string }>;
  warnings: string[];
}
interface FetchJson {
  remote: string;
  fetched: number;
  bytes: number;
  failed: Array<{ oid: string }>;
  warnings: string[];
}
interface PullJson {
  fetch: FetchJson;
  checkout: { changed: string[]; unchanged: number; failed: unknown[]; warnings: string[] };
}
interface ErrorJson {
  error: { code: string; message: string; hint: string | null; details: Record<string, unknown> };
}

const FILES = { "a.txt": "hello\n", "d/x": "x\n", "d/sub/y": "y\n" };
const A = md5Hex("hello\n");
const X = md5Hex("x\n");
const Y = md5Hex("y\n");

/** The md5 recorded in a .dvc file (first out). */
/** The one JSON error object the CLI prints on stderr with --json (stdout must stay empty). */
function jsonError(res: CliRun): ErrorJson["error"] {
  expect(res.stdout).toBe("");
  const parsed = JSON.parse(res.stderr.trim()) as ErrorJson;
  expect(parsed.error).toBeDefined();
  return parsed.error;
}

function ok<T>(res: CliRun): T {
  expect(res.code, res.stderr).toBe(0);
  return res.json<T>();
}

function must(res: CliRun): void {
  expect(res.code, res.stderr).toBe(0);
}

/** Deletes one object from a local store (objects and their dirs may be read-only). */
function dropObject(root: string, oid: string): void {
  const abs = join(root, keyOf(oid));
  chmodSync(dirname(abs), 0o755);
  rmSync(abs);
}

async function setup(
  files: Record<string, string> = FILES,
  targets: string[] = ["a.txt", "d"],
): Promise<{ r: TmpRepo; store: string; cache: string; dirOid: string }> {
  const r = await makeRepo({ files });
  const store = tmpDir("dvx-store-");
  expect((await r.run("add", ...targets)).code).toBe(0);
  const add = await r.run("remote", "add", "-d", "r", store);
  expect(add.code, add.stderr).toBe(0);
  return { r, store, cache: join(r.dir, ".dvc/cache"), dirOid: targets.includes("d") ? oidIn(r, "d.dvc") : "" };
}

describe("push to a local directory remote", () => {
  it("uploads every object under files/md5 with mode 0444, and a second push sends nothing", async () => {
    const { r, store, cache, dirOid } = await setup();
    const dirSize = readFileSync(join(cache, keyOf(dirOid))).length;
    const before = await r.run("status", "-c", "-q"); // DVC's -q: silent, exit code 1 while the remote lacks something
    expect([before.code, before.stdout, before.stderr]).toEqual([1, "", ""]);
    const res = ok<PushJson>(await r.run("push", "--json"));
    expect(res).toMatchObject({
      remote: "r",
      pushed: 4,
      bytes: 6 + 2 + 2 + dirSize,
      upToDate: 0,
      missingLocally: [],
      failed: [],
    });
    expect(objectKeys(store)).toEqual([keyOf(A), keyOf(X), keyOf(Y), keyOf(dirOid)].sort());
    expect(strayFiles(store)).toEqual([]);
    for (const f of walkStore(store)) expect(f.mode, f.key).toBe(0o444);
    expect(await badObjects(store)).toEqual([]);
    // the manifest is the cache's manifest, byte for byte
    expect(readFileSync(join(store, keyOf(dirOid)))).toEqual(readFileSync(join(cache, keyOf(dirOid))));

    const again = ok<PushJson>(await r.run("push", "--json"));
    expect(again).toMatchObject({ pushed: 0, bytes: 0, upToDate: 4, failed: [] });
    expect(ok<Record<string, string>>(await r.run("status", "-c", "--json"))).toEqual({});
    const text = await r.run("status", "-c");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("'r'");
    const after = await r.run("status", "-c", "-q");
    expect([after.code, after.stdout, after.stderr]).toEqual([0, "", ""]);
  });

  it("limits the push to the given targets (.dvc file or tracked path)", async () => {
    const { r, store, dirOid } = await setup();
    expect(ok<PushJson>(await r.run("push", "--json", "a.txt.dvc"))).toMatchObject({ pushed: 1, failed: [] });
    expect(objectKeys(store)).toEqual([keyOf(A)]);
    expect(ok<Record<string, string>>(await r.run("status", "-c", "--json", "a.txt"))).toEqual({});
    expect(ok<PushJson>(await r.run("push", "--json", "d"))).toMatchObject({ pushed: 3, upToDate: 0 });
    expect(objectKeys(store)).toEqual([keyOf(A), keyOf(X), keyOf(Y), keyOf(dirOid)].sort());
  });

  it("-a and -T also push what other branches and tags use", async () => {
    const { r, store } = await setup();
    r.commit("main data");
    const main = r.git("rev-parse", "--abbrev-ref", "HEAD").trim();
    // a branch with its own version of a.txt
    r.git("checkout", "-q", "-b", "feature");
    rmrf(join(r.dir, "a.txt"));
    r.write({ "a.txt": "feature\n" });
    expect((await r.run("add", "a.txt")).code).toBe(0);
    r.commit("feature data");
    // a tag (on no branch) with yet another version
    r.git("checkout", "-q", "-b", "tmp-tagged", main);
    rmrf(join(r.dir, "a.txt"));
    r.write({ "a.txt": "tagged\n" });
    expect((await r.run("add", "a.txt")).code).toBe(0);
    r.commit("tagged data");
    r.git("tag", "v1");
    r.git("checkout", "-q", main);
    r.git("branch", "-q", "-D", "tmp-tagged");
    const F = md5Hex("feature\n");
    const T = md5Hex("tagged\n");

    expect(ok<PushJson>(await r.run("push", "--json"))).toMatchObject({ pushed: 4, failed: [] });
    expect(objectKeys(store)).not.toContain(keyOf(F));
    expect(objectKeys(store)).not.toContain(keyOf(T));
    expect(ok<PushJson>(await r.run("push", "-a", "--json"))).toMatchObject({ pushed: 1, failed: [] });
    expect(objectKeys(store)).toContain(keyOf(F));
    expect(objectKeys(store)).not.toContain(keyOf(T));
    expect(ok<PushJson>(await r.run("push", "-T", "--json"))).toMatchObject({ pushed: 1, failed: [] });
    expect(objectKeys(store)).toContain(keyOf(T));
    expect(ok<PushJson>(await r.run("push", "-a", "-T", "--json"))).toMatchObject({ pushed: 0 });
    expect(await badObjects(store)).toEqual([]);
  });

  it("never uploads the .dir of a directory whose files are not all on the remote", async () => {
    const { r, store, cache, dirOid } = await setup();
    rmSync(join(cache, keyOf(X))); // lost locally, never pushed
    const res = await r.run("push", "--json");
    expect([0, 1]).toContain(res.code);
    if (res.code === 0) expect(res.json<PushJson>()).toMatchObject({ pushed: 2, missingLocally: [X] });
    expect(objectKeys(store)).toEqual([keyOf(A), keyOf(Y)].sort());
    expect(objectKeys(store)).not.toContain(keyOf(dirOid));
    // status -c tells the user the remote lacks the directory
    const st = await r.run("status", "-c", "--json");
    expect(st.code).toBe(0);
    expect(st.json<Record<string, string>>()).toMatchObject({ d: "new", "d/x": "missing" });
  });

  it("skips outputs marked push: false", async () => {
    const { r, store, dirOid } = await setup();
    const before = r.read("a.txt.dvc");
    const edited = before.replace(/^(\s+path: a\.txt)$/m, "$1\n  push: false");
    expect(edited).not.toBe(before);
    writeFileSync(join(r.dir, "a.txt.dvc"), edited);
    const res = ok<PushJson>(await r.run("push", "--json"));
    expect(res).toMatchObject({ pushed: 3, failed: [] });
    expect(objectKeys(store)).toEqual([keyOf(X), keyOf(Y), keyOf(dirOid)].sort());
  });
});

describe("pull, fetch and checkout from a local directory remote", () => {
  it("pull restores identical bytes into an empty cache and workspace", async () => {
    const { r, cache } = await setup();
    must(await r.run("push"));
    rmrf(cache);
    rmrf(join(r.dir, "a.txt"));
    rmrf(join(r.dir, "d"));
    const res = ok<PullJson>(await r.run("pull", "--json"));
    expect(res.fetch).toMatchObject({ remote: "r", fetched: 4, failed: [] });
    expect([...res.checkout.changed].sort()).toEqual(["a.txt", "d"]);
    for (const [p, content] of Object.entries(FILES)) expect(r.read(p)).toBe(content);
    expect(await badObjects(cache)).toEqual([]);
    expect(strayFiles(join(cache, "files/md5")).filter((k) => k.endsWith(".tmp"))).toEqual([]);
    const again = ok<PullJson>(await r.run("pull", "--json"));
    expect(again.fetch.fetched).toBe(0);
    expect(again.checkout.changed).toEqual([]);
  });

  it("fetch fills only the cache; checkout then restores the workspace", async () => {
    const { r, cache, dirOid } = await setup();
    must(await r.run("push"));
    rmrf(cache);
    rmrf(join(r.dir, "a.txt"));
    rmrf(join(r.dir, "d"));
    const res = ok<FetchJson>(await r.run("fetch", "--json"));
    expect(res).toMatchObject({ remote: "r", fetched: 4, failed: [] });
    expect(objectKeys(cache)).toEqual([keyOf(A), keyOf(X), keyOf(Y), keyOf(dirOid)].sort());
    expect(existsSync(join(r.dir, "a.txt"))).toBe(false);
    expect(existsSync(join(r.dir, "d"))).toBe(false);
    expect((await r.run("checkout")).code).toBe(0);
    for (const [p, content] of Object.entries(FILES)) expect(r.read(p)).toBe(content);
  });

  it("pull limits itself to its targets and refuses to overwrite unsaved workspace changes unless -f", async () => {
    const { r, cache } = await setup();
    must(await r.run("push"));
    rmrf(cache);
    rmrf(join(r.dir, "a.txt"));
    rmrf(join(r.dir, "d"));
    const some = ok<PullJson>(await r.run("pull", "d", "--json"));
    expect(some.fetch.fetched).toBe(3);
    expect(some.checkout.changed).toEqual(["d"]);
    expect(existsSync(join(r.dir, "a.txt"))).toBe(false);
    expect(existsSync(join(cache, keyOf(A)))).toBe(false);

    r.write({ "a.txt": "my own edit\n" });
    const refused = await r.run("pull", "--json");
    expect(refused.code).toBe(1);
    expect(jsonError(refused).code).toBe("UNCOMMITTED_CHANGES");
    expect(r.read("a.txt")).toBe("my own edit\n");
    const forced = ok<PullJson>(await r.run("pull", "-f", "--json"));
    expect(forced.checkout.changed).toEqual(["a.txt"]);
    expect(r.read("a.txt")).toBe("hello\n");
  });

  it("an invalid -j is a usage error (exit 2) for every transfer command", async () => {
    const { r, store } = await setup();
    for (const argv of [["push"], ["pull"], ["fetch"], ["status", "-c"], ["gc", "-w", "-c", "-f"]]) {
      for (const j of ["0", "abc"]) {
        const res = await r.run(...argv, "-j", j, "--json");
        expect.soft(res.code, `${argv.join(" ")} -j ${j}: ${res.stderr}`).toBe(2);
        expect.soft(res.stderr, `${argv.join(" ")} -j ${j}`).toContain('"USAGE"');
      }
    }
    expect(walkStore(store)).toEqual([]);
  });

  it("a corrupted remote object is refused: not cached, not checked out, named in the error", async () => {
    const { r, store, cache } = await setup();
    must(await r.run("push"));
    const obj = join(store, keyOf(A));
    chmodSync(obj, 0o644);
    writeFileSync(obj, "HELLO\n"); // same size, other bytes
    rmrf(cache);
    rmrf(join(r.dir, "a.txt"));
    rmrf(join(r.dir, "d"));
    const res = await r.run("pull", "--json");
    expect([1, 5]).toContain(res.code);
    const err = jsonError(res);
    expect(["TRANSFER_FAILED", "CORRUPT_OBJECT"]).toContain(err.code);
    expect(JSON.stringify(err.details)).toContain(A);
    expect(existsSync(join(cache, keyOf(A)))).toBe(false);
    expect(existsSync(join(r.dir, "a.txt"))).toBe(false);
    // the rest of the data still arrives and no temp file is left in the cache
    expect(r.read("d/x")).toBe("x\n");
    expect(strayFiles(cache).filter((k) => k.endsWith(".tmp"))).toEqual([]);
    expect(await badObjects(cache)).toEqual([]);
  });

  it("push from a good cache repairs a corrupted (non-0444) local remote object, as DVC does (docs/formats.md §4.2/§7.3)", async () => {
    const { r, store } = await setup();
    must(await r.run("push"));
    const obj = join(store, keyOf(A));
    chmodSync(obj, 0o644);
    writeFileSync(obj, "HELLO\n");
    const res = await r.run("push", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(await badObjects(store)).toEqual([]);
    expect(walkStore(store).find((f) => f.key === keyOf(A))?.mode).toBe(0o444);
  });

  it("a missing remote object fails the pull, naming it, while other outputs are checked out", async () => {
    const { r, store, cache } = await setup();
    must(await r.run("push"));
    dropObject(store, X);
    rmrf(cache);
    rmrf(join(r.dir, "a.txt"));
    rmrf(join(r.dir, "d"));
    const res = await r.run("pull", "--json");
    expect([1, 5]).toContain(res.code);
    const err = jsonError(res);
    expect(JSON.stringify(err.details)).toContain(X);
    if (err.code === "TRANSFER_FAILED") expect(err.details).toMatchObject({ failed: [X], failedCount: 1 });
    expect(r.read("a.txt")).toBe("hello\n");
    expect(existsSync(join(cache, keyOf(Y)))).toBe(true);
    expect(existsSync(join(r.dir, "d/x"))).toBe(false);
  });
});

describe("status -c", () => {
  it("reports new (cache only), deleted (remote only) and missing (neither) by workspace path", async () => {
    const files = { "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n", "d/x": "x\n", "d/sub/y": "y\n" };
    const { r, store, cache } = await setup(files, ["a.txt", "b.txt", "c.txt", "d"]);
    must(await r.run("push", "b.txt", "d"));
    const drop = (content: string): void => {
      const abs = join(cache, keyOf(md5Hex(content)));
      rmSync(abs, { force: true });
      expect(existsSync(abs)).toBe(false);
    };
    drop("b\n"); // pushed, then lost locally
    drop("c\n"); // never pushed, lost locally
    drop("x\n"); // a file of a pushed directory, lost locally
    const res = ok<Record<string, string>>(await r.run("status", "-c", "--json"));
    expect(res).toEqual({ "a.txt": "new", "b.txt": "deleted", "c.txt": "missing", "d/x": "deleted" });
    const text = await r.run("status", "-c");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("a.txt");
    // nothing was changed by looking
    expect(objectKeys(store)).toHaveLength(4);
  });
});

describe("gc -c", () => {
  it("removes only the remote objects the workspace no longer uses", async () => {
    const { r, store, dirOid } = await setup();
    must(await r.run("push"));
    rmrf(join(r.dir, "a.txt"));
    r.write({ "a.txt": "version 2\n" });
    expect((await r.run("add", "a.txt")).code).toBe(0);
    must(await r.run("push"));
    const A2 = md5Hex("version 2\n");
    writeFileSync(join(store, "README"), "not an object\n");
    const keep = [keyOf(A2), keyOf(X), keyOf(Y), keyOf(dirOid)].sort();
    expect(objectKeys(store)).toEqual([...keep, keyOf(A)].sort());

    const dry = ok<{ cloud: { remote: string; removed: string[]; dry: boolean } }>(
      await r.run("gc", "-w", "-c", "--dry", "-f", "--json"),
    );
    expect(dry.cloud).toMatchObject({ remote: "r", removed: [keyOf(A)], dry: true });
    expect(objectKeys(store)).toHaveLength(5);

    const res = ok<{ local: unknown; cloud: { remote: string; removed: string[]; aborted: boolean } }>(
      await r.run("gc", "-w", "-c", "-f", "--json"),
    );
    expect(res.cloud).toMatchObject({ remote: "r", removed: [keyOf(A)], aborted: false });
    expect(objectKeys(store)).toEqual(keep);
    expect(existsSync(join(store, "README"))).toBe(true);
    expect(ok<Record<string, string>>(await r.run("status", "-c", "--json"))).toEqual({});
  });

  it("refuses a remote gc without a scope (exit 2) and deletes nothing", async () => {
    const { r, store } = await setup();
    must(await r.run("push"));
    const res = await r.run("gc", "-c", "-f", "--json");
    expect(res.code).toBe(2);
    expect(jsonError(res).code).toBe("USAGE");
    expect(objectKeys(store)).toHaveLength(4);
  });
});

describe("remote selection", () => {
  it("an unknown remote name is a config error (exit 4, REMOTE_NOT_FOUND) for every transfer command", async () => {
    const { r, store } = await setup();
    for (const argv of [["push"], ["pull"], ["fetch"], ["status", "-c"]]) {
      const res = await r.run(...argv, "-r", "nope", "--json");
      expect(res.code, argv.join(" ")).toBe(4);
      const err = jsonError(res);
      expect(err.code).toBe("REMOTE_NOT_FOUND");
      expect(err.details).toMatchObject({ name: "nope" });
      // a failed command must not leave the repository locked
      expect(existsSync(join(r.dir, ".dvc/tmp/dvx.lock")), `lock left behind by ${argv.join(" ")}`).toBe(false);
    }
    expect(walkStore(store)).toEqual([]);
  });

  it("without a default remote push fails with exit 4 and a hint", async () => {
    const r = await makeRepo({ files: { "a.txt": "a" } });
    expect((await r.run("add", "a.txt")).code).toBe(0);
    expect((await r.run("remote", "add", "other", tmpDir("dvx-store-"))).code).toBe(0); // defined, but not the default
    const res = await r.run("push", "--json");
    expect(res.code).toBe(4);
    const err = jsonError(res);
    expect(err.code).toBe("REMOTE_NOT_FOUND");
    expect(typeof err.hint).toBe("string");
    expect(err.hint!.length).toBeGreaterThan(0);
    expect(existsSync(join(r.dir, ".dvc/tmp/dvx.lock")), "lock left behind by push").toBe(false);
    const human = await r.run("push");
    expect(human.code).toBe(4);
    expect(human.stderr).toMatch(/^hint: /m);
  });

  it("a relative remote path is stored relative to .dvc/ and resolved from there", async () => {
    const r = await makeRepo({ files: { "a.txt": "hello\n", "sub/keep": "" } });
    expect((await r.run("add", "a.txt")).code).toBe(0);
    const name = `${basename(r.dir)}-relstore`;
    const store = join(dirname(r.dir), name);
    onTestFinished(() => rmrf(store));
    expect((await r.run("remote", "add", "-d", "rel", `../${name}`)).code).toBe(0);
    expect(r.read(".dvc/config")).toContain(`    url = ../../${name}\n`);
    expect(ok<PushJson>(await r.run("push", "--json"))).toMatchObject({ remote: "rel", pushed: 1 });
    expect(objectKeys(store)).toEqual([keyOf(A)]);
    // from a subdirectory it is still the same store
    expect(ok<Record<string, string>>(await r.run("-C", "sub", "status", "-c", "--json"))).toEqual({});
    rmrf(join(r.dir, ".dvc/cache"));
    rmrf(join(r.dir, "a.txt"));
    expect(ok<PullJson>(await r.run("-C", "sub", "pull", "--json")).fetch.fetched).toBe(1);
    expect(r.read("a.txt")).toBe("hello\n");
  });
});

describe("bulk transfers to a local directory remote", () => {
  it("pushes a directory of 1,200 files through the bulk path: complete, protected, verified objects", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1200; i++) files[`big/f${i}.txt`] = `content ${i}\n`;
    const { r, store } = await setup(files, ["big"]);
    const push = await r.run("push", "--json");
    expect(push.code, push.stderr).toBe(0);
    expect(push.json<{ pushed: number; bytes: number }>().pushed).toBe(1201);
    expect(push.json<{ bytes: number }>().bytes).toBeGreaterThan(1200 * 10);
    expect(await badObjects(store)).toEqual([]);
    expect(strayFiles(store)).toEqual([]);
    expect(objectKeys(store)).toHaveLength(1201);
    const again = await r.run("push", "--json");
    expect(again.json<{ pushed: number }>().pushed).toBe(0);
    expect((await r.run("status", "-c", "--json")).json()).toEqual({});
  });
});
