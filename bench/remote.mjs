#!/usr/bin/env node
// Benchmark of the "remotes" issue: dvx push/pull/status -c against a local directory remote and an S3 gateway
// (Ceph RGW), compared with a plain @aws-sdk/client-s3 loop measured in the same run (the "ceiling"). dvx runs with
// its defaults (no -j: what users get) and, for context, with -j 64 (DVX_BENCH_JOBS).
// Prints figures and a summary table; it is not a test.
// Usage: node bench/remote.mjs [local] [s3] [big]     (no argument = all three; env: see bench/README.md)
//   local  push of the small files + the big file to a local directory remote
//   s3     the small files against the gateway: ceiling PUT/GET loop, dvx push, status -c, 2nd push, pull
//   big    the big file against the gateway: ceiling multipart upload/streamed download, dvx push, pull

import {
  createReadStream,
  createWriteStream,
  copyFileSync,
  existsSync,
  readdirSync,
  statSync,
  readFileSync,
} from "node:fs";
import { readFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  BIG_BYTES,
  KEEP,
  ROOT,
  RUNS,
  SCALE,
  SMALL_FILES,
  TOOLS,
  WORK_DIR,
  checkDistUnchanged,
  checkDvx,
  cleanup,
  ensureBigFile,
  ensureSmallDir,
  fmtBytes,
  fmtMB,
  fmtSec,
  freshRepo,
  gitCommitAll,
  linkCopy,
  log,
  max,
  median,
  mkdirp,
  note,
  printHeader,
  printSummary,
  rmrf,
  runTool,
  sh,
  shq,
  smallTotalBytes,
  syncDisks,
  timed,
  toolSh,
  writeResults,
} from "./common.mjs";

const ENDPOINT = process.env.DVX_BENCH_S3_ENDPOINT || "http://127.0.0.1:7480";
const ACCESS_KEY = process.env.DVX_BENCH_S3_ACCESS_KEY || "testaccesskey";
const SECRET_KEY = process.env.DVX_BENCH_S3_SECRET_KEY || "testsecretkey";
const CEIL_CONCURRENCY = Math.max(1, Number(process.env.DVX_BENCH_CEIL_CONCURRENCY || 64));
const PART_SIZE = 16 * 1024 * 1024;
const PART_CONCURRENCY = (process.env.DVX_BENCH_PART_CONCURRENCY || "4,8")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
/**
 * The dvx settings measured side by side in every run, from DVX_BENCH_JOBS (comma-separated): "default" runs dvx
 * without -j (what users get), a number N runs it with -j N. The first one is compared with the peer.
 */
const JOBS_VARIANTS = (process.env.DVX_BENCH_JOBS || "default,64")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
for (const v of JOBS_VARIANTS)
  if (v !== "default" && !(Number(v) >= 1)) {
    console.error(`DVX_BENCH_JOBS: '${v}' is neither "default" nor a positive number`);
    process.exit(2);
  }

const REPORTED = {
  localPush: "28.6 s",
  s3Push: "406 s",
  s3Pull: "284 s",
  ceilPut: "~420 PUT/s",
  ceilGet: "~580 GET/s",
  ceilBig: "~133 MB/s",
};

const SUBSETS = ["local", "s3", "big"];
const argv = process.argv.slice(2);
for (const a of argv)
  if (!SUBSETS.includes(a)) {
    console.error(`unknown subset '${a}'; use any of: ${SUBSETS.join(", ")}`);
    process.exit(2);
  }
const want = new Set(argv.length ? argv : SUBSETS);
const peerTool = TOOLS[1];
/** Who runs each workload: the dvx variants, then the peer (with its own defaults). */
const RUNNERS = [
  ...JOBS_VARIANTS.map((v) =>
    v === "default"
      ? { name: "dvx", slug: "dvx", tool: TOOLS[0], args: [], dvx: true }
      : { name: `dvx -j ${v}`, slug: `dvx-j${v}`, tool: TOOLS[0], args: ["-j", v], dvx: true },
  ),
  ...(peerTool ? [{ name: peerTool.name, slug: "peer", tool: peerTool, args: [], dvx: false }] : []),
];
const DVX_RUNNERS = RUNNERS.filter((r) => r.dvx);
const MAIN = DVX_RUNNERS[0].name; // the dvx variant compared with the peer

const results = {
  runs: RUNS,
  scale: SCALE,
  smallFiles: SMALL_FILES,
  bigBytes: BIG_BYTES,
  subsets: [...want],
  workloads: {},
};
const byTool = () => Object.fromEntries(RUNNERS.map((r) => [r.name, []]));
const allRss = byTool(); // peak RSS of every run, by runner, for the "≤ 300 MB" row
const cpu = (r) => (r.user ?? 0) + (r.sys ?? 0);
const MB = 1e6; // throughput in MB/s (10^6 bytes), as the reported figures

function recordRss(run, r) {
  allRss[run.name].push(r.rssKB);
}

// ------------------------------------------------------------------ S3 plumbing (raw SDK; the ceiling)

let sdk; // @aws-sdk/client-s3, imported only when an S3 subset runs
const buckets = []; // every bucket this run created (deleted at the end unless KEEP=1)

async function s3client(maxSockets) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  sdk ??= await import("@aws-sdk/client-s3");
  const agentOpts = { keepAlive: true, maxSockets };
  return new sdk.S3Client({
    endpoint: ENDPOINT,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: {
      httpAgent: new HttpAgent(agentOpts),
      httpsAgent: new HttpsAgent(agentOpts),
      requestTimeout: 120_000,
    },
    maxAttempts: 3,
  });
}

let bucketSeq = 0;
async function newBucket(client, tag) {
  const name = `dvxb-${process.pid}-${Date.now().toString(36)}-${tag}-${++bucketSeq}`.toLowerCase().slice(0, 63);
  await client.send(new sdk.CreateBucketCommand({ Bucket: name }));
  buckets.push(name);
  return name;
}

async function pool(items, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

async function deleteBucket(client, bucket) {
  let token;
  let n = 0;
  do {
    const page = await client.send(
      new sdk.ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token, MaxKeys: 1000 }),
    );
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key }));
    if (keys.length) {
      await client.send(new sdk.DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
      n += keys.length;
    }
  } while (token);
  const ups = await client.send(new sdk.ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const u of ups.Uploads ?? [])
    await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
  await client.send(new sdk.DeleteBucketCommand({ Bucket: bucket }));
  const i = buckets.indexOf(bucket);
  if (i >= 0) buckets.splice(i, 1);
  return n;
}

async function dropBucket(client, bucket) {
  if (KEEP) return;
  const t0 = Date.now();
  const n = await deleteBucket(client, bucket);
  note(`deleted bucket ${bucket} (${n} objects, ${((Date.now() - t0) / 1000).toFixed(1)} s, untimed)`);
}

async function gatewayAnswers() {
  try {
    await fetch(ENDPOINT, { signal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}

let startedGateway = false;
async function ensureGateway() {
  if (await gatewayAnswers()) {
    note(`S3 gateway answers at ${ENDPOINT} (already running; the bench will not stop it)`);
    return;
  }
  if (process.env.DVX_BENCH_S3_ENDPOINT) throw new Error(`S3 endpoint ${ENDPOINT} does not answer`);
  note("S3 gateway does not answer; starting it: scripts/s3/rgw-stop.sh; OSD_SIZE=64G scripts/s3/rgw-start.sh");
  // a roomy (sparse) OSD: RGW frees deleted large objects only ~2 h later, and a full run writes ~20 GiB
  sh(["bash", "-c", "scripts/s3/rgw-stop.sh; OSD_SIZE=${OSD_SIZE:-64G} scripts/s3/rgw-start.sh"], { cwd: ROOT });
  startedGateway = true;
  if (!(await gatewayAnswers())) throw new Error("the S3 gateway still does not answer after rgw-start.sh");
}

/** Cache objects of the small files: [{ key: "files/md5/ab/cdef..", path, size }] (the .dir manifest excluded). */
function smallCacheObjects(repo, bigMd5) {
  const base = join(repo, ".dvc", "cache", "files", "md5");
  const out = [];
  for (const d of readdirSync(base)) {
    for (const f of readdirSync(join(base, d))) {
      if (f.endsWith(".dir") || d + f === bigMd5) continue;
      out.push({ key: `files/md5/${d}/${f}`, path: join(base, d, f) });
    }
  }
  return out;
}

/** CPU seconds (user+sys) of this process since a process.cpuUsage() sample. */
function cpuSince(c0) {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1e6;
}

/** Ceiling for small objects: PUT then GET every object with CEIL_CONCURRENCY requests in flight. */
async function ceilingSmall(client, bucket, objects) {
  let c0 = process.cpuUsage();
  let t0 = process.hrtime.bigint();
  await pool(objects, CEIL_CONCURRENCY, async (o) => {
    await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: `ceil/${o.key}`, Body: await readFile(o.path) }));
  });
  const put = Number(process.hrtime.bigint() - t0) / 1e9;
  const putCpu = cpuSince(c0);
  c0 = process.cpuUsage();
  t0 = process.hrtime.bigint();
  let bytes = 0;
  await pool(objects, CEIL_CONCURRENCY, async (o) => {
    const r = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: `ceil/${o.key}` }));
    bytes += (await r.Body.transformToByteArray()).length;
  });
  const get = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    put,
    get,
    putRate: objects.length / put,
    getRate: objects.length / get,
    bytes,
    putCpu,
    getCpu: cpuSince(c0),
  };
}

/**
 * Ceiling for the big file: multipart upload (16 MiB parts streamed from the file), then a streamed download
 * to disk.
 */
async function ceilingBigUpload(client, bucket, key, file, concurrency) {
  const size = statSync(file).size;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const { UploadId } = await client.send(new sdk.CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const parts = [];
  for (let off = 0, n = 1; off < size; off += PART_SIZE, n++)
    parts.push({ n, off, len: Math.min(PART_SIZE, size - off) });
  const done = [];
  try {
    await pool(parts, concurrency, async (p) => {
      const r = await client.send(
        new sdk.UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          PartNumber: p.n,
          ContentLength: p.len,
          Body: createReadStream(file, { start: p.off, end: p.off + p.len - 1, highWaterMark: 1024 * 1024 }),
        }),
      );
      done.push({ PartNumber: p.n, ETag: r.ETag });
    });
    done.sort((a, b) => a.PartNumber - b.PartNumber);
    await client.send(
      new sdk.CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: done } }),
    );
  } catch (e) {
    await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => {});
    throw e;
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { s, rate: size / MB / s, cpu: cpuSince(c0) };
}

async function ceilingBigDownload(client, bucket, key, dest) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
  await pipeline(r.Body, createWriteStream(dest, { highWaterMark: 1024 * 1024 }));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const size = statSync(dest).size;
  rmrf(dest);
  return { s, rate: size / MB / s, cpu: cpuSince(c0) };
}

// ------------------------------------------------------------------ repos

/** The origin repo of a tool: small files in data/, the big file as big.bin, both added and committed. */
function setupOrigin(tool, { small, big }) {
  const repo = freshRepo(tool, `origin-${tool.name}`);
  const t0 = Date.now();
  if (small) {
    linkCopy(ensureSmallDir(), join(repo, "data"));
    toolSh(tool, ["add", "data"], { cwd: repo });
  }
  if (big) {
    linkCopy(ensureBigFile(), join(repo, "big.bin"));
    toolSh(tool, ["add", "big.bin"], { cwd: repo });
  }
  gitCommitAll(repo, "track bench data");
  syncDisks();
  note(`${tool.name}: origin repo ${repo} set up in ${((Date.now() - t0) / 1000).toFixed(1)} s (untimed)`);
  return repo;
}

/** Point the tool's S3 remote "s3r" at s3://<bucket>/store (endpoint in .dvc/config, keys in .dvc/config.local). */
function configureS3(tool, repo, bucket) {
  const url = `s3://${bucket}/store`;
  toolSh(tool, ["remote", "add", "-d", "-f", "s3r", url], { cwd: repo });
  toolSh(tool, ["remote", "modify", "s3r", "endpointurl", ENDPOINT], { cwd: repo });
  toolSh(tool, ["remote", "modify", "--local", "s3r", "access_key_id", ACCESS_KEY], { cwd: repo });
  toolSh(tool, ["remote", "modify", "--local", "s3r", "secret_access_key", SECRET_KEY], { cwd: repo });
}

/** A fresh clone of the origin (empty cache) with the same remote configuration. */
function freshClone(tool, origin, name) {
  const dir = join(WORK_DIR, name);
  rmrf(dir);
  sh(["git", "clone", "-q", origin, dir]);
  for (const f of ["config", "config.local"]) {
    const src = join(origin, ".dvc", f);
    if (existsSync(src)) copyFileSync(src, join(dir, ".dvc", f));
  }
  if (existsSync(join(dir, ".dvc", "cache"))) throw new Error(`fresh clone ${dir} already has a cache`);
  return dir;
}

function countFiles(dir) {
  return Number(shq(`find '${dir}' -type f | wc -l`).stdout.trim());
}

function md5OfDvcFile(repo, dvcFile) {
  if (!existsSync(join(repo, dvcFile))) return ""; // e.g. the "s3" subset alone: no big file in the origin
  const m = /md5:\s*([0-9a-f]{32})/.exec(readFileSync(join(repo, dvcFile), "utf8"));
  return m ? m[1] : "";
}

const rateStr = (x, unit) => (Number.isFinite(x) ? `${x.toFixed(x >= 100 ? 0 : 1)} ${unit}` : "-");
const pct = (x) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : "-");

/** A summary label naming the dvx variant when more than one is measured. */
const labelOf = (label, run) =>
  DVX_RUNNERS.length > 1 ? `${label} [${run.args.length ? run.args.join(" ") : "defaults"}]` : label;

/**
 * "m% (runs a–b%)": the median of the per-run ratios (each run against the reference measured in the same run,
 * which drifts less than the absolute figures on a shared machine) and their spread.
 */
function runRatio(values, refs) {
  const rs = values.map((v, i) => v / refs[i]).filter(Number.isFinite);
  const range = rs.length > 1 ? ` (runs ${pct(Math.min(...rs))}–${pct(Math.max(...rs))})` : "";
  return { ratio: pct(median(rs)) + range, pass: median(rs) >= 0.9 };
}

/** Peer columns for the row of the main dvx variant (the peer runs with its own defaults). */
const peerCols = (run, arr, d, fmt) =>
  peerTool && run.name === MAIN
    ? { peer: fmt(median(arr[peerTool.name])), peerRatio: `${(d / median(arr[peerTool.name])).toFixed(2)}x` }
    : {};

// ------------------------------------------------------------------ workloads

async function benchLocal(origins, rows) {
  log(
    `\n[local] push of ${SMALL_FILES} small files + ${fmtBytes(BIG_BYTES)} file to a local directory remote (fresh remote dir each run)`,
  );
  log(`        reference (context only): cp -r of the same cache files (.dvc/cache/files) to a new directory`);
  const w = { ref: [], ...byTool(), rss: byTool(), cpu: byTool() };
  for (let i = 0; i < RUNS; i++) {
    const parts = [];
    const refDest = join(WORK_DIR, `cp-ref-${i}`);
    const ref = await timed(["cp", "-r", join(origins.dvx, ".dvc", "cache", "files"), refDest]);
    w.ref.push(ref.wall);
    parts.push(`cp -r ${fmtSec(ref.wall)} (cpu ${fmtSec(cpu(ref))})`);
    rmrf(refDest);
    syncDisks();
    for (const run of RUNNERS) {
      const tool = run.tool;
      const remote = join(WORK_DIR, `remote-local-${run.slug}-${i}`);
      toolSh(tool, ["remote", "add", "-d", "-f", "r", remote], { cwd: origins[tool.name] });
      const r = await runTool(tool, ["push", ...run.args], { cwd: origins[tool.name] });
      recordRss(run, r);
      w[run.name].push(r.wall);
      w.rss[run.name].push(r.rssKB);
      w.cpu[run.name].push(cpu(r));
      const n = countFiles(remote);
      parts.push(`${run.name} ${fmtSec(r.wall)} (cpu ${fmtSec(cpu(r))}, ${fmtMB(r.rssKB)}, ${n} files in remote)`);
      rmrf(remote);
      syncDisks();
    }
    log(`  run ${i + 1}: ${parts.join(", ")}`);
  }
  results.workloads.local = w;
  for (const run of DVX_RUNNERS) {
    const d = median(w[run.name]);
    rows.push({
      workload: labelOf(`local remote: push ${SMALL_FILES} files + ${fmtBytes(BIG_BYTES)}`, run),
      dvx: `${fmtSec(d)} (cpu ${fmtSec(median(w.cpu[run.name]))})`,
      ref: `cp -r: ${fmtSec(median(w.ref))}`,
      ratio: `${(d / median(w.ref)).toFixed(2)}x`,
      target: "≤ 8 s",
      pass: d <= 8,
      reported: REPORTED.localPush,
      ...peerCols(run, w, d, fmtSec),
    });
  }
}

async function benchS3Small(client, origins, rows) {
  const objects = smallCacheObjects(origins.dvx, md5OfDvcFile(origins.dvx, "big.bin.dvc"));
  const nObj = SMALL_FILES + 1; // what push/pull move: the files plus the .dir manifest
  log(`\n[s3] ${SMALL_FILES} small files (${fmtBytes(smallTotalBytes())}) against ${ENDPOINT}`);
  log(
    `     ceiling: plain SDK, ${CEIL_CONCURRENCY} requests in flight, keep-alive; PUT then GET the same ${objects.length} objects (GET bodies read into memory)`,
  );
  log(
    `     dvx: push to a fresh bucket, status -c, 2nd push (nothing missing), pull into a fresh clone (empty cache; fetch + checkout)`,
  );
  const w = {
    ceilPut: [],
    ceilGet: [],
    ceilPutCpu: [],
    ceilGetCpu: [],
    push: byTool(),
    pushCpu: byTool(),
    status: byTool(),
    push2: byTool(),
    pull: byTool(),
    pullCpu: byTool(),
    rss: byTool(),
  };
  const scratch = await newBucket(client, "ceil");
  for (let i = 0; i < RUNS; i++) {
    const c = await ceilingSmall(client, scratch, objects);
    w.ceilPut.push(c.putRate);
    w.ceilGet.push(c.getRate);
    w.ceilPutCpu.push(c.putCpu);
    w.ceilGetCpu.push(c.getCpu);
    log(
      `  run ${i + 1} ceiling: PUT ${c.put.toFixed(1)} s = ${rateStr(c.putRate, "obj/s")} (cpu ${fmtSec(c.putCpu)}), GET ${c.get.toFixed(1)} s = ${rateStr(c.getRate, "obj/s")} (cpu ${fmtSec(c.getCpu)})`,
    );
    for (const run of RUNNERS) {
      const tool = run.tool;
      const origin = origins[tool.name];
      const bucket = await newBucket(client, `${run.slug}-s${i}`);
      configureS3(tool, origin, bucket);
      const p = await runTool(tool, ["push", "data.dvc", ...run.args], { cwd: origin });
      const st = await runTool(tool, ["status", "-c", "data.dvc", ...run.args], { cwd: origin });
      const p2 = await runTool(tool, ["push", "data.dvc", ...run.args], { cwd: origin });
      const clone = freshClone(tool, origin, `clone-${run.slug}-${i}`);
      const pl = await runTool(tool, ["pull", "data.dvc", ...run.args], { cwd: clone });
      const got = countFiles(join(clone, "data"));
      for (const r of [p, st, p2, pl]) {
        recordRss(run, r);
        w.rss[run.name].push(r.rssKB);
      }
      w.push[run.name].push(nObj / p.wall);
      w.pushCpu[run.name].push(cpu(p));
      w.status[run.name].push(st.wall);
      w.push2[run.name].push(p2.wall);
      w.pull[run.name].push(nObj / pl.wall);
      w.pullCpu[run.name].push(cpu(pl));
      log(
        `  run ${i + 1} ${run.name}: push ${fmtSec(p.wall)} = ${rateStr(nObj / p.wall, "obj/s")} (cpu ${fmtSec(cpu(p))}, ${fmtMB(p.rssKB)}); ` +
          `status -c ${fmtSec(st.wall)} (${fmtMB(st.rssKB)}); 2nd push ${fmtSec(p2.wall)} (${fmtMB(p2.rssKB)}); ` +
          `pull ${fmtSec(pl.wall)} = ${rateStr(nObj / pl.wall, "obj/s")} (cpu ${fmtSec(cpu(pl))}, ${fmtMB(pl.rssKB)}; ${got}/${SMALL_FILES} files checked out)`,
      );
      if (got !== SMALL_FILES) note(`WARNING: ${run.name} pull checked out ${got} of ${SMALL_FILES} files`);
      if (!/up to date|everything is|nothing/i.test(st.out + st.err))
        note(`${run.name} status -c said: ${(st.out + st.err).trim().split("\n").slice(0, 3).join(" / ")}`);
      rmrf(clone);
      await dropBucket(client, bucket);
    }
  }
  await dropBucket(client, scratch);
  results.workloads.s3Small = w;
  const put = median(w.ceilPut),
    get = median(w.ceilGet);
  rows.push({
    workload: `ceiling: SDK PUT ${SMALL_FILES} objects (${CEIL_CONCURRENCY} in flight)`,
    ref: `${rateStr(put, "obj/s")} (cpu ${fmtSec(median(w.ceilPutCpu))})`,
    reported: REPORTED.ceilPut,
  });
  rows.push({
    workload: `ceiling: SDK GET ${SMALL_FILES} objects`,
    ref: `${rateStr(get, "obj/s")} (cpu ${fmtSec(median(w.ceilGetCpu))})`,
    reported: REPORTED.ceilGet,
  });
  const thr = (label, run, arr, cpuArr, ceil, ceils, reported) => {
    const d = median(arr[run.name]);
    rows.push({
      workload: labelOf(label, run),
      dvx: `${rateStr(d, "obj/s")} (cpu ${fmtSec(median(cpuArr[run.name]))})`,
      ref: rateStr(ceil, "obj/s"),
      ...runRatio(arr[run.name], ceils),
      target: "≥ 90% of ceiling",
      reported,
      ...peerCols(run, arr, d, (x) => rateStr(x, "obj/s")),
    });
  };
  const abs = (label, run, arr) => {
    const d = median(arr[run.name]);
    rows.push({
      workload: labelOf(label, run),
      dvx: fmtSec(d),
      target: "≤ 10 s",
      pass: d <= 10,
      ...peerCols(run, arr, d, fmtSec),
    });
  };
  for (const run of DVX_RUNNERS) {
    thr(`s3: push ${SMALL_FILES} files`, run, w.push, w.pushCpu, put, w.ceilPut, `${REPORTED.s3Push} (DVC push)`);
    thr(
      `s3: pull ${SMALL_FILES} files (fresh clone)`,
      run,
      w.pull,
      w.pullCpu,
      get,
      w.ceilGet,
      `${REPORTED.s3Pull} (DVC pull)`,
    );
  }
  for (const run of DVX_RUNNERS) {
    abs(`s3: status -c, nothing missing (${SMALL_FILES} files)`, run, w.status);
    abs(`s3: 2nd push, nothing missing (${SMALL_FILES} files)`, run, w.push2);
  }
}

async function benchS3Big(client, origins, rows) {
  const bigFile = ensureBigFile();
  log(`\n[big] one ${fmtBytes(BIG_BYTES)} object against ${ENDPOINT}`);
  log(
    `      ceiling: plain SDK multipart upload (16 MiB parts streamed from the file, ${PART_CONCURRENCY.join(" or ")} parts in flight; best of`,
  );
  log(
    `      those), then one streamed GetObject written to disk. dvx: push to a fresh bucket, pull into a fresh clone (fetch + checkout)`,
  );
  const w = {
    ceilUp: Object.fromEntries(PART_CONCURRENCY.map((c) => [c, []])),
    ceilDown: [],
    push: byTool(),
    pushCpu: byTool(),
    pull: byTool(),
    pullCpu: byTool(),
    fetch: byTool(),
    fetchCpu: byTool(),
    rss: byTool(),
  };
  const scratch = await newBucket(client, "ceilbig");
  for (let i = 0; i < RUNS; i++) {
    const parts = [];
    for (const c of PART_CONCURRENCY) {
      const up = await ceilingBigUpload(client, scratch, `big-${c}`, bigFile, c);
      w.ceilUp[c].push(up.rate);
      parts.push(
        `upload (${c} parts in flight) ${up.s.toFixed(1)} s = ${rateStr(up.rate, "MB/s")} (cpu ${fmtSec(up.cpu)})`,
      );
    }
    const down = await ceilingBigDownload(
      client,
      scratch,
      `big-${PART_CONCURRENCY[PART_CONCURRENCY.length - 1]}`,
      join(WORK_DIR, "ceil-download.bin"),
    );
    w.ceilDown.push(down.rate);
    parts.push(`download ${down.s.toFixed(1)} s = ${rateStr(down.rate, "MB/s")} (cpu ${fmtSec(down.cpu)})`);
    log(`  run ${i + 1} ceiling: ${parts.join(", ")}`);
    syncDisks();
    for (const run of RUNNERS) {
      const tool = run.tool;
      const origin = origins[tool.name];
      const bucket = await newBucket(client, `${run.slug}-b${i}`);
      configureS3(tool, origin, bucket);
      // untimed warm-up read of the object push will send, as the ceiling's source file was just read
      const bigMd5 = md5OfDvcFile(origin, "big.bin.dvc");
      const cached = join(origin, ".dvc", "cache", "files", "md5", bigMd5.slice(0, 2), bigMd5.slice(2));
      if (existsSync(cached)) execFileSync("cat", [cached], { stdio: ["ignore", "ignore", "inherit"] });
      const p = await runTool(tool, ["push", "big.bin.dvc", ...run.args], { cwd: origin });
      const clone = freshClone(tool, origin, `clone-big-${run.slug}-${i}`);
      syncDisks();
      const pl = await runTool(tool, ["pull", "big.bin.dvc", ...run.args], { cwd: clone });
      const okSize = existsSync(join(clone, "big.bin")) && statSync(join(clone, "big.bin")).size === BIG_BYTES;
      for (const r of [p, pl]) {
        recordRss(run, r);
        w.rss[run.name].push(r.rssKB);
      }
      w.push[run.name].push(BIG_BYTES / MB / p.wall);
      w.pushCpu[run.name].push(cpu(p));
      w.pull[run.name].push(BIG_BYTES / MB / pl.wall);
      w.pullCpu[run.name].push(cpu(pl));
      log(
        `  run ${i + 1} ${run.name}: push ${fmtSec(p.wall)} = ${rateStr(BIG_BYTES / MB / p.wall, "MB/s")} (cpu ${fmtSec(cpu(p))}, ${fmtMB(p.rssKB)}); ` +
          `pull ${fmtSec(pl.wall)} = ${rateStr(BIG_BYTES / MB / pl.wall, "MB/s")} (cpu ${fmtSec(cpu(pl))}, ${fmtMB(pl.rssKB)})${okSize ? "" : "  WARNING: big.bin missing or wrong size after pull"}`,
      );
      rmrf(clone);
      syncDisks();
      // context: fetch alone writes the object once (into the cache), as the ceiling's download does
      const fclone = freshClone(tool, origin, `clone-bigf-${run.slug}-${i}`);
      syncDisks();
      const f = await runTool(tool, ["fetch", "big.bin.dvc", ...run.args], { cwd: fclone });
      recordRss(run, f);
      w.fetch[run.name].push(BIG_BYTES / MB / f.wall);
      w.fetchCpu[run.name].push(cpu(f));
      log(
        `  run ${i + 1} ${run.name}: fetch ${fmtSec(f.wall)} = ${rateStr(BIG_BYTES / MB / f.wall, "MB/s")} (cpu ${fmtSec(cpu(f))}, ${fmtMB(f.rssKB)})`,
      );
      rmrf(fclone);
      syncDisks();
      await dropBucket(client, bucket);
    }
  }
  await dropBucket(client, scratch);
  results.workloads.s3Big = w;
  const bestC = PART_CONCURRENCY.reduce(
    (b, c) => (median(w.ceilUp[c]) > median(w.ceilUp[b]) ? c : b),
    PART_CONCURRENCY[0],
  );
  const up = median(w.ceilUp[bestC]),
    down = median(w.ceilDown);
  rows.push({
    workload: `ceiling: SDK multipart upload ${fmtBytes(BIG_BYTES)} (${bestC} parts in flight)`,
    ref: rateStr(up, "MB/s"),
    reported: REPORTED.ceilBig,
  });
  rows.push({ workload: `ceiling: SDK streamed download ${fmtBytes(BIG_BYTES)}`, ref: rateStr(down, "MB/s") });
  const thr = (label, run, arr, cpuArr, ceil, ceils, target = true) => {
    const d = median(arr[run.name]);
    rows.push({
      workload: labelOf(label, run),
      dvx: `${rateStr(d, "MB/s")} (cpu ${fmtSec(median(cpuArr[run.name]))})`,
      ref: rateStr(ceil, "MB/s"),
      ...runRatio(arr[run.name], ceils),
      target: target ? "≥ 90% of ceiling" : "-",
      ...(target ? {} : { pass: undefined }),
      ...peerCols(run, arr, d, (x) => rateStr(x, "MB/s")),
    });
  };
  for (const run of DVX_RUNNERS) {
    thr(`s3: push ${fmtBytes(BIG_BYTES)} file`, run, w.push, w.pushCpu, up, w.ceilUp[bestC]);
    thr(`s3: pull ${fmtBytes(BIG_BYTES)} file (fresh clone)`, run, w.pull, w.pullCpu, down, w.ceilDown);
    const label = `s3: fetch ${fmtBytes(BIG_BYTES)} file (context: one write, as the ceiling)`;
    thr(label, run, w.fetch, w.fetchCpu, down, w.ceilDown, false);
  }
}

// ------------------------------------------------------------------ main

async function main() {
  const version = checkDvx();
  printHeader(
    `bench/remote.mjs ${[...want].join(" ")}`,
    [
      `dvx: ${version}; measured as: ${DVX_RUNNERS.map((r) => (r.args.length ? r.name : "dvx (defaults, no -j)")).join(", ")}`,
      want.has("s3") || want.has("big") ? `S3 endpoint: ${ENDPOINT}` : "",
    ].filter(Boolean),
  );
  mkdirp(WORK_DIR);
  const needSmall = want.has("local") || want.has("s3");
  const needBig = want.has("local") || want.has("big");
  const origins = {};
  for (const tool of TOOLS) origins[tool.name] = setupOrigin(tool, { small: needSmall, big: needBig });
  const rows = [];
  if (want.has("local")) await benchLocal(origins, rows);
  if (want.has("s3") || want.has("big")) {
    await ensureGateway();
    const client = await s3client(Math.max(CEIL_CONCURRENCY, 16));
    try {
      if (want.has("s3")) await benchS3Small(client, origins, rows);
      if (want.has("big")) await benchS3Big(client, origins, rows);
    } finally {
      if (!KEEP)
        for (const b of [...buckets])
          await deleteBucket(client, b).catch((e) => note(`could not delete bucket ${b}: ${e.message}`));
      else if (buckets.length) note(`KEEP=1: leaving buckets ${buckets.join(", ")}`);
      client.destroy();
    }
  }
  for (const run of DVX_RUNNERS) {
    const all = allRss[run.name].filter(Number.isFinite);
    const m = max(all);
    rows.push({
      workload: labelOf(`peak RSS of every dvx run (${all.length} runs)`, run),
      dvx: fmtMB(m),
      target: "≤ 300 MB",
      pass: m <= 300 * 1024,
      ...(peerTool && run.name === MAIN ? { peer: fmtMB(max(allRss[peerTool.name])) } : {}),
    });
  }
  checkDistUnchanged();
  printSummary(`remotes summary (medians; SCALE=${SCALE}, RUNS=${RUNS}, subsets: ${[...want].join(" ")})`, rows);
  log(
    `  throughput: obj/s = objects moved / wall time of the command (push/pull also count the .dir manifest); MB/s = 10^6 bytes/s.`,
  );
  log(
    `  ratio: median over runs of (dvx / ceiling measured in the same run), with the lowest and highest run; "[defaults]" = dvx without -j.`,
  );
  log(
    `  "DVC (reported)": DVC 3.64 figures reported earlier on this machine at full scale, for context only (not measured in this run).`,
  );
  log(
    `  The machine is shared and noisy: absolute times drift 2-5x between runs; ratios against the ceiling timed in the same run hold better.`,
  );
  results.summary = rows;
  writeResults("remote", results);
}

try {
  await main();
} catch (e) {
  console.error(`\nbench/remote.mjs failed: ${e.stack || e}`);
  process.exitCode = 1;
} finally {
  if (startedGateway && !KEEP) {
    note("stopping the S3 gateway this bench started (scripts/s3/rgw-stop.sh)");
    sh(["bash", "scripts/s3/rgw-stop.sh"], { cwd: ROOT, allowFail: true });
  }
  cleanup();
}
