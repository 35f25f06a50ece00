import { describe, expect, it } from "vitest";
import { configFiles, globalConfigDir, systemConfigDir } from "../../../src/config/files.js";
import { parseRemoteUrl } from "../../../src/config/remote-url.js";
import { checkValue, parseByteSize } from "../../../src/config/schema.js";
import { isSecretKey } from "../../../src/config/secrets.js";
import { toStoredPath } from "../../../src/config/config-data.js";

describe("parseByteSize", () => {
  it.each([
    ["1048576", 1048576],
    ["64MB", 64 * 1024 ** 2],
    ["64mb", 64 * 1024 ** 2],
    ["8MiB", 8 * 1024 ** 2],
    ["1 GB", 1024 ** 3],
    ["512KiB", 512 * 1024],
    ["1.5MB", 1.5 * 1024 ** 2],
    ["10B", 10],
  ])("%s = %d bytes", (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each([["MB"], ["-1"], ["12XB"], ["1e3"], [""], ["0.5B"]])("rejects %j", (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });
});

describe("checkValue", () => {
  it("checks booleans, integers, choices, link types and sizes like DVC", () => {
    expect(checkValue({ kind: "bool" }, "False")).toBeUndefined();
    expect(checkValue({ kind: "bool" }, "yes")).toBe("expected true or false");
    expect(checkValue({ kind: "int", min: 1 }, " 4 ")).toBeUndefined();
    expect(checkValue({ kind: "int", min: 1 }, "0")).toBe("must be at least 1");
    expect(checkValue({ kind: "int" }, "1.5")).toBe("expected an integer");
    expect(checkValue({ kind: "choice", values: ["group"] }, "GROUP")).toBeUndefined();
    expect(checkValue({ kind: "choice", values: ["group"] }, "all")).toMatch(/expected one of group/);
    expect(checkValue({ kind: "linkTypes" }, ["reflink", "copy"])).toBeUndefined();
    expect(checkValue({ kind: "linkTypes" }, "symlink,nope")).toMatch(/'nope'/);
    expect(checkValue({ kind: "str" }, ["a", "b"])).toMatch(/list/);
    expect(checkValue({ kind: "byteSize", min: 5 * 1024 ** 2 }, "4MiB")).toBe(`must be at least ${5 * 1024 ** 2}`);
  });
});

describe("isSecretKey", () => {
  it.each([
    "access_key_id",
    "secret_access_key",
    "session_token",
    "sse_customer_key",
    "password",
    "account_key",
    "token",
    "gdrive_client_secret",
  ])("%s is a secret", (key) => expect(isSecretKey(key)).toBe(true));
  it.each(["url", "region", "endpointurl", "sse_kms_key_id", "keyfile", "key_path", "profile", "user"])(
    "%s is not",
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    },
  );
});

describe("parseRemoteUrl", () => {
  it("classifies urls the way DVC picks a schema", () => {
    expect(parseRemoteUrl("/data/remote")).toMatchObject({ schema: "", kind: "local" });
    expect(parseRemoteUrl("../store")).toMatchObject({ schema: "", kind: "local" });
    expect(parseRemoteUrl("S3://Bucket/a/b/")).toMatchObject({
      scheme: "s3",
      kind: "s3",
      bucket: "Bucket",
      prefix: "a/b",
    });
    expect(parseRemoteUrl("s3://bucket")).toMatchObject({ kind: "s3", bucket: "bucket", prefix: "" });
    expect(parseRemoteUrl("s3:///nobucket")).toMatchObject({ schema: "", kind: "unsupported" });
    expect(parseRemoteUrl("gs://b/x")).toMatchObject({ schema: "gs", kind: "unsupported" });
    expect(parseRemoteUrl("https://h/x")).toMatchObject({ schema: "https", kind: "unsupported" });
  });
});

describe("config file locations", () => {
  it("follows DVC_*_CONFIG_DIR, then XDG / HOME on Linux", () => {
    expect(globalConfigDir({ DVC_GLOBAL_CONFIG_DIR: "/g" }, "linux")).toBe("/g");
    expect(globalConfigDir({ HOME: "/h" }, "linux")).toBe("/h/.config/dvc");
    expect(globalConfigDir({ HOME: "/h", XDG_CONFIG_HOME: "/x" }, "linux")).toBe("/x/dvc");
    expect(globalConfigDir({ HOME: "/h" }, "darwin")).toBe("/h/Library/Application Support/dvc");
    expect(globalConfigDir({}, "linux")).toBeUndefined();
    expect(systemConfigDir({}, "linux")).toBe("/etc/xdg/dvc");
    expect(systemConfigDir({ XDG_CONFIG_DIRS: "/a:/b" }, "linux")).toBe("/a/dvc");
    expect(systemConfigDir({ DVC_SYSTEM_CONFIG_DIR: "/s" }, "linux")).toBe("/s");
  });

  it("puts repo, local and dvx files in .dvc", () => {
    const f = configFiles({ dotDir: "/r/.dvc", env: { HOME: "/h" }, platform: "linux" });
    expect(f).toEqual({
      system: "/etc/xdg/dvc/config",
      global: "/h/.config/dvc/config",
      repo: "/r/.dvc/config",
      local: "/r/.dvc/config.local",
      dvx: "/r/.dvc/dvx.config",
      dvxLocal: "/r/.dvc/dvx.config.local",
    });
    expect(() => configFiles({ dotDir: "rel/.dvc", env: {} })).toThrow(/absolute/);
  });
});

describe("toStoredPath", () => {
  it("stores cwd-relative paths relative to the config file's directory, like DVC", () => {
    expect(toStoredPath("../relstore", "/r", "/r/.dvc")).toBe("../../relstore");
    expect(toStoredPath("../relstore", "/r/sub", "/r/.dvc")).toBe("../relstore");
    expect(toStoredPath("store", "/r", "/r/.dvc")).toBe("../store");
    expect(toStoredPath("/abs/x", "/r", "/r/.dvc")).toBe("/abs/x");
    expect(toStoredPath("~/x", "/r", "/r/.dvc")).toBe("~/x");
    expect(toStoredPath("s3://b/x", "/r", "/r/.dvc")).toBe("s3://b/x");
  });
});
