/**
 * The Lambda bundle: handler/dist/index.mjs, one ES module for nodejs22.x with
 * the AWS SDK inside (pinned and tree-shaken, not the runtime's copy), plus
 * handler/dist/function.zip holding it at the root, for Terraform.
 *
 * A type error fails the build (noEmitOnError). The zip is reproducible
 * (fixed timestamp, no extra attributes), so an unchanged bundle gives an
 * unchanged zip hash and Terraform sees no change.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import commonjs from "@rollup/plugin-commonjs";
import json from "@rollup/plugin-json";
import resolve from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import typescript from "@rollup/plugin-typescript";

const OUT_DIR = "handler/dist";
const BUNDLE = "index.mjs";
const ZIP = "function.zip";
/** The earliest time a zip entry can hold (DOS dates start in 1980). */
const ZIP_EPOCH = new Date("1980-01-01T00:00:00Z");

const builtins = new Set(builtinModules);

/** The SDK's default credential chain, which the clients import whether they use it or not. */
const CREDENTIAL_CHAIN = "@aws-sdk/credential-provider-node";

/**
 * Leaves the default credential chain out: the function passes the
 * environment's credentials to its clients (handler/index.ts), so the chain
 * (profiles, SSO, STS, instance metadata, and the SDK clients they need) is
 * never called, and about a third of the bundle goes. Should a client ever
 * ask for it, the stand-in says why there is none.
 */
function withoutCredentialChain() {
  const stub = "\0no-default-credential-chain";
  return {
    name: "without-credential-chain",
    resolveId: (id) => (id === CREDENTIAL_CHAIN ? stub : null),
    load: (id) =>
      id === stub
        ? "export const defaultProvider = () => async () => {\n" +
          '  throw new Error("the bundle has no default credential chain: pass `credentials` (handler/index.ts)");\n' +
          "};\n"
        : null,
  };
}

/** Zips the bundle alone, at the archive's root, with a fixed mtime. */
function zipBundle() {
  return {
    name: "zip-bundle",
    writeBundle() {
      const staging = mkdtempSync(join(tmpdir(), "oops-bundle-"));
      try {
        copyFileSync(join(OUT_DIR, BUNDLE), join(staging, BUNDLE));
        utimesSync(join(staging, BUNDLE), ZIP_EPOCH, ZIP_EPOCH);
        rmSync(join(OUT_DIR, ZIP), { force: true });
        execFileSync("zip", ["-q", "-X", "-j", join(process.cwd(), OUT_DIR, ZIP), BUNDLE], {
          cwd: staging,
          env: { ...process.env, TZ: "UTC" },
          stdio: "inherit",
        });
      } catch (error) {
        if (error.code === "ENOENT")
          throw new Error("the `zip` command is missing (apt-get install zip)");
        throw error;
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    },
  };
}

export default {
  input: "handler/index.ts",
  output: {
    file: join(OUT_DIR, BUNDLE),
    format: "es",
    // The SDK loads some credential providers lazily; one file is what Lambda runs.
    inlineDynamicImports: true,
    generatedCode: "es2015",
  },
  external: (id) => id.startsWith("node:") || builtins.has(id),
  plugins: [
    withoutCredentialChain(),
    typescript({
      tsconfig: "tsconfig.json",
      // The root tsconfig only type-checks (noEmit, NodeNext); the bundle needs emitted ES modules.
      noEmit: false,
      noEmitOnError: true,
      module: "esnext",
      moduleResolution: "bundler",
      outDir: OUT_DIR,
      declaration: false,
      include: ["handler/**/*.ts", "core/**/*.ts"],
      exclude: ["**/*_test.ts", "**/testing/**", "**/dist/**"],
    }),
    resolve({ preferBuiltins: true, exportConditions: ["node"] }),
    commonjs(),
    json(),
    // Minified: less for Lambda to load and parse at a cold start. Class names stay,
    // so errors in the logs still say what they are.
    terser({ ecma: 2022, module: true, keep_classnames: true, format: { comments: false } }),
    zipBundle(),
  ],
};
