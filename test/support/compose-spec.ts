/** Validates a parsed compose document against the official Compose Specification schema. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { ROOT } from "./cli.js";

const spec = JSON.parse(readFileSync(path.join(ROOT, "test/fixtures/compose-spec.json"), "utf8"));
// The spec names draft-07 by a URL ajv does not know by that spelling; its keywords are draft-07's.
const validate = new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(spec);

export function composeSpecErrors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
