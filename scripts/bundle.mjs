// Bundles dist's code into dist/bundle/ (esbuild, code splitting keeps every lazy import lazy): one file to
// load instead of ~40 ESM modules makes `dvx` start faster. Heavy, lazily required packages stay external.
import { build } from "esbuild";

await build({
  entryPoints: { main: "src/cli/main.ts", "hash-worker": "src/odb/hash-worker.ts", "copy-worker": "src/fsx/copy-worker.ts" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["@aws-sdk/*", "@smithy/*", "isomorphic-git", "yaml", "ignore", "cli-table3"],
  // bundled CommonJS (commander) calls require() for Node built-ins
  banner: { js: "import { createRequire as __dvxRequire } from 'node:module'; const require = __dvxRequire(import.meta.url);" },
  logLevel: "warning",
});
