// Stage `download`: fetches the raw CSV named by params.yaml `download.url` into data/raw/penguins.csv.
// http:// and https:// use Node's fetch; file:///abs/path is an absolute file; file:rel/path (no slash after
// "file:") is relative to the project folder (this stage's working directory, where dvc.yaml and params.yaml are).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  FEATURES,
  LABEL,
  StageError,
  columns,
  parseCsv,
  readParams,
  runStage,
  stringParam,
  writeOut,
} from "./common.mjs";

const OUT = "data/raw/penguins.csv";
const TIMEOUT_MS = 60_000;

runStage("download", async () => {
  const url = stringParam(readParams(), "download.url");
  const bytes = await fetchBytes(url);
  const { header, rows } = parseCsv(bytes.toString("utf8"), shown(url));
  columns(header, [LABEL, ...FEATURES], shown(url));
  writeOut(OUT, bytes);
  process.stdout.write(`download: ${rows.length} rows (${bytes.length} bytes) from ${shown(url)} -> ${OUT}\n`);
});

async function fetchBytes(url) {
  if (/^https?:\/\//i.test(url)) return fetchHttp(url);
  if (/^file:/i.test(url)) return readLocal(url);
  throw new StageError(`download.url must start with http://, https:// or file: (got "${shown(url)}")`);
}

async function fetchHttp(url) {
  // fetch refuses user:password@ in a URL: send it as Basic authentication instead.
  let target;
  try {
    target = new URL(url);
  } catch {
    throw new StageError(`download.url "${shown(url)}" is not a valid URL`);
  }
  const headers = {};
  if (target.username || target.password) {
    const user = decodeURIComponent(target.username);
    headers.authorization = `Basic ${Buffer.from(`${user}:${decodeURIComponent(target.password)}`).toString("base64")}`;
    target.username = target.password = "";
  }
  let res;
  try {
    res = await fetch(target, { headers, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "follow" });
  } catch (err) {
    if (err?.name === "TimeoutError") throw new StageError(`${shown(url)}: no answer within ${TIMEOUT_MS / 1000} s`);
    const cause = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(err);
    throw new StageError(`cannot fetch ${shown(url)}: ${String(cause).replaceAll(url, shown(url))}`);
  }
  if (!res.ok) throw new StageError(`${shown(url)} answered ${res.status} ${res.statusText}`.trimEnd());
  return Buffer.from(await res.arrayBuffer());
}

async function readLocal(url) {
  let path;
  if (/^file:\//i.test(url)) {
    try {
      path = fileURLToPath(url);
    } catch (err) {
      const hint = 'a path relative to the project is written without slashes: "file:dataset/penguins.csv"';
      throw new StageError(`bad file URL "${url}": ${err.message} (${hint})`);
    }
  } else {
    path = resolve(decodeURIComponent(url.slice("file:".length)));
  }
  try {
    return await readFile(path);
  } catch (err) {
    if (err.code === "ENOENT") throw new StageError(`${url}: no such file ${path}`);
    if (err.code === "EISDIR") throw new StageError(`${url}: ${path} is a folder, not a file`);
    throw err;
  }
}

/** The URL without any user:password part, for messages. */
function shown(url) {
  return url.replace(/^([a-z]+:\/\/)[^/@]*@/i, "$1");
}
