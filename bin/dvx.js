#!/usr/bin/env node
// Tiny launcher (CommonJS: bin/package.json): process-level settings, then the CLI. Exit code via process.exitCode
// (never process.exit).
"use strict";
process.env.UV_THREADPOOL_SIZE ??= "16"; // file hashing/copying runs on libuv's pool
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { readFileSync, writeFileSync, renameSync, rmSync } = require("node:fs");
const { join } = require("node:path");

// dist/bundle/main.cjs (npm run build) is compiled with a V8 code cache kept beside it: on a hit V8 skips parsing
// and compiling what earlier runs compiled, a large part of dvx's start-up. The cache is best effort: a missing,
// stale (other Node/V8, other flags) or corrupt one is rejected by V8 and rewritten; an unwritable directory only
// costs the speed-up.
function loadBundle() {
  const file = join(__dirname, "..", "dist", "bundle", "main.cjs");
  let source;
  try {
    source = readFileSync(file, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return undefined;
    throw err;
  }
  const vm = require("node:vm");
  const { createRequire, wrap } = require("node:module");
  const cacheFile = `${file}.${process.version}-${process.arch}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(wrap(source), { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, join(file, ".."));
  const saveCache = () => {
    if (cachedData !== undefined && !script.cachedDataRejected) return;
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      rmSync(tmp, { force: true });
    }
  };
  return { cli: module.exports, saveCache };
}

(async () => {
  const loaded = loadBundle();
  // without a bundle: the plain tsc output (ESM)
  const { main, realIo } = loaded?.cli ?? (await import("../dist/cli/main.js"));
  process.exitCode = await main(process.argv.slice(2), realIo());
  loaded?.saveCache(); // after the run, so the functions it compiled are in the cache
})().catch((err) => {
  console.error(err);
  process.exitCode = 70;
});
