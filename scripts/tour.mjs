#!/usr/bin/env node
// The main job: a scripted tour of dvx's data commands on generated sample data in a temporary git repo.
// Every step prints the command and what dvx printed; the tour stops at the first unexpected result.
// Usage: npm run tour            (builds first)     KEEP=1 keeps the temp repo for a look around.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const DVX = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../bin/dvx.js");
const dir = mkdtempSync(join(tmpdir(), "dvx-tour-"));
const remote = mkdtempSync(join(tmpdir(), "dvx-tour-remote-"));
const env = {
  ...process.env,
  NO_COLOR: "1",
  GIT_AUTHOR_NAME: "tour",
  GIT_AUTHOR_EMAIL: "tour@example.com",
  GIT_COMMITTER_NAME: "tour",
  GIT_COMMITTER_EMAIL: "tour@example.com",
};

let step = 0;
function show(title) {
  console.log(`\n\x1b[1m${++step}. ${title}\x1b[0m`);
}
function sh(cmd, args, { expect = 0 } = {}) {
  console.log(
    `$ ${[cmd === process.execPath ? "dvx" : cmd, ...(cmd === process.execPath ? args.slice(1) : args)].join(" ")}`,
  );
  const r = spawnSync(cmd, args, { cwd: dir, env, encoding: "utf8" });
  const out = (r.stdout + r.stderr).trimEnd();
  if (out) console.log(out.replace(/^/gm, "  "));
  if (r.status !== expect) {
    console.error(`\ntour failed: expected exit ${expect}, got ${r.status}`);
    process.exit(1);
  }
  return r.stdout;
}
const dvx = (...args) => sh(process.execPath, [DVX, ...args]);
const dvxExpect = (code, ...args) => sh(process.execPath, [DVX, ...args], { expect: code });
const git = (...args) => execFileSync("git", args, { cwd: dir, env, encoding: "utf8" });
function check(cond, what) {
  if (!cond) {
    console.error(`\ntour failed: ${what}`);
    process.exit(1);
  }
  console.log(`  ✓ ${what}`);
}

// sample data: a CSV and a directory of small "images"
function generate(rows, images) {
  mkdirSync(join(dir, "data/images"), { recursive: true });
  writeFileSync(
    join(dir, "data/table.csv"),
    "id,value\n" + Array.from({ length: rows }, (_, i) => `${i},${(i * 7) % 13}`).join("\n") + "\n",
  );
  for (let i = 0; i < images; i++)
    writeFileSync(join(dir, `data/images/img_${String(i).padStart(3, "0")}.bin`), Buffer.alloc(512 + i, i % 251));
}

try {
  git("init", "-q", "-b", "main");
  show("Set up dvx in a git repository");
  dvx("init");
  git("commit", "-qm", "init dvx");

  show("Generate sample data and track it");
  generate(1000, 40);
  dvx("add", "data/table.csv", "data/images");
  console.log(readFileSync(join(dir, "data/images.dvc"), "utf8").replace(/^/gm, "  | "));
  git("add", "-A");
  git("commit", "-qm", "data v1");
  check(dvx("status", "--json").trim() === "{}", "status is clean after add");

  show("Change the data: status shows what differs");
  appendFileSync(join(dir, "data/table.csv"), "1000,1\n");
  rmSync(join(dir, "data/images/img_000.bin"));
  writeFileSync(join(dir, "data/images/img_new.bin"), "new image");
  dvx("status");

  show("Record the new version (add again) and commit it to git");
  dvx("add", "data/table.csv", "data/images");
  git("add", "-A");
  git("commit", "-qm", "data v2");

  show("What changed between the two commits");
  dvx("diff", "HEAD~1", "HEAD");
  dvx("diff", "HEAD~1", "HEAD", "--md");

  show("Go back to v1: git checkout, then dvx checkout restores the data");
  git("checkout", "-q", "HEAD~1");
  dvx("checkout");
  check(
    readFileSync(join(dir, "data/table.csv"), "utf8").split("\n").length === 1002,
    "data/table.csv is back to 1000 rows",
  );
  git("checkout", "-q", "main");
  dvx("checkout");

  show("Edits that are not saved are protected");
  writeFileSync(join(dir, "data/table.csv"), "scratch work\n");
  dvxExpect(1, "checkout");
  dvx("checkout", "-f");

  show("Clean the cache: v1's objects are used by no branch head, tag or the workspace");
  const dry = JSON.parse(dvx("gc", "-w", "-a", "-T", "--dry", "--json"));
  check(dry.removed.length > 0, `gc --dry lists ${dry.removed.length} object(s) only v1 used`);
  dvx("gc", "-w", "-a", "-T", "-f");

  show("Push to a local remote, lose the cache, pull it back");
  dvx("remote", "add", "-d", "storage", remote);
  dvx("push");
  dvx("status", "-c");
  rmSync(join(dir, ".dvc/cache"), { recursive: true, force: true });
  rmSync(join(dir, "data/images"), { recursive: true, force: true });
  dvx("pull");
  check(readFileSync(join(dir, "data/images/img_new.bin"), "utf8") === "new image", "pulled data matches");

  console.log(`\ntour finished: every step behaved as expected${process.env.KEEP ? ` (repo kept at ${dir})` : ""}`);
} finally {
  if (!process.env.KEEP) {
    execFileSync("chmod", ["-R", "u+w", dir, remote]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(remote, { recursive: true, force: true });
  }
}
