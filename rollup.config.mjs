/**
 * The Lambda bundle: handler/dist/index.mjs, one ES module for nodejs22.x with
 * the AWS SDK inside (pinned and tree-shaken, not the runtime's copy; the
 * parts of it the function never calls replaced by stand-ins), plus
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

/** What a stand-in throws if it is ever called: the bundle left that part of the SDK out. */
const missing = (what, why) =>
  `throw new Error(${JSON.stringify(`the bundle has no ${what}: ${why}`)});`;

/**
 * Parts of the SDK that the clients import whether they use them or not,
 * and that the function never calls, replaced by small stand-ins that say
 * why they are missing should anything ever call them. `importer`, when
 * given, limits a stand-in to the imports of that package.
 */
const STAND_INS = [
  {
    // The default credential chain (profiles, SSO, STS, instance metadata, and the
    // SDK clients they need): the clients get the environment's credentials
    // (handler/index.ts), the chain's first link and the only one a function uses.
    source: "@aws-sdk/credential-provider-node",
    code: `export const defaultProvider = () => async () => { ${missing("default credential chain", "pass `credentials` (handler/index.ts)")} };`,
  },
  {
    // Kinesis' default HTTP/2 handler (and with it node:http2): the client is
    // always given an HTTP/1.1 handler (handler/index.ts), which `create` returns as is.
    source: "@smithy/node-http-handler",
    importer: /@aws-sdk\/client-kinesis\//,
    code:
      'export { streamCollector } from "@smithy/node-http-handler";\n' +
      "export class NodeHttp2Handler {\n" +
      '  static create(handler) { if (typeof handler?.handle === "function") return handler; ' +
      `${missing("HTTP/2 handler", "pass `requestHandler` (handler/index.ts)")} }\n` +
      "}",
  },
  {
    // Event streams (Kinesis SubscribeToShard; with them CRC32 and node:zlib), which
    // the Kinesis client wires up and the protocols load for streaming operations only:
    // the function calls none.
    source: "@smithy/core/event-streams",
    code:
      "export const resolveEventStreamSerdeConfig = (input) => Object.assign(input, {\n" +
      "  eventStreamMarshaller: input.eventStreamSerdeProvider(input),\n" +
      "});\n" +
      "const unsupported = () => { " +
      `${missing("event streams", "the function calls no streaming operation")} };\n` +
      "export const eventStreamSerdeProvider = () => new Proxy({}, { get: () => unsupported });\n" +
      "export class EventStreamSerde { constructor() { unsupported(); } }",
  },
];

/** Serves {@link STAND_INS} in place of the modules they replace. */
function standIns() {
  const prefix = "\0stand-in:";
  return {
    name: "stand-ins",
    resolveId(source, importer) {
      const i = STAND_INS.findIndex(
        (s) => s.source === source && (s.importer === undefined || s.importer.test(importer ?? "")),
      );
      return i < 0 ? null : `${prefix}${i}`;
    },
    load: (id) => (id.startsWith(prefix) ? STAND_INS[Number(id.slice(prefix.length))].code : null),
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
    standIns(),
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
