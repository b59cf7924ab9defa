/**
 * Unknown-field check for Kubernetes objects, which kubernetes-models' validate() does not do (its
 * schemas allow extra properties, as the API server's do unless asked for strict decoding). The
 * allowed fields are read from the TypeScript declarations kubernetes-models ships (generated from
 * the same OpenAPI schemas), with the TypeScript compiler: every key of the object must be a property
 * of the declared type, recursively through nested objects, arrays and string-keyed maps.
 */
import path from "node:path";
import ts from "typescript";
import { ROOT } from "./cli.js";

const ENTRY = path.join(ROOT, "test/support/__kubernetes-kinds.ts");
/** The kinds the Kubernetes output uses, by `kind`. */
const SOURCE = `
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IService } from "kubernetes-models/v1/Service";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
export interface Kinds { Deployment: IDeployment; Namespace: INamespace; Secret: ISecret; Service: IService; NetworkPolicy: INetworkPolicy }
`;

export type FieldChecker = (obj: { kind?: unknown }) => string[];

export function unknownFieldChecker(): FieldChecker {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => f === ENTRY || fileExists.call(host, f);
  host.readFile = (f) => (f === ENTRY ? SOURCE : readFile.call(host, f));
  host.getSourceFile = (f, lang, ...rest) => (f === ENTRY ? ts.createSourceFile(f, SOURCE, lang) : getSourceFile.call(host, f, lang, ...rest));
  const program = ts.createProgram([ENTRY], options, host);
  const unresolved = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  if (unresolved.length) throw new Error(`kubernetes-models declarations did not load: ${unresolved.join("; ")}`);
  const checker = program.getTypeChecker();
  const entry = program.getSourceFile(ENTRY)!;
  const kinds = checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(entry)!.exports!.get(ts.escapeLeadingUnderscores("Kinds"))!);

  const members = (t: ts.Type): ts.Type[] => (t.isUnion() ? t.types : [t]).filter((m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));

  const walk = (value: unknown, type: ts.Type, at: string, out: string[]): void => {
    if (value === null || typeof value !== "object") return;
    const candidates = members(type);
    if (Array.isArray(value)) {
      const arrays = candidates.filter((c) => checker.isArrayType(c));
      if (!arrays.length) return void out.push(`${at}: an array where the schema has none`);
      const element = checker.getTypeArguments(arrays[0] as ts.TypeReference)[0]!;
      for (const [i, v] of value.entries()) walk(v, element, `${at}[${i}]`, out);
      return;
    }
    const objects = candidates.filter((c) => c.flags & ts.TypeFlags.Object && !checker.isArrayType(c));
    if (!objects.length) return void out.push(`${at}: an object where the schema has none`);
    for (const [key, v] of Object.entries(value)) {
      const prop = objects.map((o) => o.getProperty(key)).find((p) => p !== undefined);
      if (prop) {
        walk(v, checker.getTypeOfSymbol(prop), `${at}.${key}`, out);
        continue;
      }
      const index = objects.map((o) => checker.getIndexInfoOfType(o, ts.IndexKind.String)).find((i) => i !== undefined);
      if (index) walk(v, index.type, `${at}.${key}`, out);
      else out.push(`${at}.${key}: unknown field`);
    }
  };

  return (obj) => {
    const kind = typeof obj.kind === "string" ? kinds.getProperty(obj.kind) : undefined;
    if (!kind) return [`kind ${String(obj.kind)}: not a kind this check knows`];
    const out: string[] = [];
    walk(obj, checker.getTypeOfSymbol(kind), String(obj.kind), out);
    return out;
  };
}
