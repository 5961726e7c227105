import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { SWRConfig } from 'swr';
import { ragApiRef } from './api';
import { ragPlugin } from './plugin';
import {
  answer,
  collection,
  controlledStream,
  fakeApi,
  riskCollection,
} from './__testUtils__/fixtures';

const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

/*
 * The plugin as the app installs it (new frontend system): the Knowledge assistant page at
 * /knowledge and the Docs Q&A entity tab with the filter the catalog uses.
 */
describe('ragPlugin', () => {
  it('contributes the Knowledge assistant page at /knowledge', async () => {
    const page = ragPlugin.getExtension('page:rag');
    const tester = createExtensionTester(page);
    expect(tester.get(coreExtensionData.routePath)).toBe('/knowledge');
    renderInTestApp(tester.reactElement(), {
      apis: [[ragApiRef, fakeApi()]],
    });
    expect(await screen.findByTestId('rag-question')).toBeInTheDocument();
    // the page's own header (the app's page layout may show the title too)
    expect(
      screen.getAllByRole('heading', { name: 'Knowledge assistant' }).length,
    ).toBeGreaterThan(0);
  });

  describe('Docs Q&A', () => {
    const content = ragPlugin.getExtension('entity-content:rag/docs-qa');

    it('is a tab at /docs-qa, on entities linked to a knowledge base only', () => {
      const tester = createExtensionTester(content);
      expect(tester.get(coreExtensionData.routePath)).toBe('/docs-qa');
      expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
        'Docs Q&A',
      );
      const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
      expect(
        filter?.(entity({ 'kubemate.io/rag-collection': 'payments-runbooks' })),
      ).toBe(true);
      expect(filter?.(entity({ 'kubemate.io/rag-collection': ' , ' }))).toBe(
        false,
      );
      expect(filter?.(entity({}))).toBe(false);
    });

    it("asks only the entity's knowledge bases, and names those the user may not read", async () => {
      const stream = controlledStream();
      const api = fakeApi({
        streamQuery: stream.streamQuery,
        // alice reads payments-runbooks and risk-runbooks; secret-runbooks is team-risk's
        listCollections: jest.fn(async () => [collection(), riskCollection]),
        history: jest.fn(async () => [
          answer(),
          answer({
            id: 'answer-risk',
            question: 'How is the risk score computed?',
            collections: ['risk-runbooks'],
          }),
        ]),
      });
      const tester = createExtensionTester(content);
      renderInTestApp(
        <SWRConfig value={{ provider: () => new Map() }}>
          <EntityProvider
            entity={entity({
              'kubemate.io/rag-collection':
                'payments-runbooks, secret-runbooks',
            })}
          >
            {tester.reactElement()}
          </EntityProvider>
        </SWRConfig>,
        { apis: [[ragApiRef, api], mockApis.permission()] },
      );
      const tab = await screen.findByTestId('rag-docs-qa');
      const picker = await within(tab).findByTestId('rag-collection-picker');
      await waitFor(() =>
        expect(
          within(picker).getByTestId('rag-collection-option-payments-runbooks'),
        ).toBeChecked(),
      );
      expect(
        within(picker).queryByTestId('rag-collection-option-risk-runbooks'),
      ).not.toBeInTheDocument();
      expect(
        screen.getByTestId('rag-unreadable-collections'),
      ).toHaveTextContent(
        'You may not read the knowledge base secret-runbooks',
      );
      // the history of this entity's knowledge bases only
      expect(
        await screen.findByTestId('rag-history-item-answer-0001'),
      ).toBeInTheDocument();
      expect(
        screen.queryByTestId('rag-history-item-answer-risk'),
      ).not.toBeInTheDocument();

      await userEvent.type(
        screen.getByTestId('rag-question'),
        'How do I restart payments-api?{Enter}',
      );
      expect(stream.streamQuery).toHaveBeenCalledWith(
        {
          question: 'How do I restart payments-api?',
          collections: ['payments-runbooks'],
        },
        expect.any(Object),
        expect.any(AbortSignal),
      );
      act(() => stream.done(answer()));
      await waitFor(() =>
        expect(screen.getByTestId('rag-answer')).toHaveAttribute(
          'data-state',
          'done',
        ),
      );
    });

    it('shows only the note when the user may read none of them', async () => {
      const tester = createExtensionTester(content);
      renderInTestApp(
        <EntityProvider
          entity={entity({ 'kubemate.io/rag-collection': 'secret-runbooks' })}
        >
          {tester.reactElement()}
        </EntityProvider>,
        { apis: [[ragApiRef, fakeApi()]] },
      );
      expect(
        await screen.findByTestId('rag-unreadable-collections'),
      ).toHaveTextContent('Knowledge bases you may read');
      expect(screen.queryByTestId('rag-question')).not.toBeInTheDocument();
    });
  });
});
