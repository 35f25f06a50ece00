// ESLint flat config: typescript-eslint (type-aware for TS), plus the house rules of docs/architecture.md:
// type-only imports, named exports only, `node:` specifiers, no floating promises, lines of at most 120.
import { builtinModules } from "node:module";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const builtins = new Set(builtinModules);

// A local rule: Node built-ins are imported as "node:fs", never "fs".
const nodeProtocol = {
  meta: {
    type: "problem",
    fixable: "code",
    messages: { prefix: "import Node built-in '{{name}}' as 'node:{{name}}'" },
  },
  create(context) {
    const check = (node) => {
      const src = node.source;
      if (!src || typeof src.value !== "string" || src.value.startsWith("node:")) return;
      if (!builtins.has(src.value) && !builtins.has(src.value.split("/")[0])) return;
      context.report({
        node: src,
        messageId: "prefix",
        data: { name: src.value },
        fix: (f) => f.replaceText(src, `${src.raw[0]}node:${src.value}${src.raw[0]}`),
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

const maxLen = (strings) => [
  "error",
  {
    code: 120,
    ignoreUrls: true,
    ignoreRegExpLiterals: true,
    ignoreStrings: strings,
    ignoreTemplateLiterals: strings,
  },
];

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "coverage/", "tests/fixtures/", "bench/.data/", "scratch/", "templates/"] },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { project: ["./tsconfig.eslint.json"], tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    files: ["**/*.{ts,js,mjs}"],
    plugins: { dvx: { rules: { "node-protocol": nodeProtocol } } },
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        fetch: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        AbortController: "readonly",
        AbortSignal: "readonly",
        TextDecoder: "readonly",
        TextEncoder: "readonly",
        performance: "readonly",
        structuredClone: "readonly",
        queueMicrotask: "readonly",
        __dirname: "readonly",
        require: "readonly",
        module: "writable",
        globalThis: "readonly",
      },
    },
    rules: {
      "dvx/node-protocol": "error",
      "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "use named exports" }],
      "max-len": maxLen(false),
    },
  },
  {
    files: ["tests/**", "bench/**"],
    rules: { "max-len": maxLen(true), "no-control-regex": "off", "no-loss-of-precision": "off" },
  },
  // tool config files must export default
  { files: ["vitest.config.ts", "eslint.config.js"], rules: { "no-restricted-syntax": "off" } },
);
