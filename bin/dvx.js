#!/usr/bin/env node
// Tiny launcher: process-level settings, then the CLI. Exit code via process.exitCode (never process.exit).
process.env.UV_THREADPOOL_SIZE ??= "16"; // file hashing/copying runs on libuv's pool
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// the bundle (npm run build makes both) loads faster; dist/cli is the plain tsc output
const { main, realIo } = await import("../dist/bundle/main.js").catch((err) => {
  if (err?.code !== "ERR_MODULE_NOT_FOUND") throw err;
  return import("../dist/cli/main.js");
});
process.exitCode = await main(process.argv.slice(2), realIo());
