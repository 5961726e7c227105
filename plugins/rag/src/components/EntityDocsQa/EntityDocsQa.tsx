import { useEntity } from '@backstage/plugin-catalog-react';
import { MissingAnnotationEmptyState } from '@backstage/core-components';
import {
  RAG_COLLECTION_ANNOTATION,
  ragCollectionsOf,
} from '@kubemate/plugin-rag-common';
import { AskView } from '../AskView';

/**
 * Entity tab "Docs Q&A": the Ask view restricted to the knowledge bases the entity's
 * `kubemate.io/rag-collection` annotation names (those the user may not read are named in a note).
 */
export function EntityDocsQa() {
  const { entity } = useEntity();
  const names = ragCollectionsOf(entity);
  return (
    <div data-testid="rag-docs-qa">
      {names.length === 0 ? (
        <MissingAnnotationEmptyState annotation={RAG_COLLECTION_ANNOTATION} />
      ) : (
        <AskView restrictTo={names} />
      )}
    </div>
  );
}
