// The repository write lock .dvc/tmp/dvx.lock (src/core/lock.ts): writers wait for a live holder and fail
// with LOCK_BUSY (exit 8) naming it; dead or torn locks are taken over; read-only commands never take it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireLock } from "../../src/core/lock.js";
import { runCli } from "../helpers/run-cli.js";
import { makeRepo, tmpDir, type TmpRepo } from "../helpers/tmp-repo.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

/** A live process that is not us: `sleep 30`. */
function liveProcess(): number {
  const c = spawn("sleep", ["30"], { stdio: "ignore" });
  children.push(c);
  expect(c.pid).toBeTypeOf("number");
  return c.pid!;
}

/** The pid of a process that has already exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync("true");
  expect(r.status).toBe(0);
  return r.pid;
}

const lockPath = (r: TmpRepo): string => join(r.dir, ".dvc/tmp/dvx.lock");

/** Writes a lock file in the exact format acquireLock writes (JSON + newline). */
function holdLock(r: TmpRepo, pid: number, host = hostname(), cmd = "dvx push"): void {
  mkdirSync(join(r.dir, ".dvc/tmp"), { recursive: true });
  writeFileSync(lockPath(r), JSON.stringify({ pid, host, cmd, since: new Date().toISOString() }) + "\n");
}

const run = (r: TmpRepo, env: Record<string, string>, ...argv: string[]) => runCli(r.dir, argv, env);

describe("repo lock: the file acquireLock writes", () => {
  it("holds pid, host, cmd and since as JSON, and release removes it", async () => {
    const dir = tmpDir();
    const lock = await acquireLock(join(dir, "tmp"), "dvx add", 1000, 4242);
    const info = JSON.parse(readFileSync(join(dir, "tmp/dvx.lock"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(info).sort()).toEqual(["cmd", "host", "pid", "since"]);
    expect(info).toMatchObject({ pid: 4242, host: hostname(), cmd: "dvx add" });
    expect(Number.isNaN(Date.parse(String(info.since)))).toBe(false);
    await lock.release();
    expect(existsSync(join(dir, "tmp/dvx.lock"))).toBe(false);
  });

  it("release does not remove a lock that now belongs to someone else", async () => {
    const dir = tmpDir();
    const lock = await acquireLock(dir, "dvx add", 1000, process.pid);
    const other = JSON.stringify({ pid: 99999999, host: "elsewhere", cmd: "dvx gc", since: "" }) + "\n";
    writeFileSync(join(dir, "dvx.lock"), other); // e.g. taken over after we were presumed dead
    await lock.release();
    expect(readFileSync(join(dir, "dvx.lock"), "utf8")).toBe(other);
  });

  it("a waiting acquirer gets the lock once the holder releases it", async () => {
    const dir = tmpDir();
    const first = await acquireLock(dir, "dvx add", 1000); // held by this (live) process
    const t0 = Date.now();
    setTimeout(() => void first.release(), 300);
    const second = await acquireLock(dir, "dvx commit", 5000, process.pid);
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(280);
    expect(waited).toBeLessThan(3000);
    expect(JSON.parse(readFileSync(join(dir, "dvx.lock"), "utf8"))).toMatchObject({ cmd: "dvx commit" });
    await second.release();
  });

  // Several writers that find the same stale lock must end up with exactly one holder. The takeover in
  // acquireLock is read → judge stale → rm → create: a writer that judged the old lock stale can rm the
  // fresh lock another writer has just created, and both then "hold" it. Probabilistic (the interleaving
  // needs libuv's thread pool to cooperate), so it tries many rounds and stops at the first double holder.
  it("concurrent takeover of a stale lock yields exactly one holder", async () => {
    const dead = deadPid();
    let doubleHeld = 0;
    for (let round = 0; round < 100 && doubleHeld === 0; round++) {
      const dir = tmpDir();
      writeFileSync(
        join(dir, "dvx.lock"),
        JSON.stringify({ pid: dead, host: hostname(), cmd: "dvx add", since: "" }) + "\n",
      );
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => acquireLock(dir, `dvx w${i}`, 20)));
      const held = results.filter((r) => r.status === "fulfilled");
      for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "LOCK_BUSY" });
      if (held.length !== 1) doubleHeld = held.length;
      for (const r of held) await r.value.release();
    }
    expect(doubleHeld, "writers holding the lock at the same time").toBe(0);
  });

  it("times out with LockBusyError naming the holder", async () => {
    const dir = tmpDir();
    const first = await acquireLock(dir, "dvx add", 1000);
    const err = await acquireLock(dir, "dvx gc", 200).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "LOCK_BUSY", exitCode: 8 });
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    expect((err as Error).message).toContain("'dvx add'");
    await first.release();
  });
});

describe("repo lock: writers through the CLI", () => {
  it("a second writer waits, then fails with exit 8 LOCK_BUSY naming the holder's pid", async () => {
    const r = await makeRepo({ files: { "data.txt": "hello\n" } });
    const pid = liveProcess();
    holdLock(r, pid);
    const t0 = Date.now();
    const res = await run(r, { DVX_LOCK_TIMEOUT: "1" }, "add", "data.txt");
    const took = Date.now() - t0;
    expect(res.code).toBe(8);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(/^error: .*locked/);
    expect(res.stderr).toContain(`pid ${pid}`);
    expect(res.stderr).toContain("dvx push");
    expect(took).toBeGreaterThanOrEqual(900); // it did wait about DVX_LOCK_TIMEOUT
    expect(took).toBeLessThan(10_000);
    // nothing was written, and the holder's lock is untouched
    expect(existsSync(join(r.dir, "data.txt.dvc"))).toBe(false);
    expect(JSON.parse(readFileSync(lockPath(r), "utf8"))).toMatchObject({ pid });

    const json = await run(r, { DVX_LOCK_TIMEOUT: "0" }, "add", "--json", "data.txt");
    expect(json.code).toBe(8);
    expect(json.stdout).toBe("");
    const body = JSON.parse(json.stderr) as {
      error: { code: string; message: string; details: Record<string, unknown> };
    };
    expect(body.error.code).toBe("LOCK_BUSY");
    expect(body.error.message).toContain(`pid ${pid}`);
  });

  it("every writing command respects the lock (commit, checkout, remove, gc)", async () => {
    const r = await makeRepo({ files: { "data.txt": "hello\n" } });
    expect((await r.run("add", "data.txt")).code).toBe(0);
    holdLock(r, liveProcess());
    for (const argv of [
      ["commit", "-f"],
      ["checkout", "-f"],
      ["remove", "data.txt.dvc"],
      ["gc", "-w", "-f"],
    ]) {
      const res = await run(r, { DVX_LOCK_TIMEOUT: "0" }, ...argv);
      expect(res.code, `${argv.join(" ")}: ${res.stderr}`).toBe(8);
    }
    expect(existsSync(join(r.dir, "data.txt.dvc"))).toBe(true); // remove did not run
  });

  it("a holder on another host is never presumed dead", async () => {
    const r = await makeRepo({ files: { "data.txt": "hello\n" } });
    holdLock(r, deadPid(), "some-other-host");
    const res = await run(r, { DVX_LOCK_TIMEOUT: "0" }, "add", "data.txt");
    expect(res.code).toBe(8);
    expect(res.stderr).toContain("on some-other-host");
  });

  it("a stale lock (its process has exited) is taken over and the command succeeds", async () => {
    const r = await makeRepo({ files: { "data.txt": "hello\n" } });
    holdLock(r, deadPid());
    const res = await run(r, { DVX_LOCK_TIMEOUT: "1" }, "add", "data.txt");
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(r.dir, "data.txt.dvc"))).toBe(true);
    expect(existsSync(lockPath(r))).toBe(false); // released afterwards
  });

  it("a holder that was killed but not yet reaped (a zombie) is stale", async () => {
    // `true` exits at once; its parent has exec'd into sleep, which never reaps it: a zombie for 30 s
    const parent = spawn("sh", ["-c", "true & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    children.push(parent);
    const zombie = Number(await new Promise<string>((res) => parent.stdout.once("data", (d: Buffer) => res(`${d}`))));
    for (let i = 0; i < 100 && !readFileSync(`/proc/${zombie}/stat`, "utf8").includes(") Z "); i++)
      await new Promise((res) => setTimeout(res, 20));
    expect(readFileSync(`/proc/${zombie}/stat`, "utf8")).toContain(") Z ");
    const r = await makeRepo({ files: { "data.txt": "hello\n" } });
    holdLock(r, zombie);
    const res = await run(r, { DVX_LOCK_TIMEOUT: "0" }, "add", "data.txt");
    expect(res.code, res.stderr).toBe(0);
  });

  it("a torn (non-JSON) lock file is treated as stale", async () => {
    const r = await makeRepo({ files: { "data.txt": "hello\n" } });
    mkdirSync(join(r.dir, ".dvc/tmp"), { recursive: true });
    writeFileSync(lockPath(r), '{"pid": 12'); // killed mid-write
    const res = await run(r, { DVX_LOCK_TIMEOUT: "1" }, "add", "data.txt");
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(lockPath(r))).toBe(false);

    writeFileSync(lockPath(r), ""); // killed before writing anything
    r.write({ "data.txt": "changed\n" });
    const again = await run(r, { DVX_LOCK_TIMEOUT: "1" }, "add", "data.txt");
    expect(again.code, again.stderr).toBe(0);
    expect(r.read("data.txt.dvc")).toContain("size: 8");
  });

  it("a waiting writer proceeds once the holder releases the lock", async () => {
    const r = await makeRepo({ files: { "data.txt": "hello\n" } });
    const holder = children[children.push(spawn("sleep", ["30"], { stdio: "ignore" })) - 1]!;
    holdLock(r, holder.pid!);
    const t0 = Date.now();
    setTimeout(() => {
      rmSync(lockPath(r), { force: true }); // the holder finishes and releases
      holder.kill("SIGKILL");
    }, 300);
    const res = await run(r, { DVX_LOCK_TIMEOUT: "10" }, "add", "data.txt");
    const took = Date.now() - t0;
    expect(res.code, res.stderr).toBe(0);
    expect(took).toBeGreaterThanOrEqual(280);
    expect(took).toBeLessThan(5000);
    expect(existsSync(join(r.dir, "data.txt.dvc"))).toBe(true);
    expect(existsSync(lockPath(r))).toBe(false);
  });

  it("the lock is released when the command fails", async () => {
    const r = await makeRepo();
    const res = await run(r, { DVX_LOCK_TIMEOUT: "1" }, "add", "missing.txt");
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("missing.txt");
    expect(existsSync(lockPath(r))).toBe(false);
    const ok = await run(r, { DVX_LOCK_TIMEOUT: "0" }, "add", "--json", "missing.txt");
    expect((JSON.parse(ok.stderr) as { error: { code: string } }).error.code).toBe("PATH_NOT_FOUND");
  });
});

describe("repo lock: read-only commands", () => {
  it("status and diff succeed while a live writer holds the lock, and leave it alone", async () => {
    const r = await makeRepo({ files: { "data.txt": "hello\n" } });
    expect((await r.run("add", "data.txt")).code).toBe(0);
    r.commit("v1");
    r.write({ "data.txt": "hello again\n" });
    expect((await r.run("add", "data.txt")).code).toBe(0);
    r.commit("v2");
    const pid = liveProcess();
    holdLock(r, pid);
    const before = readFileSync(lockPath(r), "utf8");

    const status = await run(r, { DVX_LOCK_TIMEOUT: "0" }, "status", "--json");
    expect(status.code, status.stderr).toBe(0);
    expect(status.json()).toEqual({});

    const diff = await run(r, { DVX_LOCK_TIMEOUT: "0" }, "diff", "--json", "HEAD~1", "HEAD");
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.json<{ modified: { path: string }[] }>().modified.map((m) => m.path)).toEqual(["data.txt"]);

    expect(readFileSync(lockPath(r), "utf8")).toBe(before);
  });
});
