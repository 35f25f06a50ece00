// The experiment hash (docs/formats.md §11.1, §13.4): SHA-256 of Python json.dumps(sort_keys=True) of
// {stage name: lock entry}. Checked against a hand-written dump and against Python itself on a dvc.lock text.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expCommitMessage, expHash } from "../../../src/exp/exp-hash.js";
import { PyFloat } from "../../../src/util/py-float.js";
import { parseYamlDocument } from "../../../src/util/yaml.js";
import { runPython } from "../../helpers/python.js";

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

describe("exp hash", () => {
  it("equals the SHA-256 of the JSON Python would dump (keys sorted, ', ' and ': ', floats as repr)", () => {
    const entries = {
      train: {
        cmd: "python train.py",
        deps: [{ path: "train.py", hash: "md5", md5: "85dcfdd29b320edbcfbfdf4936a0e2bc", size: 120 }],
        params: { "params.yaml": { "train.lr": new PyFloat(1e-5), "train.epochs": 10, "train.ratio": new PyFloat(1) } },
        outs: [{ path: "model.pkl", hash: "md5", md5: "60b725f10c9c85c70d97880dfe8191b3", size: 5, isexec: true }],
      },
      "eval@1": { cmd: ["a", "b"], outs: [{ path: "é.json", hash: "md5", md5: "0".repeat(32), size: 2 }] },
    };
    const byHand =
      '{"eval@1": {"cmd": ["a", "b"], "outs": [{"hash": "md5", "md5": "00000000000000000000000000000000", ' +
      '"path": "\\u00e9.json", "size": 2}]}, "train": {"cmd": "python train.py", "deps": [{"hash": "md5", ' +
      '"md5": "85dcfdd29b320edbcfbfdf4936a0e2bc", "path": "train.py", "size": 120}], "outs": [{"hash": "md5", ' +
      '"isexec": true, "md5": "60b725f10c9c85c70d97880dfe8191b3", "path": "model.pkl", "size": 5}], "params": ' +
      '{"params.yaml": {"train.epochs": 10, "train.lr": 1e-05, "train.ratio": 1.0}}}}';
    expect(expHash(entries)).toBe(sha256(byHand));
  });

  it("matches Python's hash of the stages of a dvc.lock", () => {
    const lock =
      "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    params:\n      params.yaml:\n" +
      "        train.lr: 0.001\n        train.scale: 2.0\n        train.name: '1.0'\n    outs:\n    - path: m.json\n" +
      "      hash: md5\n      md5: 0cc175b9c0f1b6a831c399e269772661\n      size: 1\n";
    const data = parseYamlDocument(lock, "dvc.lock", { keepFloats: true }).toJS() as {
      stages: Record<string, unknown>;
    };
    const py = runPython(
      "import sys, json, yaml, hashlib\nd = yaml.safe_load(json.load(sys.stdin))\n" +
        "print(json.dumps(hashlib.sha256(json.dumps({'train': d['stages']['train']}, sort_keys=True).encode()).hexdigest()))",
      lock,
    );
    expect(expHash({ train: data.stages.train })).toBe(py);
  });

  it("of no reproduced stage is the hash of {}", () => {
    expect(expHash({})).toBe(sha256("{}"));
  });

  it("goes into DVC's commit message", () => {
    const h = expHash({});
    expect(expCommitMessage(h)).toBe(`dvc: commit experiment ${h}`);
  });
});
