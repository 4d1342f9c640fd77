// TypeScript types for every definition of a JSON Schema document (json-schema-to-typescript), printed to stdout.
// Used by tools/codegen/sdks.py for the event payloads of the AsyncAPI document.
import { readFileSync } from "node:fs";
import { compile } from "json-schema-to-typescript";

const schema = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const types = await compile(schema, schema.title, {
  bannerComment: "",
  unreachableDefinitions: true,
  additionalProperties: false,
  strictIndexSignatures: true,
  unknownAny: true,
  declareExternallyReferenced: true,
  format: true,
  style: { printWidth: 120 },
});
process.stdout.write(types);
