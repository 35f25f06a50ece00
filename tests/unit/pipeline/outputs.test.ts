import { describe, expect, it } from "vitest";
import { collectPipelineOutputs } from "../../../src/pipeline/outputs.js";
import { fixtureFiles, memoryReader } from "./memory-reader.js";

const LOCK = [
  "schema: '2.0'",
  "stages:",
  "  train:",
  "    cmd: python train.py",
  "    outs:",
  "    - path: model.pkl",
  "      hash: md5",
  "      md5: 0123456789abcdef0123456789abcdef",
  "      size: 3",
  "    - path: scores.json",
  "      hash: md5",
  "      md5: fedcba9876543210fedcba9876543210",
  "      size: 10",
  "",
].join("\n");

describe("collectPipelineOutputs", () => {
  it("pairs outs, metrics and plots with their lock items by normalised path", async () => {
    const res = await collectPipelineOutputs(
      memoryReader({
        "dvc.yaml":
          "stages:\n  train:\n    cmd: python train.py\n    outs: [./model.pkl, extra.bin]\n    metrics: [{scores.json: {cache: false}}]\n",
        "dvc.lock": LOCK,
      }),
      "dvc.yaml",
    );
    expect(res.source).toBe("dvc.yaml");
    expect(res.outputs.map((o) => [o.out.path, o.out.kind, o.out.cache, o.lock?.md5])).toEqual([
      ["model.pkl", "outs", true, "0123456789abcdef0123456789abcdef"],
      ["extra.bin", "outs", true, undefined],
      ["scores.json", "metrics", false, "fedcba9876543210fedcba9876543210"],
    ]);
    expect(res.outputs[1]).not.toHaveProperty("lock");
  });

  it("works without a lock file", async () => {
    const res = await collectPipelineOutputs(
      memoryReader({ "dvc.yaml": "stages:\n  s: {cmd: x, outs: [o]}\n" }),
      "dvc.yaml",
    );
    expect(res.outputs).toEqual([
      {
        stage: "s",
        address: "s",
        out: { path: "o", decl: "o", cache: true, persist: false, push: true, kind: "outs", extra: {} },
      },
    ]);
  });

  it("falls back to the lock's outputs with a warning when dvc.yaml cannot be resolved", async () => {
    const files = fixtureFiles("basic-pipeline", "sub/");
    delete files["sub/params.yaml"]; // e.g. an old revision without the vars file
    const res = await collectPipelineOutputs(memoryReader(files, "HEAD~3"), "sub/dvc.yaml");
    expect(res.source).toBe("dvc.lock");
    expect(res.fallbackCode).toBe("PIPELINE_RESOLVE");
    expect(res.warnings).toHaveLength(1);
    expect(res.warnings[0]).toMatch(/HEAD~3/);
    expect(res.warnings[0]).toMatch(/sub\/dvc\.lock/);
    expect(res.outputs.map((o) => [o.address, o.out.path, o.out.cache, o.lock?.md5])).toEqual([
      ["sub/dvc.yaml:prepare", "sub/data/prepared", true, "a946c967950dfd2f4ce18ad23ec1b5b6.dir"],
      ["sub/dvc.yaml:train@small", "sub/models/small.txt", true, "967775b76a3769856d9c236489aecfe7"],
      ["sub/dvc.yaml:train@large", "sub/models/large.txt", true, "0687de9373bb9c5a661c7bdb7ff2e5b7"],
      ["sub/dvc.yaml:evaluate", "sub/loss.csv", true, "f8d48760ab81abbe27d55a2ef891a230"],
      ["sub/dvc.yaml:evaluate", "sub/metrics.json", true, "e852be02289195681b5e759dda68e400"],
    ]);
  });

  it("falls back on schema errors too, but not on unsafe paths or a corrupt lock", async () => {
    const bad = await collectPipelineOutputs(
      memoryReader({ "dvc.yaml": "stages:\n  train: {cmd: x, bogus: 1}\n", "dvc.lock": LOCK }),
      "dvc.yaml",
    );
    expect(bad.fallbackCode).toBe("PIPELINE_SCHEMA");
    expect(bad.outputs).toHaveLength(2);
    await expect(
      collectPipelineOutputs(memoryReader({ "dvc.yaml": "stages:\n  s: {cmd: x, outs: [../o]}\n" }), "dvc.yaml"),
    ).rejects.toMatchObject({ code: "STAGE_PATH_OUTSIDE" });
    await expect(
      collectPipelineOutputs(memoryReader({ "dvc.yaml": "stages: {}\n", "dvc.lock": "stages: {}\n" }), "dvc.yaml"),
    ).rejects.toMatchObject({ code: "PIPELINE_SCHEMA" });
  });

  it("refuses lock outputs that leave the repository in the fallback", async () => {
    const lock = "schema: '2.0'\nstages:\n  s:\n    cmd: x\n    outs:\n    - path: ../../evil\n";
    await expect(
      collectPipelineOutputs(
        memoryReader({ "a/dvc.yaml": "vars: [gone.yaml]\nstages: {}\n", "a/dvc.lock": lock }),
        "a/dvc.yaml",
      ),
    ).rejects.toMatchObject({ code: "UNSAFE_PATH" });
  });
});
