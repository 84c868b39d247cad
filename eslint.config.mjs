// The architecture's rules, checked: who may import which side-effect library, which layer may reach which,
// and type-aware checks for the promise and type mistakes that strict TypeScript lets through.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Import paths, both through the `@/` alias and relative, that reach a folder of this repository. */
const reaching = (folder) => [`@/${folder}`, `@/${folder}/**`, `**/${folder}`, `**/${folder}/**`];

// Each restriction names what it forbids and why; an area's rule is the union of the restrictions that apply to it.
const restrictions = {
  awsSdk: { group: ["@aws-sdk/*"], message: "Only lib/aws talks to AWS: call its owner module, which sets the client options and translates AWS errors." },
  awsCrypto: { group: ["@aws-crypto/*"], message: "Only lib/crypto uses the AWS Encryption SDK: call its encrypt/decrypt functions." },
  databaseDrivers: { group: ["pg", "pg/*", "@electric-sql/pglite", "@electric-sql/pglite/*"], message: "Only lib/db talks to the database drivers: use its Database handle." },
  database: { group: reaching("lib/db"), message: "app/ never reaches the database: call the lib/ use-case that owns the change." },
  serverModules: {
    group: ["@/lib/**", "**/lib/**", "@/app/api/**", "**/app/api/**", "server-only", "!@/lib/contract", "!@/lib/contract/**", "!**/lib/contract", "!**/lib/contract/**"],
    message: "Client components never import server modules; what crosses to the browser is in lib/contract.",
  },
  repository: { group: ["@/*", "**/app/**", "**/lib/**", "**/components/**"], message: "local-aws and the identity provider are separate programs: they import nothing of Keybridge's." },
  separatePrograms: { group: reaching("local-aws").concat(reaching("idp")), message: "local-aws and the identity provider are separate programs: start them as processes, never import them." },
};

/** One config block per area, so each file gets exactly one no-restricted-imports rule (a later block would replace, not add to, an earlier one). */
function area(files, ignores, names) {
  return { files, ignores, rules: { "no-restricted-imports": ["error", { patterns: names.map((name) => restrictions[name]) }] } };
}
const library = ["awsSdk", "awsCrypto", "databaseDrivers", "separatePrograms"];
const boundaries = [
  area(["lib/**/*.{ts,tsx}"], ["lib/aws/**", "lib/crypto/**", "lib/db/**"], library),
  area(["lib/aws/**/*.{ts,tsx}"], [], library.filter((name) => name !== "awsSdk")),
  area(["lib/crypto/**/*.{ts,tsx}"], [], library.filter((name) => name !== "awsCrypto")),
  area(["lib/db/**/*.{ts,tsx}"], [], library.filter((name) => name !== "databaseDrivers")),
  area(["app/**/*.{ts,tsx}", "server.ts", "proxy.ts", "instrumentation.ts"], [], [...library, "database"]),
  area(["components/**/*.{ts,tsx}"], [], [...library, "serverModules"]),
  area(["local-aws/**/*.ts", "idp/**/*.ts"], [], ["repository"]),
  // Tests and scripts drive the real SDKs and drivers as clients; they still start local-aws and the IdP as processes.
  area(["test/**/*.ts", "e2e/**/*.ts", "scripts/**/*.ts", "infra/**/*.ts", "*.config.ts"], [], ["separatePrograms"]),
];

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", ".next-*/**", "data/**", "test-results/**", "playwright-report/**", "artifacts/**", "next-env.d.ts"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": ["error", { allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["test", "describe", "it", "suite"] }] }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Parsed JSON and driver rows are typed at their boundary; these rules would flag every such boundary read.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      // Stripping control characters from names, headers and filters is exactly what those patterns are for.
      "no-control-regex": "off",
      // Async methods here implement Promise-returning interfaces; an async body turns a synchronous throw into a rejection.
      "@typescript-eslint/require-await": "off",
      // It flags values typed from parsed JSON whose runtime type is already a string or number.
      "@typescript-eslint/no-base-to-string": "off",
      // Template literals of numbers and nullable ids are how log lines and messages are built here.
      "@typescript-eslint/restrict-template-expressions": "off",
    },
  },
  // Production code logs through lib/log (JSON lines, request ids, redaction), never the console.
  {
    files: ["lib/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "server.ts", "proxy.ts", "instrumentation.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-console": "error",
      // A route's bundle may hold its own copy of lib/errors: isAppError() checks a registered brand, instanceof does not.
      "no-restricted-syntax": ["error", { selector: "BinaryExpression[operator='instanceof'][right.name=/^(AppError|IntegrityFailure)$/]", message: "Use isAppError() / integrityReasonOf(): instanceof fails across bundled copies of lib/errors." }],
    },
  },
  // Tests poke at untyped JSON and private shapes on purpose; production code may not.
  { files: ["test/**/*.ts", "e2e/**/*.ts", "local-aws/test/**/*.ts", "**/*.test.ts"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  ...boundaries,
);
