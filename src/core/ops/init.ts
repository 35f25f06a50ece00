// dvx init: creates .dvc/ and .dvcignore exactly as DVC does (docs/formats.md §1.2).
import { existsSync, promises as fs } from "node:fs";
import { join } from "node:path";
import { AlreadyInitializedError } from "../../errors.js";
import { writeFileAtomic } from "../../fsx/atomic.js";
import { packagePath } from "../../version.js";
import { checkGitTop } from "../repo.js";

/** Files init writes verbatim, from templates/ (shipped with the package). */
const template = (name: string): Promise<string> => fs.readFile(packagePath(`templates/${name}`), "utf8");

export interface InitOptions {
  root: string;
  noScm: boolean;
  force: boolean;
}

export interface InitResult {
  root: string;
  created: string[];
  /** Files to stage with git (DVC always stages these three). */
  gitAdd: string[];
}

export async function initOp(opts: InitOptions): Promise<InitResult> {
  const { root } = opts;
  const dotDir = join(root, ".dvc");
  if (!opts.noScm) await checkGitTop(root);
  if (existsSync(dotDir)) {
    if (!opts.force) throw new AlreadyInitializedError(root);
    await fs.rm(dotDir, { recursive: true, force: true });
  }
  await fs.mkdir(join(dotDir, "tmp"), { recursive: true });
  const created: string[] = [];
  await writeFileAtomic(join(dotDir, "config"), opts.noScm ? "[core]\n    no_scm = True\n" : "");
  created.push(".dvc/config");
  if (!opts.noScm) {
    await writeFileAtomic(join(dotDir, ".gitignore"), await template("dvc-gitignore"));
    created.push(".dvc/.gitignore");
  }
  await fs.writeFile(join(dotDir, "tmp", "btime"), "");
  if (!existsSync(join(root, ".dvcignore"))) {
    await writeFileAtomic(join(root, ".dvcignore"), await template("dvcignore"));
    created.push(".dvcignore");
  }
  const gitAdd = opts.noScm ? [] : [".dvc/.gitignore", ".dvc/config", ".dvcignore"];
  if (gitAdd.length > 0) {
    // DVC always stages these three, whatever core.autostage says
    const { gitAdd: stage } = await import("../../git/git.js");
    await stage(root, gitAdd);
  }
  return { root, created, gitAdd };
}
