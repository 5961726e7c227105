import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { actionContext, outputsOf } from '../__testUtils__/context';
import { createCatalogRegisterAction } from './catalog';

const url = 'http://git.local/raw/payments-ledger/main/catalog-info.yaml';
const location = {
  id: 'loc-1',
  type: 'url',
  target: url,
  entityRef: 'location:default/generated-loc-1',
};
const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'payments-ledger-api', namespace: 'default' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-ledger', namespace: 'default' },
  },
];

/** A catalog that holds `registered` locations and answers a dry-run registration with `entities`. */
function catalogWith(registered: boolean) {
  return catalogServiceMock.mock({
    getLocationByRef: jest.fn(async () => (registered ? location : undefined)),
    addLocation: jest.fn(async () => ({ location, entities, exists: false })),
    refreshEntity: jest.fn(async () => {}),
  });
}

describe('kubemate:catalog:register', () => {
  const run = (
    catalog: ReturnType<typeof catalogWith>,
    ctx: ReturnType<typeof actionContext>,
  ) => createCatalogRegisterAction(catalog).handler(ctx as any);

  it('registers a new location as the initiating user and outputs the Component ref', async () => {
    const catalog = catalogWith(false);
    const ctx = actionContext({ catalogInfoUrl: url });
    await run(catalog, ctx);
    expect(outputsOf(ctx)).toEqual({
      entityRef: 'component:default/payments-ledger',
      operation: 'created',
    });
    const credentials = await ctx.getInitiatorCredentials();
    expect(catalog.getLocationByRef).toHaveBeenCalledWith(`url:${url}`, {
      credentials,
    });
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'url', target: url },
      { credentials },
    );
    expect(catalog.refreshEntity).not.toHaveBeenCalled();
  });

  it('refreshes an already registered location instead of adding it again', async () => {
    const catalog = catalogWith(true);
    const ctx = actionContext({ catalogInfoUrl: url });
    await run(catalog, ctx);
    expect(outputsOf(ctx).operation).toBe('unchanged');
    expect(catalog.addLocation).toHaveBeenCalledTimes(1);
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'url', target: url, dryRun: true },
      expect.anything(),
    );
    expect(catalog.refreshEntity).toHaveBeenCalledTimes(2);
  });

  it('registers nothing in a dry run and outputs what it would do', async () => {
    const catalog = catalogWith(false);
    const ctx = actionContext({ catalogInfoUrl: url }, { dryRun: true });
    await run(catalog, ctx);
    expect(outputsOf(ctx)).toEqual({ operation: 'created' });
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it("surfaces the catalog's refusal (a denied permission) as the error", async () => {
    const catalog = catalogWith(false);
    catalog.addLocation.mockRejectedValue(
      new NotAllowedError('catalog.location.create denied'),
    );
    const ctx = actionContext({ catalogInfoUrl: url });
    await expect(run(catalog, ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
