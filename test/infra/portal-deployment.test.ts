import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, removeDir, resourcesOfType, synthesize, type Synthesized } from './helpers.ts';

describe('Construct: Portal (with a built portal)', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    // Act (synthesis also runs cdk-nag on the deployment's helper function)
    synthesized = synthesize({ webDistPath: `${ROOT}/test/infra/fixtures/web-dist` });
  });
  afterAll(() => removeDir(synthesized.outdir));

  it('uploads web/dist to the site bucket and invalidates the distribution', () => {
    // Act
    const deployments = resourcesOfType(synthesized.statelessTemplate, 'Custom::CDKBucketDeployment');

    // Assess
    expect(deployments).toHaveLength(1);
    expect(deployments[0]?.[1].Properties).toMatchObject({
      DestinationBucketName: { Ref: expect.stringMatching(/^PortalSiteBucket/) },
      DistributionId: { Ref: expect.stringMatching(/^PortalDistribution/) },
      DistributionPaths: ['/*'],
    });
  });
});
