// Validate KEDA objects (a JSON array on stdin) with kubernetes-models' KEDA models, whose
// schemas are generated from KEDA's CRDs; print one line per error and exit 1 on any.
import { readFileSync } from 'node:fs';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';

const models = { ScaledObject };
const docs = JSON.parse(readFileSync(0, 'utf8'));
let failed = 0;
for (const doc of docs) {
  const Model = models[doc.kind];
  const name = `${doc.kind}/${doc.metadata?.name}`;
  if (Model === undefined) {
    console.error(`${name}: no KEDA model for this kind`);
    failed += 1;
    continue;
  }
  try {
    new Model(doc).validate();
  } catch (error) {
    console.error(`${name}: ${error.message}`);
    failed += 1;
  }
}
if (failed > 0) process.exit(1);
console.log(`${docs.length} KEDA object(s) valid`);
