import { render, screen } from '@testing-library/react';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PermissionGate } from './PermissionGate';

const scale = createPermission({
  name: 'clusters.workload.scale',
  attributes: { action: 'update' },
  resourceType: 'clusters-object',
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

describe('PermissionGate', () => {
  it('renders the children only when allowed, the fallback when denied', async () => {
    const allowedRef = uniqueRef();
    const deniedRef = uniqueRef();
    renderWith(
      mockApis.permission({
        authorize: req =>
          'resourceRef' in req && req.resourceRef === allowedRef
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }),
      <>
        <p>
          <PermissionGate
            permission={scale}
            resourceRef={allowedRef}
            fallback="no access (1)"
          >
            allowed content
          </PermissionGate>
        </p>
        <p>
          <PermissionGate
            permission={scale}
            resourceRef={deniedRef}
            fallback="no access (2)"
          >
            denied content
          </PermissionGate>
        </p>
      </>,
    );
    expect(await screen.findByText('allowed content')).toBeInTheDocument();
    expect(await screen.findByText('no access (2)')).toBeInTheDocument();
    expect(screen.queryByText('denied content')).not.toBeInTheDocument();
    expect(screen.queryByText('no access (1)')).not.toBeInTheDocument();
  });

  it('renders nothing while loading', () => {
    const { container } = renderWith(
      { authorize: () => new Promise(() => {}) },
      <PermissionGate
        permission={scale}
        resourceRef={uniqueRef()}
        fallback="denied"
      >
        content
      </PermissionGate>,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
