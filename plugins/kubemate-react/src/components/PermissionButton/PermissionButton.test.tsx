import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  createPermission,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { PermissionApi } from '@backstage/plugin-permission-react';
import { PermissionButton } from './PermissionButton';

const scale = createPermission({
  name: 'clusters.workload.scale',
  attributes: { action: 'update' },
  resourceType: 'clusters-object',
});
const roleCreate = createPermission({
  name: 'rbac.role.create',
  attributes: { action: 'create' },
});

// usePermission caches decisions per permission and resource across renders (and tests), so
// every test checks a resource of its own.
let counter = 0;
const uniqueRef = () => `dev-cluster/payments-dev/deployments/app-${++counter}`;

function renderWith(permissionApi: PermissionApi, ui: JSX.Element) {
  return render(
    <TestApiProvider apis={[[permissionApiRef, permissionApi]]}>
      {ui}
    </TestApiProvider>,
  );
}

async function tooltipOf(button: HTMLElement): Promise<string> {
  fireEvent.mouseOver(button.parentElement!);
  return (await screen.findByRole('tooltip')).textContent ?? '';
}

describe('PermissionButton', () => {
  it('is enabled without a tooltip when allowed, and passes the accessible name and clicks', async () => {
    const onClick = jest.fn();
    const resourceRef = uniqueRef();
    const authorize = jest.fn(
      (_: EvaluatePermissionRequest) =>
        Promise.resolve({ result: AuthorizeResult.ALLOW }) as Promise<{
          result: AuthorizeResult.ALLOW;
        }>,
    );
    renderWith(
      { authorize },
      <PermissionButton
        permission={scale}
        resourceRef={resourceRef}
        aria-label="Scale app"
        onClick={onClick}
      >
        Scale
      </PermissionButton>,
    );
    const button = screen.getByRole('button', { name: 'Scale app' });
    await waitFor(() => expect(button).toBeEnabled());
    expect(authorize).toHaveBeenCalledWith({ permission: scale, resourceRef });
    expect(button.parentElement?.getAttribute('title') ?? '').toBe('');
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('is disabled with the reason naming the permission and the resource when denied', async () => {
    const resourceRef = uniqueRef();
    renderWith(
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
      <PermissionButton
        permission={scale}
        resourceRef={resourceRef}
        aria-label="Scale app"
      >
        Scale
      </PermissionButton>,
    );
    const button = screen.getByRole('button', { name: 'Scale app' });
    await waitFor(() =>
      expect(button.parentElement).toHaveAttribute(
        'title',
        `You do not have the permission clusters.workload.scale on ${resourceRef}`,
      ),
    );
    expect(button).toBeDisabled();
    expect(await tooltipOf(button)).toBe(
      `You do not have the permission clusters.workload.scale on ${resourceRef}`,
    );
  });

  it('names the resource with `what`, and omits it for a basic permission', async () => {
    renderWith(
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
      <>
        <PermissionButton
          permission={scale}
          resourceRef={uniqueRef()}
          what="payments-api"
        >
          Scale
        </PermissionButton>
        <PermissionButton permission={roleCreate} what="ignored">
          Create role
        </PermissionButton>
      </>,
    );
    const scaleButton = screen.getByRole('button', { name: 'Scale' });
    const createButton = screen.getByRole('button', { name: 'Create role' });
    await waitFor(() => expect(createButton).toBeDisabled());
    await waitFor(() =>
      expect(scaleButton.parentElement).toHaveAttribute(
        'title',
        'You do not have the permission clusters.workload.scale on payments-api',
      ),
    );
    expect(createButton.parentElement).toHaveAttribute(
      'title',
      'You do not have the permission rbac.role.create',
    );
  });

  it('is disabled while the permission is being checked', async () => {
    renderWith(
      { authorize: () => new Promise(() => {}) },
      <PermissionButton permission={scale} resourceRef={uniqueRef()}>
        Scale
      </PermissionButton>,
    );
    const button = screen.getByRole('button', { name: 'Scale' });
    expect(button).toBeDisabled();
    expect(await tooltipOf(button)).toBe('Checking your permissions…');
  });

  it('is disabled by the caller with its own reason even when allowed', async () => {
    renderWith(
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      <PermissionButton
        permission={scale}
        resourceRef={uniqueRef()}
        disabled
        disabledReason="Declared in roles.yaml; edit it there"
      >
        Edit
      </PermissionButton>,
    );
    const button = screen.getByRole('button', { name: 'Edit' });
    await waitFor(() =>
      expect(button.parentElement).toHaveAttribute(
        'title',
        'Declared in roles.yaml; edit it there',
      ),
    );
    expect(button).toBeDisabled();
  });

  it('explains a failed check', async () => {
    renderWith(
      { authorize: () => Promise.reject(new Error('permission backend down')) },
      <PermissionButton permission={scale} resourceRef={uniqueRef()}>
        Scale
      </PermissionButton>,
    );
    const button = screen.getByRole('button', { name: 'Scale' });
    await waitFor(() =>
      expect(button.parentElement).toHaveAttribute(
        'title',
        'Could not check the permission clusters.workload.scale: permission backend down',
      ),
    );
    expect(button).toBeDisabled();
  });
});
