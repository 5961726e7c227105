import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fakeApi, renderPage } from '../__testUtils__/fixtures';

/*
 * Component tests of the RBAC page with an in-memory RbacApi; the backend and the real policy
 * are tested against a running backend in packages/backend (rbac.integration.test.ts) and in e2e.
 */

describe('RbacPage', () => {
  it('lists roles with their source and sync state; declared roles are read-only with the reason', async () => {
    await renderPage(fakeApi(), () => AuthorizeResult.ALLOW);
    expect(await screen.findByText('payments-developer')).toBeInTheDocument();
    expect(screen.getByText('role file')).toBeInTheDocument();
    expect(screen.getByText('payments-*')).toBeInTheDocument();
    expect(await screen.findByText('dev-cluster: in-sync')).toBeInTheDocument();
    const edit = screen.getByRole('button', {
      name: 'Edit payments-developer',
    });
    await waitFor(() =>
      expect(edit.parentElement).toHaveAttribute(
        'title',
        'Declared in catalog/rbac-roles.yaml; edit the file (GitOps)',
      ),
    );
    expect(edit).toBeDisabled();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Create role' })).toBeEnabled(),
    );
  });

  it('creates a namespace-scoped role; a rejected save keeps everything typed and shows why', async () => {
    const api = fakeApi();
    const createRole = api.createRole as jest.Mock;
    createRole.mockImplementationOnce(async () => {
      throw new Error('Invalid role: name: already used by a declared role');
    });
    await renderPage(api, () => AuthorizeResult.ALLOW);
    const create = await screen.findByRole('button', { name: 'Create role' });
    await waitFor(() => expect(create).toBeEnabled());
    await userEvent.click(create);

    const dialog = await screen.findByRole('dialog');
    const d = within(dialog);
    await userEvent.type(
      d.getByRole('textbox', { name: 'Name' }),
      'payments-operator',
    );
    await userEvent.click(
      d.getByRole('radio', { name: 'Selected namespaces' }),
    );
    await userEvent.type(
      d.getByRole('textbox', { name: 'Namespace or pattern' }),
      'payments-*{enter}',
    );
    await userEvent.click(
      d.getByRole('checkbox', { name: 'clusters.workload.scale' }),
    );
    await userEvent.type(
      d.getByRole('textbox', { name: 'Members' }),
      'user:bob{enter}',
    );
    await userEvent.click(d.getByRole('button', { name: 'Save' }));

    expect(
      await d.findByText('Invalid role: name: already used by a declared role'),
    ).toBeInTheDocument();
    expect(d.getByRole('textbox', { name: 'Name' })).toHaveValue(
      'payments-operator',
    );
    expect(
      d.getByRole('checkbox', { name: 'clusters.workload.scale' }),
    ).toBeChecked();

    await userEvent.click(d.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.created).toEqual([
      {
        name: 'payments-operator',
        scope: { type: 'namespaces', namespaces: ['payments-*'] },
        permissions: ['clusters.workload.scale'],
        members: ['user:default/bob'],
      },
    ]);
    expect(await screen.findByText('payments-operator')).toBeInTheDocument();
  });

  it('validates in the dialog before calling the backend', async () => {
    const api = fakeApi();
    await renderPage(api, () => AuthorizeResult.ALLOW);
    const create = await screen.findByRole('button', { name: 'Create role' });
    await waitFor(() => expect(create).toBeEnabled());
    await userEvent.click(create);
    const d = within(await screen.findByRole('dialog'));
    await userEvent.type(d.getByRole('textbox', { name: 'Name' }), 'Bad Name');
    await userEvent.click(d.getByRole('button', { name: 'Save' }));
    expect(
      await d.findByText(/must be a lowercase DNS label/),
    ).toBeInTheDocument();
    expect(api.createRole).not.toHaveBeenCalled();
  });

  it('disables role creation without rbac.role.create, and says why', async () => {
    await renderPage(fakeApi(), r =>
      r.permission.name === 'rbac.role.create'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );
    const create = await screen.findByRole('button', { name: 'Create role' });
    await waitFor(() =>
      expect(create.parentElement).toHaveAttribute(
        'title',
        'You do not have the permission rbac.role.create',
      ),
    );
    expect(create).toBeDisabled();
  });

  it('tells a user without rbac.role.read that they cannot administer roles', async () => {
    const api = fakeApi();
    await renderPage(api, () => AuthorizeResult.DENY);
    expect(
      await screen.findByText('Warning: You cannot administer roles'),
    ).toBeInTheDocument();
    expect(api.listRoles).not.toHaveBeenCalled();
  });

  it('shows the backend error instead of a blank page', async () => {
    const api = fakeApi({
      listRoles: jest.fn(async () => {
        throw new Error('rbac backend unavailable: catalog is down');
      }),
    });
    await renderPage(api, () => AuthorizeResult.ALLOW);
    expect(
      (await screen.findAllByText(/rbac backend unavailable: catalog is down/))
        .length,
    ).toBeGreaterThan(0);
  });
});
