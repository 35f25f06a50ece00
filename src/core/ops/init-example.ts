// dvx init --example [DIR]: a new git repository with dvx set up and the example project of templates/example
// (params.yaml, a four-stage dvc.yaml: download → split → train → evaluate, its scripts and its dataset),
// staged with git, ready for `dvx repro`.
import { existsSync, promises as fs, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { BadTargetError } from "../../errors.js";
import { packagePath } from "../../version.js";
import { initOp } from "./init.js";

export interface InitExampleOptions {
  /** Absolute path of the project to create (absent or empty). */
  dir: string;
}

export interface InitExampleResult {
  dir: string;
  /** Project-relative paths written, staged with git. */
  files: string[];
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p, base)));
    else out.push(relative(base, p).split("\\").join("/"));
  }
  return out.sort();
}

export async function initExampleOp(opts: InitExampleOptions): Promise<InitExampleResult> {
  const { dir } = opts;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new BadTargetError(dir, "it exists and is not empty", "give a new directory: dvx init --example my-project");
  }
  await fs.mkdir(dir, { recursive: true });
  const git = await import("../../git/git.js");
  await git.initRepo(dir, { defaultBranch: "main" });
  const init = await initOp({ root: dir, noScm: false, force: false });
  const source = packagePath("templates/example");
  await fs.cp(source, dir, { recursive: true, errorOnExist: true, force: false });
  const files = await listFiles(source);
  await git.gitAdd(dir, [...new Set([...init.gitAdd, ...files])]);
  return { dir, files };
}
