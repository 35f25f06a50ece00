// -S rewrites params files keeping their formatting: only the changed values change, in YAML, JSON, TOML and
// Python; what cannot be written is refused before anything is written.
import { describe, expect, it } from "vitest";
import { applyOverrides } from "../../../src/exp/override-apply.js";
import { parseSetParam } from "../../../src/exp/override-parse.js";
import { rewriteParamsText } from "../../../src/exp/params-edit.js";
import { parseParamsFile } from "../../../src/pipeline/params-file.js";

function edit(file: string, text: string, ...args: string[]): string {
  const data = parseParamsFile(text, file, { keepFloats: true });
  const next = applyOverrides(
    data,
    args.map((a) => parseSetParam(`${file}:${a}`)),
  );
  return rewriteParamsText(file, text, data, next);
}

describe("YAML", () => {
  it("changes values in place, appends new keys, drops deleted ones; comments and quoting stay", () => {
    const text = "# experiment params\ntrain:\n  lr: 0.01  # learning rate\n  name: 'base'\n  epochs: 10\nseed: 42\n";
    expect(edit("params.yaml", text, "train.lr=1e-5", "+train.opt=adam", "~seed", "train.epochs=20")).toBe(
      "# experiment params\ntrain:\n  lr: 1e-05  # learning rate\n  name: 'base'\n  epochs: 20\n  opt: adam\n",
    );
  });

  it("writes a string that looks like a number quoted, and a float as a float", () => {
    expect(edit("p.yaml", "a: 1\nb: x\n", "a=2.0", "b='3'")).toBe("a: 2.0\nb: '3'\n");
  });
});

describe("JSON", () => {
  const text = '{\n    "train": {\n        "lr": 0.01,\n        "epochs": 10\n    },\n    "ratio": 1.0\n}\n';

  it("keeps the indentation and the untouched number spellings", () => {
    expect(edit("p.json", text, "train.lr=0.5", "~train.epochs", "+train.opt={name: sgd}", "+tags=[a]")).toBe(
      '{\n    "train": {\n        "lr": 0.5,\n        "opt": {\n            "name": "sgd"\n        }\n    },\n' +
        '    "ratio": 1.0,\n    "tags": [\n        "a"\n    ]\n}\n',
    );
  });

  it("keeps a one-line file on one line", () => {
    expect(edit("p.json", '{"a": 1, "b": {"c": 2}}', "b.c=3", "+b.d=x", "~a")).toBe('{"b": {"c": 3, "d": "x"}}');
  });
});

describe("TOML", () => {
  const text =
    '# top\nseed = 1\n\n[train]\nlr = 0.01 # rate\nepochs = 10\n\n[train.opt]\nname = "adam"\n\n' +
    "[model]\nsize = { width = 4, depth = 2 }\n";

  it("edits values, inline-table members, adds at the end of the table, removes lines and sections", () => {
    expect(
      edit(
        "p.toml",
        text,
        "train.lr=0.5",
        "+train.momentum=0.9",
        "model.size.depth=3",
        "~seed",
        "~train.opt",
        "+model.tag=x",
      ),
    ).toBe(
      '# top\n\n[train]\nlr = 0.5 # rate\nepochs = 10\nmomentum = 0.9\n\n[model]\nsize = { width = 4, depth = 3 }\ntag = "x"\n',
    );
  });

  it("refuses null, which TOML cannot hold", () => {
    expect(() => edit("p.toml", text, "seed=null")).toThrow(/null/);
  });
});

describe("Python", () => {
  const text =
    "import os\n\nLR = 0.01  # learning rate\nEPOCHS: int = 10\n\n\nclass Train:\n    lr = 0.1\n" +
    "    opt = {'name': 'adam', 'beta': 0.9}\n\n    def __init__(self):\n        self.seed = 5\n\n\nDEBUG = False\n";

  it("replaces assignment values, rewrites a dict literal for a key in it, appends names, deletes lines", () => {
    expect(
      edit(
        "p.py",
        text,
        "LR=0.5",
        "Train.lr=1e-3",
        "Train.opt.name=sgd",
        "Train.seed=7",
        "+Train.wd=0.1",
        "+NAME=x",
        "~DEBUG",
      ),
    ).toBe(
      "import os\n\nLR = 0.5  # learning rate\nEPOCHS: int = 10\n\n\nclass Train:\n    lr = 0.001\n" +
        "    opt = {'name': 'sgd', 'beta': 0.9}\n\n    def __init__(self):\n        self.seed = 7\n    wd = 0.1\n\n\nNAME = 'x'\n",
    );
  });

  it("refuses what a Python literal cannot hold", () => {
    expect(() => edit("p.py", text, "LR=inf")).toThrow(/inf/);
  });
});
