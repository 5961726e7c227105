import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { collection, fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';
import { nameProblem } from '../CollectionDialog';

/** The name rule the dialog shows (English). */
const NAME_RULE =
  'Lowercase letters, digits and dashes, 3 to 63 characters, starting with a letter and ending with a letter or digit';

describe('CollectionsTab', () => {
  it('lists the knowledge bases with owner, sharing, counts and ingestion state', async () => {
    const api = fakeApi({
      listCollections: jest.fn(async () => [
        collection({
          sharedWith: ['group:default/team-risk'],
          stats: {
            documents: 3,
            chunks: 20,
            bytes: 100,
            inProgress: 1,
            failed: 1,
          },
        }),
      ]),
    });
    renderPage('/knowledge/collections', { api });
    const row = await screen.findByTestId('rag-collection-payments-runbooks');
    expect(
      within(row).getByText('Payments runbooks').closest('a'),
    ).toHaveAttribute('href', '/knowledge/collections/payments-runbooks');
    expect(within(row).getByText('team-payments')).toBeInTheDocument();
    expect(within(row).getByText('team-risk')).toBeInTheDocument();
    expect(within(row).getByText('1 in progress')).toBeInTheDocument();
    expect(within(row).getByText('1 failed')).toBeInTheDocument();
    expect(screen.getByText('Knowledge bases (1)')).toBeInTheDocument();
  });

  it('checks the name as typed', () => {
    expect(nameProblem('')).toBe('');
    expect(nameProblem('payments-runbooks')).toBe('');
    expect(nameProblem('ab')).toBe('tooShort');
    expect(nameProblem('Payments')).toBe('invalid');
    expect(nameProblem('runbooks-')).toBe('invalid');
    expect(nameProblem(`a${'b'.repeat(63)}`)).toBe('tooLong');
  });

  it('creates a knowledge base owned by one of the teams the user may create one for, and opens it', async () => {
    const api = fakeApi();
    renderPage('/knowledge/collections', {
      api,
      ownership: [
        'user:default/alice',
        'group:default/team-payments',
        'group:default/team-risk',
      ],
      authorize: r =>
        r.permission.name === 'rag.collection.create' &&
        (r as { resourceRef?: string }).resourceRef ===
          'rag-collection:new:group:default/team-risk'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    const button = await screen.findByTestId('rag-new-collection');
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByTestId('rag-collection-name'),
      'Bad',
    );
    expect(within(dialog).getByText(NAME_RULE)).toBeInTheDocument();
    expect(within(dialog).getByTestId('rag-collection-submit')).toBeDisabled();
    await userEvent.clear(within(dialog).getByTestId('rag-collection-name'));
    await userEvent.type(
      within(dialog).getByTestId('rag-collection-name'),
      'payments-postmortems',
    );
    await userEvent.type(
      within(dialog).getByTestId('rag-collection-title'),
      'Payments postmortems',
    );
    // owner: the team it may create for is picked; the other is offered disabled
    expect(
      within(dialog).getByTestId('rag-collection-owner'),
    ).toHaveTextContent('Payments team (group:default/team-payments)');
    await userEvent.click(within(dialog).getByTestId('rag-collection-owner'));
    const risk = await screen.findByRole('option', {
      name: 'Risk team (group:default/team-risk)',
    });
    expect(risk).toHaveAttribute('aria-disabled', 'true');
    await userEvent.keyboard('{Escape}');
    // shared with: a typed team name becomes its ref; nonsense is refused
    const shared = within(dialog).getByTestId('rag-collection-shared');
    await userEvent.type(shared, 'team risk{Enter}');
    expect(
      within(dialog).getByText(
        'Not an entity ref like group:default/name: team risk',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByTestId('rag-collection-submit')).toBeDisabled();
    await userEvent.click(
      within(dialog)
        .getByText('team risk')
        .parentElement!.querySelector('svg')!,
    );
    await userEvent.type(shared, 'team-risk{Enter}');
    expect(
      within(dialog).getByText('group:default/team-risk'),
    ).toBeInTheDocument();
    await userEvent.click(within(dialog).getByTestId('rag-collection-submit'));
    await waitFor(() =>
      expect(api.createCollection).toHaveBeenCalledWith({
        name: 'payments-postmortems',
        ownerRef: 'group:default/team-payments',
        title: 'Payments postmortems',
        description: undefined,
        sharedWith: ['group:default/team-risk'],
        entityRefs: [],
      }),
    );
    // the new knowledge base opens
    expect(await screen.findByText('About')).toBeInTheDocument();
    expect(api.getCollection).toHaveBeenCalledWith('payments-postmortems');
  });

  it("shows the backend's refusal in the dialog", async () => {
    const api = fakeApi({
      createCollection: jest.fn(async () => {
        throw Object.assign(
          new Error('A knowledge base named payments-runbooks exists'),
          { statusCode: 409 },
        );
      }),
    });
    renderPage('/knowledge/collections?new=1', { api });
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByTestId('rag-collection-name'),
      'payments-runbooks',
    );
    await userEvent.click(within(dialog).getByTestId('rag-collection-submit'));
    expect(
      await within(dialog).findByTestId('rag-collection-error'),
    ).toHaveTextContent('A knowledge base named payments-runbooks exists');
  });

  it('disables New knowledge base with the reason without rag.collection.create', async () => {
    renderPage('/knowledge/collections', {
      api: fakeApi(),
      authorize: r =>
        r.permission.name === 'rag.collection.create'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    await screen.findByTestId('rag-collection-payments-runbooks');
    const button = screen.getByTestId('rag-new-collection');
    await waitFor(() => expect(button).toBeDisabled());
    await userEvent.hover(button.parentElement!);
    expect(
      await screen.findByText(
        'You do not have the permission rag.collection.create on a knowledge base owned by group:default/team-payments',
      ),
    ).toBeInTheDocument();
  });

  it('disables New knowledge base for a user in no team', async () => {
    renderPage('/knowledge/collections', {
      api: fakeApi(),
      ownership: ['user:default/guest'],
    });
    await waitFor(() =>
      expect(screen.getByTestId('rag-new-collection')).toBeDisabled(),
    );
  });
});
