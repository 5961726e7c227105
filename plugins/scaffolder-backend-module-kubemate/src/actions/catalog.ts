import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * catalog:register that a second run passes: an already registered location is refreshed, not
 * re-added (the built-in action fails on it, or with `optional` swallows every error).
 */
export function createCatalogRegisterAction(catalog: CatalogService) {
  return createTemplateAction({
    id: 'kubemate:catalog:register',
    description:
      'Registers a catalog-info.yaml URL in the catalog as the user who runs the template; an existing registration is refreshed instead. Outputs the entity ref.',
    supportsDryRun: true,
    schema: {
      input: {
        catalogInfoUrl: z =>
          z.string().url().describe('URL of catalog-info.yaml'),
      },
      output: {
        entityRef: z => z.string().optional(),
        operation: z => z.enum(['created', 'unchanged']),
      },
    },
    async handler(ctx) {
      const { catalogInfoUrl } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      const existing = await catalog.getLocationByRef(`url:${catalogInfoUrl}`, {
        credentials,
      });
      if (ctx.isDryRun) {
        ctx.logger.info(`dry run: would register ${catalogInfoUrl}`);
        ctx.output('operation', existing ? 'unchanged' : 'created');
        return;
      }
      if (existing) {
        ctx.logger.info(`unchanged: ${catalogInfoUrl} is already registered`);
      } else {
        await catalog.addLocation(
          { type: 'url', target: catalogInfoUrl },
          { credentials },
        );
        ctx.logger.info(`registered ${catalogInfoUrl}`);
      }
      // what the location holds (the catalog ingests it asynchronously)
      const { entities } = await catalog.addLocation(
        { type: 'url', target: catalogInfoUrl, dryRun: true },
        { credentials },
      );
      if (existing) {
        for (const e of entities) {
          await catalog.refreshEntity(stringifyEntityRef(e), { credentials });
        }
      }
      const entity = entities.find(e => e.kind === 'Component') ?? entities[0];
      if (entity) ctx.output('entityRef', stringifyEntityRef(entity));
      ctx.output('operation', existing ? 'unchanged' : 'created');
    },
  });
}
