// Validate an AsyncAPI document with the official parser; exit 1 on any error diagnostic.
import { readFile } from 'node:fs/promises';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate.mjs <asyncapi.yaml>');
  process.exit(2);
}

const parser = new Parser();
const { document, diagnostics } = await parser.parse(await readFile(file, 'utf8'), {
  source: file,
});
const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
for (const d of errors) {
  console.error(`error ${d.code}: ${d.message} at /${d.path.join('/')}`);
}
if (document === undefined || errors.length > 0) {
  console.error(`${file}: invalid (${errors.length} error(s))`);
  process.exit(1);
}
const warnings = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Warning).length;
console.log(`${file}: valid AsyncAPI ${document.version()} (${warnings} warning(s))`);
