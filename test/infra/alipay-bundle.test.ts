/**
 * The Alipay adapter as the Lambda bundles carry it (infra/aws/bundle.ts swaps alipay-sdk's
 * urllib/undici for a fetch-based client and stubs what the adapter never uses): bundled with
 * the same plugin, it still signs, verifies and debits against the Alipay fake.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_SHIM, lambdaLean } from '../../infra/aws/bundle.ts';
import type * as AdapterModule from '../../shared/adapters/gateway/alipay/alipay-gateway.ts';
import { type AlipayFake, startAlipayFake } from '../fakes/alipay/alipay-fake.ts';

describe('Alipay adapter in the Lambda bundle', () => {
  let dir: string;
  let fake: AlipayFake;
  let bundled: typeof AdapterModule;
  let inputs: string[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'repayflow-alipay-bundle-'));
    const outfile = path.join(dir, 'alipay.mjs');
    const result = await build({
      entryPoints: [path.resolve('shared/adapters/gateway/alipay/alipay-gateway.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      banner: { js: ESM_REQUIRE_SHIM },
      plugins: [lambdaLean],
      metafile: true,
      logLevel: 'error',
    });
    inputs = Object.keys(result.metafile.inputs);
    bundled = (await import(pathToFileURL(outfile).href)) as typeof AdapterModule;
    fake = await startAlipayFake({ autoNotify: false });
  });
  afterAll(async () => {
    await fake?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('carries neither urllib, undici, formstream nor crypto-js', () => {
    expect(inputs.filter((i) => /node_modules\/(urllib|undici|formstream|crypto-js|@fidm)\//.test(i))).toEqual([]);
    expect(inputs.some((i) => i.includes('node_modules/alipay-sdk/'))).toBe(true);
  });

  it('binds, debits once, queries and unsigns through the fetch-based client', async () => {
    const gateway = new bundled.AlipayGateway({ appId: fake.appId, privateKey: fake.appPrivateKey, alipayPublicKey: fake.alipayPublicKey, gateway: fake.gateway });
    const started = await gateway.startSetup({ customerId: 'cus_bundle', methodType: 'alipay', setupKey: 'bundle-1' });
    await fake.confirmSigning((started.next as { url: string }).url);
    const bound = await gateway.setupStatus(started.setupId);
    expect(bound).toMatchObject({ status: 'succeeded', display: 'alipay 138****5678' });
    const token = (bound as { token: string }).token;
    const charge = {
      idempotencyKey: 'plan_bundle:1:1',
      provider: 'alipay' as const,
      token,
      methodType: 'alipay' as const,
      amount: 100,
      currency: 'CNY',
      planId: 'plan_bundle',
      mode: 'auto' as const,
    };
    expect(await gateway.charge(charge)).toMatchObject({ outcome: 'captured' });
    expect(await gateway.charge(charge)).toMatchObject({ outcome: 'unknown' });
    expect(await gateway.status({ idempotencyKey: charge.idempotencyKey, provider: 'alipay', attemptedAt: new Date() })).toMatchObject({ status: 'captured' });
    expect(fake.ledger()).toHaveLength(1);
    await gateway.release({ token });
    expect(fake.agreements()[0]?.status).toBe('UNSIGN');
  });
});
