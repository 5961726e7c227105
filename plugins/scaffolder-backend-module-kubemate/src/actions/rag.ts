import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  Collection,
  RAG_COLLECTION_NAME_PATTERN,
  UpdateCollectionRequest,
} from '@kubemate/plugin-rag-common';
import type { Provisioner } from '../services/Provisioner';
import { actorOf } from './common';
import type { RagClient } from './ragClient';

const ACTION = 'kubemate:rag:collection:create';

/** `kind:namespace/name` of a ref given in any short form; InputError naming the field otherwise. */
function normalizeRef(field: string, ref: string, defaultKind: string) {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref.trim(), { defaultKind, defaultNamespace: 'default' }),
    );
  } catch (e) {
    throw new InputError(
      `${field}: "${ref}" is not an entity ref (${(e as Error).message})`,
    );
  }
}

const sorted = (refs: string[]) => [...new Set(refs)].sort();

/** What of the wanted collection differs from the existing one (the owner is never changed here). */
function changesOf(
  existing: Collection,
  wanted: Required<UpdateCollectionRequest>,
): UpdateCollectionRequest {
  const changes: UpdateCollectionRequest = {};
  if (existing.title !== wanted.title) changes.title = wanted.title;
  if (existing.description !== wanted.description) {
    changes.description = wanted.description;
  }
  const same = (a: string[], b: string[]) =>
    JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
  if (!same(existing.sharedWith, wanted.sharedWith)) {
    changes.sharedWith = wanted.sharedWith;
  }
  if (!same(existing.entityRefs, wanted.entityRefs)) {
    changes.entityRefs = wanted.entityRefs;
  }
  return changes;
}

/**
 * kubemate:rag:collection:create — a team's knowledge base in the knowledge assistant, created
 * through the rag backend on behalf of the user who runs the template (the backend checks their
 * rag.collection.create on the collection to be, i.e. for its owner team, and audits it). A second
 * run with the same answers changes nothing; changed answers update title, description, sharing
 * and linked entities; a collection of that name owned by another team is a conflict. The catalog
 * entity (a Resource of type knowledge-base) is the template's: fetch:template + publish + register.
 */
export function createRagCollectionCreateAction(
  rag: RagClient,
  audit: Pick<Provisioner, 'record'>,
) {
  return createTemplateAction({
    id: ACTION,
    description:
      "Creates a team's knowledge base (RAG collection) in the knowledge assistant as the user who runs the template; idempotent (unchanged on a second run, configured when title, description, sharing or linked entities changed). Outputs the collection name, its owner and the catalog ref of its Resource.",
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'Collection name: lowercase letters, digits and dashes, 3–63 characters, starting with a letter',
            ),
        title: z => z.string().optional(),
        description: z => z.string().optional(),
        owner: z =>
          z.string().describe('Owning team, e.g. group:default/team-payments'),
        entityRefs: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Catalog entities this knowledge base documents (their Docs Q&A tab)',
            ),
        sharedWith: z =>
          z
            .array(z.string())
            .optional()
            .describe('Further teams (or users) that may read and query it'),
      },
      output: {
        collection: z => z.string(),
        ownerRef: z => z.string(),
        entityRef: z =>
          z.string().describe('The Resource the template registers for it'),
        operation: z => z.enum(['created', 'configured', 'unchanged']),
      },
    },
    async handler(ctx) {
      const name = ctx.input.name.trim();
      if (!RAG_COLLECTION_NAME_PATTERN.test(name)) {
        throw new InputError(
          `name must be lowercase letters, digits and dashes, 3–63 characters, starting with a letter (got "${name}")`,
        );
      }
      const ownerRef = normalizeRef('owner', ctx.input.owner, 'group');
      const wanted = {
        title: ctx.input.title?.trim() || name,
        description: ctx.input.description?.trim() ?? '',
        sharedWith: sorted(
          (ctx.input.sharedWith ?? []).map(r =>
            normalizeRef('sharedWith', r, 'group'),
          ),
        ),
        entityRefs: sorted(
          (ctx.input.entityRefs ?? []).map(r =>
            normalizeRef('entityRefs', r, 'component'),
          ),
        ),
      };
      const credentials = await ctx.getInitiatorCredentials();
      const existing = await rag.getCollection(name, { credentials });
      if (existing && existing.ownerRef !== ownerRef) {
        throw new ConflictError(
          `A knowledge base named ${name} already exists, owned by ${existing.ownerRef}: choose another name`,
        );
      }
      const changes = existing ? changesOf(existing, wanted) : undefined;
      let operation: 'created' | 'configured' | 'unchanged' = 'created';
      if (changes) {
        operation = Object.keys(changes).length ? 'configured' : 'unchanged';
      }

      if (!ctx.isDryRun && operation !== 'unchanged') {
        const where = { kind: 'KnowledgeBase', name };
        try {
          if (operation === 'created') {
            await rag.createCollection(
              { name, ownerRef, ...wanted },
              { credentials },
            );
          } else {
            await rag.updateCollection(name, changes!, { credentials });
          }
          await audit.record(
            actorOf(ctx),
            ACTION,
            'success',
            `${operation} knowledge base ${name} owned by ${ownerRef}${
              wanted.entityRefs.length
                ? ` for ${wanted.entityRefs.join(', ')}`
                : ''
            }`,
            where,
          );
        } catch (e) {
          await audit.record(actorOf(ctx), ACTION, 'failure', String(e), where);
          throw e;
        }
      }
      ctx.logger.info(
        `${operation}: knowledge base ${name} (owner ${ownerRef})${
          ctx.isDryRun
            ? ' (dry run: nothing was stored; the knowledge assistant checks the permission when it is created)'
            : ''
        }`,
      );
      ctx.output('collection', name);
      ctx.output('ownerRef', ownerRef);
      ctx.output(
        'entityRef',
        stringifyEntityRef({ kind: 'resource', namespace: 'default', name }),
      );
      ctx.output('operation', operation);
    },
  });
}
