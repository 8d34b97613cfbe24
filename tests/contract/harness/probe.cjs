#!/usr/bin/env node
// Schema-compile probe for the contract harness.
//
// Prism validates requests and responses with Ajv, but when Ajv cannot *compile* a schema
// Prism swallows the error and treats the message as valid (see prism-http's
// validateAgainstSchema: the compile step is wrapped in O.tryCatch). A contract test
// against such an operation would pass no matter what the client sends. This script loads
// the document exactly the way `prism mock` does, compiles every schema Prism would
// validate against with the same Ajv configuration, and prints one JSON array of the
// schemas that do not compile. The Python harness turns each entry into a failure for any
// call that reaches the affected operation.
//
// Usage: node probe.cjs <repo-root> <openapi.json>
'use strict';

const path = require('path');

const [repoRoot, document] = process.argv.slice(2);
if (!repoRoot || !document) {
  process.stderr.write('usage: node probe.cjs <repo-root> <openapi.json>\n');
  process.exit(2);
}

// Resolve every module from Prism's own install so the probe uses the same versions.
const prismHttpDir = path.dirname(
  require.resolve('@stoplight/prism-http/package.json', { paths: [repoRoot] }),
);
const fromPrism = (name) => require(require.resolve(name, { paths: [prismHttpDir] }));

const { getHttpOperationsFromSpec } = fromPrism('@stoplight/prism-http');
const addFormats = fromPrism('ajv-formats').default;
const ajvClasses = {
  default: fromPrism('ajv').default,
  draft2019_09: fromPrism('ajv/dist/2019').default,
  draft2020_12: fromPrism('ajv/dist/2020').default,
};

// Mirrors the options prism-http passes to Ajv (validator/validators/utils.js).
const ajvOptions = {
  allErrors: true,
  allowUnionTypes: true,
  allowMatchingProperties: true,
  strict: false,
  logger: false,
};
const instances = {};
function ajvFor(schema, coerce) {
  const declared = String(schema.$schema);
  let draft = 'default';
  if (/^https?:\/\/json-schema.org\/draft\/2019-09\/schema#?$/.test(declared)) draft = 'draft2019_09';
  if (/^https?:\/\/json-schema.org\/draft\/2020-12\/schema#?$/.test(declared)) draft = 'draft2020_12';
  const key = `${draft}:${coerce}`;
  if (!instances[key]) {
    const ajv = new ajvClasses[draft]({ ...ajvOptions, coerceTypes: coerce });
    addFormats(ajv);
    instances[key] = ajv;
  }
  return instances[key];
}

function* targets(op) {
  const request = op.request || {};
  for (const content of (request.body && request.body.contents) || []) {
    const form = /multipart\/form-data|application\/x-www-form-urlencoded/.test(content.mediaType);
    yield [`request body ${content.mediaType}`, content.schema, form];
  }
  for (const where of ['query', 'headers', 'path', 'cookie']) {
    for (const param of request[where] || []) {
      yield [`request ${where} ${param.name}`, param.schema, true];
    }
  }
  for (const response of op.responses || []) {
    for (const content of response.contents || []) {
      yield [`response ${response.code} body ${content.mediaType}`, content.schema, false];
    }
    for (const header of response.headers || []) {
      yield [`response ${response.code} headers ${header.name}`, header.schema, true];
    }
  }
}

(async () => {
  const operations = await getHttpOperationsFromSpec(document);
  const problems = [];
  for (const op of operations) {
    for (const [target, schema, coerce] of targets(op)) {
      if (!schema) continue;
      try {
        ajvFor(schema, coerce).compile({ ...schema, __bundled__: op.__bundled__ });
      } catch (error) {
        problems.push({
          operationId: op.iid,
          method: op.method.toUpperCase(),
          path: op.path,
          target,
          error: String((error && error.message) || error),
        });
      }
    }
  }
  process.stdout.write(JSON.stringify({ operations: operations.length, problems }));
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + '\n');
  process.exit(1);
});
