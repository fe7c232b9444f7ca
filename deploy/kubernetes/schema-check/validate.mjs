// Validates Kubernetes manifests against the API's JSON schemas that the kubernetes-models package
// ships (no network at run time): node validate.mjs FILE...
// It catches wrong types, missing required fields and bad enum values; like the API server's
// non-strict mode it does not reject unknown fields (KubernetesManifestsTest checks the fields
// Pharos depends on). Documents that are not Kubernetes API objects (a Kustomization) are skipped.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.error(`${file}: ${doc.errors[0].message}`);
      failed++;
      continue;
    }
    const obj = doc.toJS();
    if (!obj || obj.apiVersion?.startsWith("kustomize.config.k8s.io/")) continue;
    const name = `${file}: ${obj.kind} ${obj.metadata?.name}`;
    // apps/v1 -> kubernetes-models/apps/v1/StatefulSet; v1 -> kubernetes-models/v1/Service
    const module = `kubernetes-models/${obj.apiVersion}/${obj.kind}`;
    let Model;
    try {
      Model = (await import(module))[obj.kind];
    } catch (e) {
      console.error(`${name}: no schema for ${obj.apiVersion} ${obj.kind}`);
      failed++;
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(`${name}: valid`);
    } catch (e) {
      console.error(`${name}: ${e.message}`);
      failed++;
    }
  }
}
process.exit(failed ? 1 : 0);
