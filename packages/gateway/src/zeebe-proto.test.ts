// The shipped proto and the version Baton answers as must follow the @camunda8/sdk the tests run against.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { ZEEBE_PROTO_PATH, ZEEBE_VERSION, loadGatewayService } from './zeebe-proto.js';

const require = createRequire(import.meta.url);
const HEADER_END = "// --- end of Baton's header ---\n";

describe('the shipped Zeebe proto', () => {
  it('is the proto of the @camunda8/sdk in devDependencies, below a licence header', async () => {
    const shipped = await readFile(ZEEBE_PROTO_PATH, 'utf8');
    assert.match(shipped, /Apache License, Version 2\.0/);
    const body = shipped.slice(shipped.indexOf(HEADER_END) + HEADER_END.length);
    const sdk = await readFile(require.resolve('@camunda8/sdk/dist/proto/zeebe.proto'), 'utf8');
    assert.ok(
      body === sdk,
      'packages/gateway/proto/zeebe.proto differs from the SDK: copy it over (see its header)',
    );
  });

  it('is answered as the SDK minor version', () => {
    const { version } = require('@camunda8/sdk/package.json') as { version: string };
    const [major, minor] = version.split('.');
    assert.equal(ZEEBE_VERSION, `${major}.${minor}.0`);
  });

  it('loads the Gateway service', () => {
    const service = loadGatewayService();
    assert.ok(service.CreateProcessInstance, 'CreateProcessInstance is a method');
    assert.ok(service.ActivateJobs, 'ActivateJobs is a method');
  });
});
