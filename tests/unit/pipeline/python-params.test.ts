// Python params files against CPython: the reference below is DVC's dvc/utils/serialize/_py.py logic (ast.parse,
// top-level/class/__init__ assignments through ast.literal_eval) run by python3 on the same sources.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePythonParams, PySyntaxError } from "../../../src/pipeline/python-params.js";
import { PyFloat } from "../../../src/util/py-float.js";
import { PY_TAG, runPython, tagged } from "../../helpers/python.js";

// What DVC's parse_py returns, in PY_TAG's form. Values with no params form in dvx (complex, bytes, Ellipsis,
// tuple or bytes keys) are left out, as dvx leaves them out; sets list in iteration order.
const PY_DVC = `${PY_TAG}
import ast, json, sys

class Unsupported(Exception):
    pass

def key_text(k):
    if isinstance(k, str):
        return k
    if isinstance(k, (bool, int, float)) or k is None:
        return str(k) if not isinstance(k, float) else repr(k)
    raise Unsupported

def value(v):
    if isinstance(v, (complex, bytes)) or v is Ellipsis:
        raise Unsupported
    if isinstance(v, (list, tuple, set)):
        return [value(x) for x in v]
    if isinstance(v, dict):
        return {key_text(k): value(x) for k, x in v.items()}
    return tag(v)

def target_name(t, only_self):
    if hasattr(t, "id") and not only_self:
        return t.id
    if hasattr(t, "attr") and t.value.id == "self":
        return t.attr
    raise AttributeError

def assignment(node, only_self):
    if isinstance(node, ast.AnnAssign):
        name = target_name(node.target, only_self)
    elif len(node.targets) == 1:
        name = target_name(node.targets[0], only_self)
    else:
        raise AttributeError
    v = node.value
    if isinstance(v, ast.Dict):
        out = {}
        for k, x in zip(v.keys, v.values):
            val = ast.literal_eval(x)
            out[ast.literal_eval(k)] = val
    elif isinstance(v, ast.List):
        out = [ast.literal_eval(x) for x in v.elts]
    elif isinstance(v, ast.Set):
        out = set(ast.literal_eval(x) for x in v.elts)
    elif isinstance(v, ast.Tuple):
        out = tuple(ast.literal_eval(x) for x in v.elts)
    else:
        out = ast.literal_eval(v)
    return name, out

def tree_to_dict(tree, only_self=False):
    result = {}
    for node in tree.body:
        try:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                name, v = assignment(node, only_self)
                try:
                    result[name] = value(v)
                except Unsupported:
                    pass
            elif isinstance(node, ast.ClassDef):
                result[node.name] = tree_to_dict(node)
            elif isinstance(node, ast.FunctionDef) and node.name == "__init__":
                result.update(tree_to_dict(node, only_self=True))
        except (ValueError, AttributeError):
            continue
    return result

out = []
for src in json.load(sys.stdin):
    try:
        out.append({"ok": tree_to_dict(ast.parse(src))})
    except SyntaxError as e:
        out.append({"error": "SyntaxError"})
    except TypeError as e:
        out.append({"error": "TypeError"})
print(json.dumps(out))
`;

const SOURCES = [
  readFileSync(new URL("../../fixtures/pipeline/params_py.py", import.meta.url), "utf8"),
  // numbers
  "A = 1\nB = -2\nC = +3\nD = 1.0\nE = -0.0\nF = 1e5\nG = 1_000\nH = 0x_ff\nI = 0o17\nJ = 0b101\nK = .5\nL = 5.\n",
  "M = 1e400\nN = -1e400\nO = 9007199254740993\nP = -123456789012345678901234567890\nQ = 00\nR = 09.5\nS = 1E-5\n",
  "T = 0.1\nU = 1.5e20\nV = 12345678901234567.0\nW = 5e-324\nX = -(1)\nY = (-1)\nZ = - 2.5\n",
  // strings
  "S1 = 'single'\nS2 = \"double\"\nS3 = '''tri\nple'''\nS4 = \"\"\"tri\"ple\"\"\"\nS5 = 'a' \"b\" '''c'''\n",
  "E1 = 'tab\\there\\nnl \\\\ \\' \\\" \\a\\b\\f\\v\\r'\nE2 = '\\x41\\101\\u00e9\\U0001F600\\0'\nE3 = 'keep \\q \\d'\n",
  "R1 = r'raw \\n \\x41'\nR2 = R\"C:\\path\"\nU1 = u'unicode'\nC1 = ('implicit '\n      'concat')\nL1 = 'a\\\nb'\nO1 = '\\777'\n",
  "N1 = 'é日本'\nF1 = f'x'\nF2 = f'{A}'\nF3 = 'a' f'b'\nB1 = b'bytes'\nB2 = rb'\\n'\n",
  // constants and containers
  "T1 = True\nF0 = False\nNo = None\nEl = ...\nC2 = 1j\nC3 = 1+2j\nC4 = -1.5-2j\n",
  "L2 = [1, 2.0, 'three', None, True, [4, [5]]]\nL3 = []\nL4 = [1,]\nT2 = (1, 2)\nT3 = ()\nT4 = (1,)\nT5 = 1, 2\n",
  "T6 = (1)\nS6 = {1, 2, 3}\nS7 = set()\nS8 = {1, 1, 1.0, True}\nD1 = {'a': 1, 'b': {'c': [1, 2]}}\nD2 = {}\n",
  "D3 = {1: 'int', 2.5: 'float', True: 'bool', None: 'none'}\nD4 = {1: 'a', 1.0: 'b', True: 'c'}\nD5 = {'x': 1, 'x': 2}\n",
  "D6 = {(1, 2): 'tuple key'}\nD7 = {'a': 1j}\nD8 = {'a': [1, {'b': (2, 3)}]}\nD9 = {'k': -1, 'j': +2.0}\n",
  // values that are not literals
  "X1 = A\nX2 = 1 + 2\nX3 = [1, A]\nX4 = {'a': A}\nX5 = {**D1}\nX6 = [*L2]\nX7 = foo(1)\nX8 = -True\nX9 = --1\n",
  "Y1 = 'a' * 3\nY2 = 'a'.upper()\nY3 = lambda x=1: x\nY4 = [i for i in range(3)]\nY5 = not True\nY6 = (yield)\n",
  "Y7 = 1 if True else 2\nY8 = 1 + 2j + 3j\nY9 = [1][0]\nZ1 = {1: 2}[1]\nZ2 = x = 3\nZ3 = float('inf')\nZ4 = (1 + 2)\n",
  // targets and statement kinds
  "a: int = 1\nb: 'str' = 'x'\nc: int\nd: list[int] = [1]\ne: tuple = 1, 2\n(f) = 6\n(g): int = 7\nh = i = 8\nj += 1\n",
  "obj.x = 1\nself.y = 2\nk, l = 1, 2\nm[0] = 1\nn = 1; o = 2; p = 3;\nimport os\nfrom x import y\nglobal q\nprint('r = 1')\n",
  "q = 1\nif q:\n    inside_if = 1\nelse:\n    inside_else = 2\nfor i in []:\n    inside_for = 3\nwhile False: inside_while = 4\n",
  "try:\n    inside_try = 1\nexcept Exception as e:\n    pass\nfinally:\n    x = 2\nwith open('f') as f:\n    inside_with = 3\n",
  "def f():\n    inside_def = 1\n    return 2\nasync def g():\n    h = 3\ndef __init__(self):\n    self.top_init = 4\n    not_self = 5\n",
  "match = 1\ncase = 2\nmatch match:\n    case 1:\n        inside_case = 3\ntype = 4\n",
  // classes
  "class Train:\n    epochs = 10\n    lr: float = 0.01\n    class Inner:\n        depth = 3\n    def method(self):\n        x = 1\n",
  "class Model(Base, metaclass=Meta):\n    '''doc'''\n    layers = [64, 32]\n\n    def __init__(self, a=1):\n        self.dropout = 0.5\n" +
    "        local = 1\n        self.name = 'm'\n        self.dyn = a\n        if a:\n            self.cond = 2\n" +
    "        class Nested:\n            z = 1\n\n    def __init__(self):\n        self.second = True\n",
  "@dataclass\nclass Config:\n    a: int = 1\n    b: str = 'x'\n    c: list = field(default_factory=list)\n\nclass Empty:\n    pass\n",
  "class One: x = 1; y = 2\nclass Two(object): pass\nclass Three:\n    self.attr = 9\n    x = 1\n    x = 2\n",
  "A = 1\nclass A:\n    b = 2\nC = {'x': 1}\nC = 3\nA = 4\n",
  // tokens that look like structure inside strings, comments and brackets
  "s = 'a=b; c: d # e'  # x = 1\nt = \"[({\"\nu = {'k:': 'v=', 'w': [1, {'z': (2,)}]}\nv = (1, # c\n 2)\n",
  "ñame = 1\nﬁle = 2\n_x1 = 3\nx = ('a'\n# comment between\n'b')\ny = [\n]\nz = (\n)\n",
  "class A(B, k=lambda: {'a': 1}):\n    x = 1\nclass C: pass\nclass D:\n    def __init__(self, a: int = 1) -> None: self.v = a; self.w = 2\n",
  "def f():\n    class Hidden:\n        def __init__(self):\n            self.h = 1\n    return Hidden\nif True: x = 1\nelse: y = 2\n",
  "@decorator(arg={'a': 1})\n@other\nclass Dec:\n    v = 1\nwhile (n := 0): pass\nw = (m := 5)\nassert w == 5, 'x = 1'\n",
  "class Outer:\n    class Mid:\n        class In:\n            deep = [1, (2, 3), {'a': None}]\n    after = 1\n",
  "class I:\n    def __init__(self):\n        self.a = 1\n        self.a = 2\n        self.b: int = 3\n        self.c.d = 4\n        other.e = 5\n        self.f = self.a\n",
  "x = {'a': 1, 'b': 2,}\ny = {1, 2, 3,}\nz = ((1, 2), (3,))\nw = [[], [[]], {}]\nv = {'n': {'m': {}}}\n",
  "a = 1;\nb = 2 ; c = 3\nd = 'x' 'y' \\\n  'z'\ne = \\\n5\n",
  // layout
  "# comment\n\n  \n\tx = 1  # indented by a tab? no: a comment line\n",
  "x = [1,\n  2,\n    3]\ny = \\\n  4\nz = {\n'a':\n1}\n",
  "x = 1\r\ny = 2\r\nz = '''a\r\nb'''\r\n",
  "if True:\n\tx = 1\n        y = 2\n",
  "x = 1",
  "",
  // errors DVC gets from ast.parse (or a TypeError from literal_eval)
  "x = 1\n  y = 2\n",
  "if x:\ny = 1\n",
  "x = (1, 2\n",
  "x = 'open\n",
  "x = '''open\n",
  "x = 0777\n",
  "x = 1_\n",
  "x = $\n",
  "x = 'a' b'b'\n",
  "x = b'é'\n",
  "x = '\\x4'\n",
  "x = ]\n",
  "if True:\n    x = 1\n  y = 2\n",
  "\ufeffx = 1\n",
  "x = 1 \\ y\n",
  "class A:\nx = 1\n",
  "D = {[1]: 2}\n",
  "S = {1, [2]}\n",
];

function ours(src: string): unknown {
  try {
    return { ok: tagged(parsePythonParams(src, { keepFloats: true })) };
  } catch (err) {
    if (err instanceof PySyntaxError) return { error: /unhashable/.test(err.reason) ? "TypeError" : "SyntaxError" };
    throw err;
  }
}

describe("parsePythonParams", () => {
  it("reads what DVC's ast-based loader reads from the same sources, and fails where it fails", () => {
    const want = runPython(PY_DVC, SOURCES) as unknown[];
    for (const [i, src] of SOURCES.entries()) expect([src, ours(src)]).toEqual([src, want[i]]);
  });

  it("reads the fixture as DVC locked it, floats as PyFloat only with keepFloats", () => {
    const src = "BATCH = 32\nLR = 0.001\nNAME = 'net'\nONE = 1.0\nclass Train:\n    epochs = 10\n";
    expect(parsePythonParams(src, { keepFloats: true })).toEqual({
      BATCH: 32,
      LR: new PyFloat(0.001),
      NAME: "net",
      ONE: new PyFloat(1),
      Train: { epochs: 10 },
    });
    expect(parsePythonParams(src)).toMatchObject({ LR: 0.001, ONE: 1 });
    expect(parsePythonParams("BIG = 9007199254740993\n")).toEqual({ BIG: 9007199254740993n });
  });

  it("skips a string with a \\N{name} escape (DVC reads it; there is no Unicode name table here)", () => {
    expect(parsePythonParams("A = '\\N{EM DASH}'\nB = 1\n")).toEqual({ B: 1 });
  });

  it("names the line of a syntax error", () => {
    let err: PySyntaxError | undefined;
    try {
      parsePythonParams("a = 1\nb = [\n  2,\n c = 'x\n");
    } catch (e) {
      err = e as PySyntaxError;
    }
    expect(err?.line).toBe(4);
  });
});
