// Shared helpers for the dvx benchmarks (plain Node ESM, no dependencies beyond Node itself).
// These scripts print figures; they are not tests. See bench/README.md.

import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  statSync,
  openSync,
  closeSync,
  readdirSync,
  unlinkSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { availableParallelism } from "node:os";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DVX_BIN = join(ROOT, "bin", "dvx.js");

// ---------------------------------------------------------------- settings from the environment

function numEnv(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${v}: expected a positive number`);
  return n;
}

export const SCALE = numEnv("DVX_BENCH_SCALE", 1);
export const RUNS = Math.max(1, Math.round(numEnv("DVX_BENCH_RUNS", 3)));
export const MICRO_RUNS = Math.max(1, Math.round(numEnv("DVX_BENCH_MICRO_RUNS", 15)));
export const KEEP = process.env.KEEP === "1";
export const PEER = process.env.DVX_BENCH_PEER || ""; // e.g. "dvc": a DVC-compatible executable run on the same workloads
export const BENCH_DIR = resolve(process.env.DVX_BENCH_DIR || join(ROOT, "bench", ".data"));
export const SRC_DIR = join(BENCH_DIR, "src"); // generated input data (reused across runs when KEEP=1)
export const WORK_DIR = join(BENCH_DIR, `work-${process.pid}`); // per-invocation repos, caches, remotes

/** Full-size workloads, scaled by DVX_BENCH_SCALE. */
export const SMALL_FILES = Math.max(1, Math.round(100_000 * SCALE));
export const BIG_BYTES = Math.max(1024 * 1024, Math.round(2 * 1024 ** 3 * SCALE));

export const HAVE_TIME = existsSync("/usr/bin/time");

// ---------------------------------------------------------------- tools (dvx, and optionally a peer such as dvc)

/** A data-versioning tool under test: argv prefix plus a label. */
export const DVX = { name: "dvx", argv: [process.execPath, DVX_BIN] };
export const TOOLS = PEER ? [DVX, { name: PEER.split("/").pop(), argv: [PEER] }] : [DVX];

export const GIT_ENV = {
  GIT_AUTHOR_NAME: "dvx bench",
  GIT_AUTHOR_EMAIL: "bench@example.invalid",
  GIT_COMMITTER_NAME: "dvx bench",
  GIT_COMMITTER_EMAIL: "bench@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

// ---------------------------------------------------------------- small utilities

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export function median(xs) {
  const a = xs.filter((x) => x !== undefined && x !== null && !Number.isNaN(x)).sort((p, q) => p - q);
  if (a.length === 0) return NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}
export const max = (xs) => xs.reduce((m, x) => (x > m ? x : m), -Infinity);
export function fmtSec(s) {
  if (s === undefined || Number.isNaN(s)) return "-";
  return s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`;
}
export const fmtMB = (kb) => (kb === undefined || Number.isNaN(kb) ? "-" : `${(kb / 1024).toFixed(0)} MB`);
export const fmtBytes = (b) => {
  if (b === undefined || Number.isNaN(b)) return "-";
  const u = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (b >= 1024 && i < u.length - 1) {
    b /= 1024;
    i++;
  }
  return `${b.toFixed(i ? 1 : 0)} ${u[i]}`;
};
export const log = (...a) => console.log(...a);
export const note = (s) => console.log(`  · ${s}`);

export function mkdirp(p) {
  mkdirSync(p, { recursive: true });
  return p;
}
export function rmrf(p) {
  rmSync(p, { recursive: true, force: true, maxRetries: 3 });
}

/** Run a command synchronously (setup steps, untimed). Throws with its output on failure. */
export function sh(argv, { cwd, env, allowFail = false, input } = {}) {
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd,
    env: { ...process.env, ...GIT_ENV, ...env },
    encoding: "utf8",
    input,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0 && !allowFail) {
    throw new Error(
      `command failed (${r.status}): ${argv.join(" ")} [cwd ${cwd ?? process.cwd()}]\n${(r.stdout || "").slice(-2000)}${(r.stderr || "").slice(-4000)}`,
    );
  }
  return r;
}
export const shq = (cmd, opts) => sh(["sh", "-c", cmd], opts);

/** Flush dirty pages so one measurement's write-back does not land in the next one (untimed). */
export function syncDisks() {
  spawnSync("sync");
}

// ---------------------------------------------------------------- timing

let timedSeq = 0;

/**
 * Run argv and measure it. Returns
 *   { wall (s, measured here with hrtime), user, sys (s), rssKB (peak RSS, KiB), fsIn, fsOut (512-byte blocks, from
 *     /usr/bin/time %I/%O), io ({rchar, read_bytes, ...} from /proc/<pid>/io when opts.io), rc, out, err }.
 * Peak RSS and CPU come from `/usr/bin/time -f ...` (GNU time reports the max over the process and its children);
 * without it, VmHWM and utime/stime are polled from /proc/<pid>/ (approximate, marked approx: true).
 * opts.io wraps the command in `sh -c '"$@"; cat /proc/$$/io'`: Linux adds a reaped child's I/O counters to its
 * parent, so the shell's counters after the command are the command's own (plus a few bytes of the shell's).
 */
export async function timed(argv, { cwd, env, io = false, expectRc = [0], quietFail = false } = {}) {
  const tag = `${process.pid}-${++timedSeq}`;
  const tmp = mkdirp(join(WORK_DIR, ".timed"));
  const timeFile = join(tmp, `time-${tag}`);
  const ioFile = join(tmp, `io-${tag}`);
  const outFile = join(tmp, `out-${tag}`);
  const errFile = join(tmp, `err-${tag}`);
  let inner = argv;
  if (io) inner = ["sh", "-c", '"$@"; rc=$?; cat /proc/$$/io > "$DVX_BENCH_IOFILE"; exit $rc', "sh", ...argv];
  const full = HAVE_TIME ? ["/usr/bin/time", "-f", "%e %U %S %M %I %O", "-o", timeFile, ...inner] : inner;
  const outFd = openSync(outFile, "w");
  const errFd = openSync(errFile, "w");
  const t0 = process.hrtime.bigint();
  const child = spawn(full[0], full.slice(1), {
    cwd,
    env: { ...process.env, ...GIT_ENV, DVX_BENCH_IOFILE: ioFile, ...env },
    stdio: ["ignore", outFd, errFd],
  });
  let poll;
  const polled = { hwmKB: 0, utime: 0, stime: 0 };
  if (!HAVE_TIME) {
    const tck = 100; // USER_HZ on Linux
    const sample = () => {
      try {
        const st = readFileSync(`/proc/${child.pid}/status`, "utf8");
        const m = /VmHWM:\s+(\d+)/.exec(st);
        if (m) polled.hwmKB = Math.max(polled.hwmKB, Number(m[1]));
        const f = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
        polled.utime = Number(f[11]) / tck;
        polled.stime = Number(f[12]) / tck;
      } catch {
        /* exited */
      }
    };
    poll = setInterval(sample, 20);
    sample();
  }
  const rc = await new Promise((res, rej) => {
    child.on("error", rej);
    child.on("exit", (code, sig) => res(code ?? (sig ? 128 : 1)));
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (poll) clearInterval(poll);
  closeSync(outFd);
  closeSync(errFd);
  const r = { wall, rc, out: readFileSync(outFile, "utf8"), err: readFileSync(errFile, "utf8") };
  if (HAVE_TIME && existsSync(timeFile)) {
    const lines = readFileSync(timeFile, "utf8").trim().split("\n");
    const last = lines[lines.length - 1].trim().split(/\s+/).map(Number);
    [, r.user, r.sys, r.rssKB, r.fsIn, r.fsOut] = last;
  } else {
    Object.assign(r, { user: polled.utime, sys: polled.stime, rssKB: polled.hwmKB, approx: true });
  }
  if (io && existsSync(ioFile)) {
    r.io = Object.fromEntries(
      readFileSync(ioFile, "utf8")
        .trim()
        .split("\n")
        .map((l) => {
          const [k, v] = l.split(":");
          return [k.trim(), Number(v)];
        }),
    );
  }
  for (const f of [timeFile, ioFile, outFile, errFile])
    try {
      unlinkSync(f);
    } catch {
      /* */
    }
  if (!expectRc.includes(rc) && !quietFail) {
    throw new Error(
      `timed command failed (rc ${rc}): ${argv.join(" ")} [cwd ${cwd}]\nstdout: ${r.out.slice(-2000)}\nstderr: ${r.err.slice(-4000)}`,
    );
  }
  return r;
}

/** Run a tool (DVX or a peer) command inside cwd, measured. */
export const runTool = (tool, args, opts = {}) => timed([...tool.argv, ...args], opts);
/** Run a tool command untimed (setup). */
export const toolSh = (tool, args, opts = {}) => sh([...tool.argv, ...args], opts);

// ---------------------------------------------------------------- repos

/** A fresh git repo + `<tool> init` in WORK_DIR/<name>. */
export function freshRepo(tool, name) {
  const dir = join(WORK_DIR, name);
  rmrf(dir);
  mkdirp(dir);
  sh(["git", "init", "-q", "-b", "main"], { cwd: dir });
  toolSh(tool, ["init"], { cwd: dir });
  return dir;
}

export function gitCommitAll(dir, msg = "bench") {
  sh(["git", "add", "-A"], { cwd: dir });
  sh(["git", "commit", "-q", "--allow-empty", "-m", msg], { cwd: dir });
}

/** Checks that the dvx CLI is built and runs; returns its version line. */
export function checkDvx() {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js")))
    throw new Error(`dvx is not built (no dist/cli/main.js): run "npm run build" in ${ROOT}`);
  const r = sh([...DVX.argv, "--version"], { allowFail: true });
  if (r.status !== 0) throw new Error(`"dvx --version" failed (${r.status}): ${r.stderr}`);
  if (PEER) {
    const p = sh([PEER, "--version"], { allowFail: true });
    if (p.status !== 0) throw new Error(`DVX_BENCH_PEER=${PEER}: "${PEER} --version" failed: ${p.stderr || p.error}`);
  }
  return r.stdout.trim();
}

// ---------------------------------------------------------------- deterministic input data

/** mulberry32: small, fast, deterministic PRNG. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILES_PER_DIR = 1000;
/** Relative path of small file i: data/d000/f000000.bin (1000 files per sub-directory). */
export const smallRel = (i) =>
  `d${String(Math.floor(i / FILES_PER_DIR)).padStart(3, "0")}/f${String(i).padStart(6, "0")}.bin`;
/** Size of small file i (1-8 KiB, deterministic). */
export function smallSizes(n) {
  const r = prng(0x5eed);
  return Array.from({ length: n }, () => 1024 + Math.floor(r() * (7 * 1024 + 1)));
}

/**
 * The small-file directory: n files of 1-8 KiB, unique incompressible content, generated once into
 * SRC_DIR/small-<n>/ (reused while its marker exists). Returns the directory.
 */
export function ensureSmallDir(n = SMALL_FILES) {
  const dir = join(SRC_DIR, `small-${n}`);
  const marker = join(SRC_DIR, `small-${n}.complete`);
  const sizes = smallSizes(n);
  if (existsSync(marker)) {
    // Cheap integrity check (sizes and count) in case something wrote through a hardlink.
    let bad = 0;
    for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 2000))) {
      try {
        if (statSync(join(dir, smallRel(i))).size !== sizes[i]) bad++;
      } catch {
        bad++;
      }
    }
    if (bad === 0) return dir;
    note(`small-file source ${dir} looks modified (${bad} mismatches); regenerating`);
    rmSync(marker, { force: true });
  }
  rmrf(dir);
  const t0 = Date.now();
  // A 16 MiB pool of PRNG bytes; file i = 16-byte header carrying i, then a pool slice at a pseudo-random offset.
  const POOL = 16 * 1024 * 1024;
  const pool = Buffer.allocUnsafe(POOL + 8 * 1024);
  const r = prng(0xda7a);
  for (let o = 0; o < pool.length; o += 4) pool.writeUInt32LE(Math.floor(r() * 4294967296), o);
  for (let d = 0; d * FILES_PER_DIR < n; d++) mkdirp(join(dir, `d${String(d).padStart(3, "0")}`));
  for (let i = 0; i < n; i++) {
    const off = Math.floor(r() * POOL);
    const buf = Buffer.from(pool.subarray(off, off + sizes[i]));
    buf.write(`dvx-bench ${String(i).padStart(6, "0")}`, 0, "latin1");
    writeFileSync(join(dir, smallRel(i)), buf);
  }
  writeFileSync(marker, `${n}\n`);
  note(
    `generated ${n} small files (${fmtBytes(sizes.reduce((a, b) => a + b, 0))}) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${dir}`,
  );
  return dir;
}

export const smallTotalBytes = (n = SMALL_FILES) => smallSizes(n).reduce((a, b) => a + b, 0);

/** The big file: `bytes` of /dev/urandom, generated once into SRC_DIR/big-<bytes>.bin. */
export function ensureBigFile(bytes = BIG_BYTES) {
  const file = join(SRC_DIR, `big-${bytes}.bin`);
  const marker = `${file}.complete`;
  if (existsSync(marker) && existsSync(file) && statSync(file).size === bytes) return file;
  mkdirp(SRC_DIR);
  const t0 = Date.now();
  shq(`head -c ${bytes} /dev/urandom > '${file}'`);
  writeFileSync(marker, `${bytes}\n`);
  note(`generated ${fmtBytes(bytes)} of /dev/urandom in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${file}`);
  return file;
}

/** Hardlink-copy a tree (or file) into a repo: cp -al (dvx add only reads its inputs). */
export function linkCopy(src, dest) {
  mkdirp(dirname(dest));
  sh(["cp", "-al", src, dest]);
}

/**
 * Replace a file's content without touching other hardlinks of it (unlink, then write a new file):
 * the generated sources are hardlinked into the repos, so writing in place would change them too.
 */
export function rewriteFile(path, content) {
  try {
    unlinkSync(path);
  } catch {
    /* */
  }
  writeFileSync(path, content);
}

// ---------------------------------------------------------------- summary table

/**
 * rows: { workload, dvx, ref, ratio, target, pass (true/false/undefined), peer?, peerRatio?, reported? }
 * (all values preformatted strings except pass).
 */
export function printSummary(title, rows, { withPeer = Boolean(PEER), withReported = true } = {}) {
  const cols = ["workload", "dvx median", "reference median", "ratio", "target", "result"];
  if (withPeer) cols.push(`${TOOLS[1]?.name ?? "peer"} median`, "dvx/peer");
  if (withReported) cols.push("DVC (reported)");
  const data = rows.map((r) => {
    const row = [
      r.workload,
      r.dvx ?? "-",
      r.ref ?? "-",
      r.ratio ?? "-",
      r.target ?? "-",
      r.pass === undefined ? "-" : r.pass ? "PASS" : "MISS",
    ];
    if (withPeer) row.push(r.peer ?? "-", r.peerRatio ?? "-");
    if (withReported) row.push(r.reported ?? "-");
    return row;
  });
  const w = cols.map((c, i) => Math.max(c.length, ...data.map((d) => String(d[i]).length)));
  const line = (cells) => "| " + cells.map((c, i) => String(c).padEnd(w[i])).join(" | ") + " |";
  log("");
  log(`== ${title}`);
  log(line(cols));
  log("|" + w.map((n) => "-".repeat(n + 2)).join("|") + "|");
  for (const d of data) log(line(d));
  const miss = rows.filter((r) => r.pass === false).length;
  const pass = rows.filter((r) => r.pass === true).length;
  log(`${pass} PASS, ${miss} MISS`);
}

export const ratioStr = (a, b) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : "-");

/** Newest modification time under dist/ (to notice a rebuild of dvx in the middle of a bench run). */
export function distStamp() {
  let newest = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  try {
    walk(join(ROOT, "dist"));
  } catch {
    /* not built */
  }
  return newest;
}
let startStamp = 0;

/** Warn when dist/ changed while the bench ran (the figures then mix two builds of dvx). */
export function checkDistUnchanged() {
  const now = distStamp();
  if (now !== startStamp) {
    log(
      `  !! dist/ was rebuilt during this run (newest file ${new Date(startStamp).toISOString()} -> ${new Date(now).toISOString()}):`,
    );
    log(`  !! the figures above mix two builds of dvx; re-run for clean numbers.`);
  }
}

/** Header printed by each script. */
export function printHeader(script, extra = []) {
  startStamp = distStamp();
  log(`# ${script}  (${new Date().toISOString()})`);
  log(`  dvx build: dist/ newest file ${new Date(startStamp).toISOString()}`);
  log(
    `  node ${process.version}, ${availableParallelism()} cores, SCALE=${SCALE}, RUNS=${RUNS}, bench dir ${BENCH_DIR}`,
  );
  log(`  small files: ${SMALL_FILES} (1-8 KiB), big file: ${fmtBytes(BIG_BYTES)}${PEER ? `, peer: ${PEER}` : ""}`);
  log(
    `  peak RSS/CPU via ${HAVE_TIME ? "/usr/bin/time" : "polling /proc/<pid>/status (approximate)"}; wall time via hrtime in the bench`,
  );
  for (const e of extra) log(`  ${e}`);
  log("");
}

/** Remove WORK_DIR (always) and the generated sources (unless KEEP=1). */
export function cleanup() {
  if (KEEP) {
    note(`KEEP=1: leaving ${WORK_DIR} and ${SRC_DIR}`);
    return;
  }
  rmrf(WORK_DIR);
  rmrf(SRC_DIR);
  try {
    if (readdirSync(BENCH_DIR).length === 0) rmSync(BENCH_DIR, { recursive: true });
  } catch {
    /* */
  }
}

export function writeResults(name, obj) {
  mkdirp(BENCH_DIR);
  const f = join(BENCH_DIR, `${name}-results.json`);
  writeFileSync(f, JSON.stringify(obj, null, 2) + "\n");
  note(`results written to ${f}`);
}

/**
 * Runs every workload `runs` times in alternation (with `node -e 0` for scale), so load drifts hit all alike.
 * `run(workload)` returns timed()'s result; gives wall and user+sys CPU lists per workload key.
 */
export async function measureAlternating(workloads, run, runs) {
  const wall = Object.fromEntries(Object.keys(workloads).map((k) => [k, []]));
  const cpu = Object.fromEntries(Object.keys(workloads).map((k) => [k, []]));
  const node = [];
  for (let i = 0; i < runs; i++) {
    node.push((await timed([process.execPath, "-e", "0"])).wall);
    for (const [k, w] of Object.entries(workloads)) {
      const r = await run(w);
      wall[k].push(r.wall);
      cpu[k].push((r.user ?? NaN) + (r.sys ?? NaN));
    }
  }
  return { wall, cpu, node };
}
