import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/config.js";
import type { AppError } from "../../../src/errors.js";

const FIXTURE = fileURLToPath(new URL("../../fixtures/basic/repo.tar.gz", import.meta.url));

let root: string;
let dotDir: string;
let env: Record<string, string | undefined>;
let sysDir: string;
let globalDir: string;

beforeEach(async () => {
  const base = await mkdtemp(join(tmpdir(), "dvx-config-"));
  root = join(base, "repo");
  dotDir = join(root, ".dvc");
  sysDir = join(base, "system");
  globalDir = join(base, "global");
  await mkdir(dotDir, { recursive: true });
  await writeFile(join(dotDir, "config"), "");
  env = { HOME: join(base, "home"), DVC_SYSTEM_CONFIG_DIR: sysDir, DVC_GLOBAL_CONFIG_DIR: globalDir };
});

afterEach(async () => {
  await rm(join(root, ".."), { recursive: true, force: true });
});

async function put(file: string, text: string): Promise<void> {
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(file, text);
}

async function loadError(): Promise<AppError> {
  try {
    await loadConfig({ dotDir, env });
  } catch (err) {
    return err as AppError;
  }
  throw new Error("expected loadConfig to fail");
}

describe("loadConfig defaults", () => {
  it("gives DVC's defaults for an empty config", async () => {
    const c = await loadConfig({ dotDir, env });
    expect(c.core).toEqual({ autostage: false, noScm: false, hardlinkLock: false });
    expect(c.cache).toEqual({
      dir: join(dotDir, "cache"),
      type: ["reflink", "copy"],
      slowLinkWarning: true,
      verify: false,
    });
    expect(c.listRemotes()).toEqual([]);
    expect(c.warnings).toEqual([]);
  });

  it("reads typed core and cache values", async () => {
    await put(
      join(dotDir, "config"),
      "[core]\n    no_scm = True\n    autostage = TRUE\n    checksum_jobs = 3\n[cache]\n    type = hardlink, symlink\n    shared = group\n",
    );
    const c = await loadConfig({ dotDir, env });
    expect(c.core).toMatchObject({ noScm: true, autostage: true, checksumJobs: 3 });
    expect(c.cache.type).toEqual(["hardlink", "symlink"]);
    expect(c.cache.shared).toBe("group");
  });

  it("reads a quoted cache.type string as a list of link types", async () => {
    await put(join(dotDir, "config"), '[cache]\n    type = "reflink,hardlink,symlink"\n');
    expect((await loadConfig({ dotDir, env })).cache.type).toEqual(["reflink", "hardlink", "symlink"]);
  });
});

describe("precedence", () => {
  it("merges system < global < repo < local per key", async () => {
    await put(join(sysDir, "config"), "[core]\n    remote = sys\n    autostage = true\n    checksum_jobs = 1\n");
    await put(join(globalDir, "config"), "[core]\n    remote = glob\n    checksum_jobs = 2\n");
    await put(
      join(dotDir, "config"),
      "[core]\n    remote = repo\n['remote \"repo\"']\n    url = /r\n['remote \"loc\"']\n    url = /l\n",
    );
    await put(join(dotDir, "config.local"), "[core]\n    remote = LOC\n");
    const c = await loadConfig({ dotDir, env });
    expect(c.core).toMatchObject({ remote: "loc", autostage: true, checksumJobs: 2 });
    expect(c.getRemote().name).toBe("loc");
    expect(c.get("core", "remote")).toBe("LOC");
  });

  it("merges a remote's keys across levels (credentials in config.local)", async () => {
    await put(join(dotDir, "config"), "['remote \"s3r\"']\n    url = s3://mybucket/dvcstore\n    region = us-east-1\n");
    await put(
      join(dotDir, "config.local"),
      "['remote \"s3r\"']\n    access_key_id = AKIAXXX\n    region = eu-west-1\n",
    );
    const r = (await loadConfig({ dotDir, env })).getRemote("s3r");
    expect(r).toMatchObject({
      name: "s3r",
      url: "s3://mybucket/dvcstore",
      kind: "s3",
      supported: true,
      bucket: "mybucket",
      prefix: "dvcstore",
    });
    expect(r.options).toEqual({ region: "eu-west-1", access_key_id: "AKIAXXX" });
    expect(r.files).toEqual([join(dotDir, "config"), join(dotDir, "config.local")]);
  });

  it("finds the global config under XDG_CONFIG_HOME or HOME when DVC_GLOBAL_CONFIG_DIR is unset", async () => {
    const home = env.HOME as string;
    await put(join(home, ".config", "dvc", "config"), "[core]\n    autostage = true\n");
    const noGlobal = { HOME: home, DVC_SYSTEM_CONFIG_DIR: sysDir };
    expect((await loadConfig({ dotDir, env: noGlobal, platform: "linux" })).core.autostage).toBe(true);
    const xdg = { ...noGlobal, XDG_CONFIG_HOME: join(home, "xdg") };
    expect((await loadConfig({ dotDir, env: xdg, platform: "linux" })).core.autostage).toBe(false);
  });
});

describe("paths", () => {
  it("resolves relative cache.dir against the directory of the file that set it", async () => {
    await put(join(dotDir, "config"), "[cache]\n    dir = ../../shared-cache\n");
    expect((await loadConfig({ dotDir, env })).cache.dir).toBe(join(root, "..", "shared-cache"));
    await put(join(globalDir, "config"), "[cache]\n    dir = gcache\n");
    await put(join(dotDir, "config"), "");
    expect((await loadConfig({ dotDir, env })).cache.dir).toBe(join(globalDir, "gcache"));
  });

  it("resolves relative local remote urls and path options; keeps scheme urls and absolute paths", async () => {
    await put(
      join(dotDir, "config"),
      "['remote \"rel\"']\n    url = ../../relstore\n['remote \"abs\"']\n    url = /data/store\n['remote \"home\"']\n    url = ~/store\n['remote \"s3\"']\n    url = s3://b/p/\n    credentialpath = creds\n",
    );
    const c = await loadConfig({ dotDir, env });
    expect(c.getRemote("rel")).toMatchObject({
      url: join(root, "..", "relstore"),
      rawUrl: "../../relstore",
      kind: "local",
    });
    expect(c.getRemote("abs").url).toBe("/data/store");
    expect(c.getRemote("home").url).toBe(join(env.HOME as string, "store"));
    expect(c.getRemote("s3")).toMatchObject({
      url: "s3://b/p/",
      prefix: "p",
      options: { credentialpath: join(dotDir, "creds") },
    });
  });

  it.skipIf(!existsSync(FIXTURE))("reads the config real DVC wrote in the basic fixture", async () => {
    const base = join(root, "..", "fixture");
    await mkdir(base);
    execFileSync("tar", ["xzf", FIXTURE, "-C", base]);
    const c = await loadConfig({ dotDir: join(base, "repo", ".dvc"), env });
    expect(c.getRemote()).toMatchObject({ name: "local", url: join(base, "remote"), kind: "local", supported: true });
  });
});

describe("getRemote", () => {
  beforeEach(async () => {
    await put(join(dotDir, "config"), "['remote \"MyRemote\"']\n    url = /x\n    jobs = 8\n");
  });

  it("finds remotes case-insensitively and parses jobs", async () => {
    const r = (await loadConfig({ dotDir, env })).getRemote("MYREMOTE");
    expect(r).toMatchObject({ name: "myremote", url: "/x", jobs: 8, options: { jobs: "8" } });
  });

  it("throws RemoteNotFoundError for an unknown name and when no default is set", async () => {
    const c = await loadConfig({ dotDir, env });
    expect(() => c.getRemote("nope")).toThrow(
      expect.objectContaining({ code: "REMOTE_NOT_FOUND", details: { name: "nope" } }),
    );
    expect(() => c.getRemote()).toThrow(expect.objectContaining({ code: "REMOTE_NOT_FOUND", details: {} }));
  });

  it("throws RemoteNotFoundError when core.remote names a missing remote", async () => {
    await put(join(dotDir, "config.local"), "[core]\n    remote = gone\n");
    await expect(loadConfig({ dotDir, env }).then((c) => c.getRemote())).rejects.toMatchObject({
      code: "REMOTE_NOT_FOUND",
    });
  });

  it("marks remotes of other schemes as unsupported and accepts any of their keys", async () => {
    await put(
      join(dotDir, "config"),
      "['remote \"g\"']\n    url = gs://bucket/x\n    projectname = p\n    anything = 1\n",
    );
    expect((await loadConfig({ dotDir, env })).getRemote("g")).toMatchObject({
      kind: "unsupported",
      supported: false,
      scheme: "gs",
    });
  });
});

describe("validation (DVC refuses to run with these)", () => {
  it.each([
    ["an unknown core key", "[core]\n    colour = red\n", "colour"],
    ["an unknown section", "[colours]\n", "colours"],
    ["an s3 key on a local remote", "['remote \"l\"']\n    url = /x\n    region = us-east-1\n", "region"],
    ["an unknown key on an s3 remote", "['remote \"s\"']\n    url = s3://b\n    regoin = x\n", "regoin"],
    ["a bad boolean", "[core]\n    autostage = yes\n", "autostage"],
    ["a bad integer", "['remote \"l\"']\n    url = /x\n    jobs = 0\n", "jobs"],
    ["a bad link type", "[cache]\n    type = reflink, teleport\n", "type"],
    ["a list for a string key", "[core]\n    remote = a, b\n", "remote"],
  ])("rejects %s with a ConfigError naming the file and key", async (_n, text, key) => {
    await put(join(dotDir, "config"), text);
    const err = await loadError();
    expect(err.code).toBe("CONFIG");
    expect(err.exitCode).toBe(4);
    expect(err.details?.file).toBe(join(dotDir, "config"));
    expect(err.details?.key ?? err.details?.section).toBe(key);
    expect(err.hint).toBeTruthy();
  });

  it("names the file that set the bad key (config.local)", async () => {
    await put(join(dotDir, "config"), "['remote \"l\"']\n    url = /x\n");
    await put(join(dotDir, "config.local"), "['remote \"l\"']\n    secret_access_key = TOPSECRET\n");
    const err = await loadError();
    expect(err.details).toMatchObject({ file: join(dotDir, "config.local"), key: "secret_access_key" });
    expect(JSON.stringify([err.message, err.hint, err.details])).not.toContain("TOPSECRET");
  });

  it("rejects a remote with no url in any level", async () => {
    await put(join(dotDir, "config.local"), "['remote \"s\"']\n    access_key_id = A\n");
    expect((await loadError()).message).toMatch(/remote 's' has no url/);
  });

  it("rejects dvx-only keys in DVC's files and points at dvx.config", async () => {
    await put(join(dotDir, "config"), "['remote \"s\"']\n    url = s3://b\n    multipart_chunksize = 8MiB\n");
    const err = await loadError();
    expect(err.details?.key).toBe("multipart_chunksize");
    expect(err.hint).toMatch(/dvx\.config/);
  });

  it("only warns about unknown feature.* keys, as DVC does", async () => {
    await put(join(dotDir, "config"), "[feature]\n    old_thing = true\n");
    expect((await loadConfig({ dotDir, env })).warnings).toEqual([
      "'feature.old_thing' config option is unsupported and ignored",
    ]);
  });
});

describe("dvx.config", () => {
  beforeEach(async () => {
    await put(join(dotDir, "config"), "['remote \"s\"']\n    url = s3://b\n");
  });

  it("merges multipart settings into the remote's dvxOptions, dvx.config.local over dvx.config", async () => {
    await put(
      join(dotDir, "dvx.config"),
      "['remote \"s\"']\n    multipart_threshold = 64MB\n    multipart_chunksize = 8MiB\n",
    );
    await put(join(dotDir, "dvx.config.local"), "['remote \"s\"']\n    multipart_chunksize = 16777216\n");
    const r = (await loadConfig({ dotDir, env })).getRemote("s");
    expect(r.dvxOptions).toEqual({ multipartThreshold: 64 * 1024 ** 2, multipartChunksize: 16 * 1024 ** 2 });
    expect(r.options).toEqual({});
  });

  it("rejects bad sizes and unknown keys", async () => {
    await put(join(dotDir, "dvx.config"), "['remote \"s\"']\n    multipart_chunksize = 1MB\n");
    expect(await loadError()).toMatchObject({
      code: "CONFIG",
      details: { key: "multipart_chunksize", file: join(dotDir, "dvx.config") },
    });
    await put(join(dotDir, "dvx.config"), "['remote \"s\"']\n    region = x\n");
    expect(await loadError()).toMatchObject({ code: "CONFIG", details: { key: "region" } });
    await put(join(dotDir, "dvx.config"), "[cache]\n    dir = x\n");
    expect(await loadError()).toMatchObject({ code: "CONFIG", details: { section: "cache" } });
  });

  it("[metrics] direction.<metric> = higher|lower: lower-cased names, dvx.config.local over dvx.config", async () => {
    await put(
      join(dotDir, "dvx.config"),
      "[metrics]\n    direction.Acc = higher\n    direction.eval/m.json:loss = LOWER\n    direction.f1 = higher\n",
    );
    await put(join(dotDir, "dvx.config.local"), "[metrics]\n    direction.f1 = lower\n");
    const c = await loadConfig({ dotDir, env });
    expect([...c.metricDirections]).toEqual([
      ["acc", "higher"],
      ["eval/m.json:loss", "lower"],
      ["f1", "lower"],
    ]);
    await put(join(dotDir, "dvx.config"), "[metrics]\n    direction.acc = up\n");
    expect(await loadError()).toMatchObject({ code: "CONFIG", details: { key: "direction.acc" } });
    await put(join(dotDir, "dvx.config"), "[metrics]\n    direction. = higher\n");
    expect(await loadError()).toMatchObject({ code: "CONFIG", details: { key: "direction." } });
    // DVC's own files keep rejecting a section DVC does not know
    await put(join(dotDir, "dvx.config"), "");
    await put(join(dotDir, "config"), "[metrics]\n    direction.acc = higher\n");
    expect(await loadError()).toMatchObject({ code: "CONFIG", details: { section: "metrics" } });
  });

  it("warns about settings for a remote that does not exist", async () => {
    await put(join(dotDir, "dvx.config"), "['remote \"gone\"']\n    multipart_threshold = 1GB\n");
    expect((await loadConfig({ dotDir, env })).warnings).toEqual([expect.stringContaining("'gone'")]);
  });
});
